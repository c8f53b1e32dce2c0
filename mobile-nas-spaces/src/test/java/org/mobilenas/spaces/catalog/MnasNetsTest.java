package org.mobilenas.spaces.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mobilenas.core.graph.Graph;
import org.mobilenas.core.spec.Activation;
import org.mobilenas.core.spec.ConvBlock;
import org.mobilenas.core.spec.MBConvBlock;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.spec.SeparableConvBlock;
import org.mobilenas.core.spec.Skip;
import org.mobilenas.core.spec.StageSpec;

class MnasNetsTest {

    private static List<Integer> depths(NetworkSpec spec) {
        List<Integer> d = new ArrayList<>();
        d.add(((ConvBlock) spec.stem().get(0)).out());
        for (StageSpec s : spec.stages()) {
            d.add(s.blocks().get(0).outChannels(0));
        }
        return d;
    }

    @Test
    void b1DepthsFollowTorchvisionRounding() {
        assertThat(depths(MnasNets.mnasNetB1(1.0, 224, 1000))).containsExactly(32, 16, 24, 40, 80, 96, 192, 320);
        assertThat(depths(MnasNets.mnasNetB1(0.5, 224, 1000))).containsExactly(16, 8, 16, 24, 40, 48, 96, 160);
        assertThat(depths(MnasNets.mnasNetB1(0.75, 224, 1000))).containsExactly(24, 16, 24, 32, 64, 72, 144, 240);
        assertThat(depths(MnasNets.mnasNetB1(1.3, 224, 1000))).containsExactly(40, 24, 32, 56, 104, 128, 248, 416);
        assertThat(MnasNets.roundToMultipleOf8(83)).isEqualTo(80);
        assertThat(MnasNets.roundToMultipleOf8(84)).isEqualTo(88);
    }

    @Test
    void b1KeepsItsHeadAndSeparableFirstBlock() {
        NetworkSpec spec = MnasNets.mnasNetB1(0.5, 224, 1000);
        assertThat(((ConvBlock) spec.head().get(0)).out()).isEqualTo(1280);
        SeparableConvBlock first =
                (SeparableConvBlock) spec.stages().get(0).blocks().get(0);
        assertThat(first.pointwiseActivation()).isEqualTo(Activation.NONE);
        assertThat(spec.stages()).extracting(StageSpec::depth).containsExactly(1, 3, 3, 3, 2, 4, 1);
        assertThat(((MBConvBlock) spec.stages().get(1).blocks().get(0)).skip()).isEqualTo(Skip.NONE);
        assertThat(((MBConvBlock) spec.stages().get(1).blocks().get(1)).skip()).isEqualTo(Skip.IDENTITY);
        assertThat(spec.name()).isEqualTo("mnasnet_b1_0.5");
    }

    @Test
    void a1HasSqueezeExciteInThreeStages() {
        NetworkSpec spec = MnasNets.mnasNetA1(1.0, 224, 1000);
        assertThat(spec.stages()).extracting(StageSpec::depth).containsExactly(1, 2, 3, 4, 2, 3, 1);
        List<Boolean> se = new ArrayList<>();
        for (StageSpec s : spec.stages().subList(1, 7)) {
            se.add(((MBConvBlock) s.blocks().get(0)).se() != null);
        }
        assertThat(se).containsExactly(false, true, false, true, true, false);
        Graph g = spec.graph();
        // squeeze = a quarter of the block input: 24 / 4 for the first 40-channel block
        assertThat(g.node("stages[2].blocks[0].se.reduce.conv").output().channels())
                .isEqualTo(6);
        assertThat(g.node("stages[2].blocks[1].se.reduce.conv").output().channels())
                .isEqualTo(10);
        assertThat(spec.name()).isEqualTo("mnasnet_a1");
        assertThat(MnasNets.mnasNetA1(0.5, 224, 10).name()).isEqualTo("mnasnet_a1_0.5");
    }

    @Test
    void badWidthIsRejected() {
        assertThatThrownBy(() -> MnasNets.mnasNetB1(0, 224, 10)).hasMessageContaining("width 0.0");
        assertThatThrownBy(() -> MnasNets.mnasNetA1(Double.POSITIVE_INFINITY, 224, 10))
                .hasMessageContaining("width Infinity");
    }
}
