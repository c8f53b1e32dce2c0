package org.mobilenas.spaces.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.mobilenas.core.graph.Graph;
import org.mobilenas.core.graph.Op;
import org.mobilenas.core.spec.ConvBlock;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.spec.ShuffleV1Block;
import org.mobilenas.core.spec.SpecException;
import org.mobilenas.core.spec.StageSpec;

class ShuffleNetsTest {

    private static int[] channels(NetworkSpec spec) {
        int[] c = new int[4];
        c[0] = ((ConvBlock) spec.stem().get(0)).out();
        for (int s = 0; s < 3; s++) {
            c[s + 1] = ((ShuffleV1Block) spec.stages().get(s).blocks().get(0)).out();
        }
        return c;
    }

    @Test
    void v1ReproducesTheReferenceChannelTables() {
        // the reference implementation's stage_out_channels for g = 3 and g = 8
        assertThat(channels(ShuffleNets.shuffleNetV1(3, 0.5, 224, 1000))).containsExactly(12, 120, 240, 480);
        assertThat(channels(ShuffleNets.shuffleNetV1(3, 1.0, 224, 1000))).containsExactly(24, 240, 480, 960);
        assertThat(channels(ShuffleNets.shuffleNetV1(3, 1.5, 224, 1000))).containsExactly(24, 360, 720, 1440);
        assertThat(channels(ShuffleNets.shuffleNetV1(3, 2.0, 224, 1000))).containsExactly(48, 480, 960, 1920);
        assertThat(channels(ShuffleNets.shuffleNetV1(8, 0.5, 224, 1000))).containsExactly(16, 192, 384, 768);
        assertThat(channels(ShuffleNets.shuffleNetV1(8, 1.0, 224, 1000))).containsExactly(24, 384, 768, 1536);
        assertThat(channels(ShuffleNets.shuffleNetV1(8, 1.5, 224, 1000))).containsExactly(24, 576, 1152, 2304);
        assertThat(channels(ShuffleNets.shuffleNetV1(8, 2.0, 224, 1000))).containsExactly(48, 768, 1536, 3072);
        // the paper's Table 1 for 1x
        assertThat(channels(ShuffleNets.shuffleNetV1(1, 1.0, 224, 1000))).containsExactly(24, 144, 288, 576);
        assertThat(channels(ShuffleNets.shuffleNetV1(2, 1.0, 224, 1000))).containsExactly(24, 200, 400, 800);
        assertThat(channels(ShuffleNets.shuffleNetV1(4, 1.0, 224, 1000))).containsExactly(24, 272, 544, 1088);
        // scaled widths that are not multiples of 4g round to the nearest one
        assertThat(channels(ShuffleNets.shuffleNetV1(4, 0.5, 224, 1000))).containsExactly(12, 144, 288, 576);
        assertThat(channels(ShuffleNets.shuffleNetV1(2, 1.5, 224, 1000))).containsExactly(24, 304, 608, 1216);
    }

    @Test
    void v1UnitsFollowTheReferenceConventions() {
        NetworkSpec spec = ShuffleNets.shuffleNetV1(3, 1.0, 224, 1000);
        assertThat(spec.stages()).extracting(StageSpec::depth).containsExactly(4, 8, 4);
        ShuffleV1Block first = (ShuffleV1Block) spec.stages().get(0).blocks().get(0);
        assertThat(first.groupedFirst()).isFalse();
        assertThat(first.stride()).isEqualTo(2);
        assertThat(first.mid()).isEqualTo(60);
        assertThat(((ShuffleV1Block) spec.stages().get(1).blocks().get(0)).groupedFirst())
                .isTrue();
        assertThat(spec.classifier().bias()).isFalse();
        assertThat(spec.classifier().dropout()).isZero();
        Graph g = spec.graph();
        assertThat(g.node("stages[0].blocks[0].pw1.conv").op()).isEqualTo(new Op.Conv(60, 1, 1, 0, 1, false));
        assertThat(g.node("stages[0].blocks[1].pw1.conv").op()).isEqualTo(new Op.Conv(60, 1, 1, 0, 3, false));
        assertThat(g.node("stages[0].blocks[0].concat").output().channels()).isEqualTo(240);
        assertThat(g.node("stem[1].pool").output().height()).isEqualTo(56);
        assertThat(spec.name()).isEqualTo("shufflenet_v1_g3_1.0");
    }

    @Test
    void v1RejectsUnknownGroupsAndScales() {
        assertThatThrownBy(() -> ShuffleNets.shuffleNetV1(5, 1.0, 224, 1000))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("groups 5 not in [1, 2, 3, 4, 8]");
        assertThatThrownBy(() -> ShuffleNets.shuffleNetV1(3, 0.25, 224, 1000))
                .hasMessageContaining("scale 0.25 not in [0.5, 1.0, 1.5, 2.0]");
    }

    @Test
    void v2FollowsTorchvision() {
        NetworkSpec spec = ShuffleNets.shuffleNetV2(2.0, 224, 1000);
        Graph g = spec.graph();
        assertThat(g.node("stages[0].blocks[0].shuffle").output().channels()).isEqualTo(244);
        assertThat(g.node("stages[2].blocks[3].shuffle").output().channels()).isEqualTo(976);
        assertThat(g.node("head[0].conv").output().channels()).isEqualTo(2048);
        assertThat(ShuffleNets.shuffleNetV2(1.5, 224, 1000)
                        .graph()
                        .node("head[0].conv")
                        .output()
                        .channels())
                .isEqualTo(1024);
        assertThat(spec.classifier().bias()).isTrue();
        assertThatThrownBy(() -> ShuffleNets.shuffleNetV2(0.75, 224, 1000))
                .hasMessageContaining("scale 0.75 not in [0.5, 1.0, 1.5, 2.0]");
    }

    @Test
    void v2SmallDropsTheMaxPoolAndTheStemStride() {
        NetworkSpec small = ShuffleNets.shuffleNetV2Small(1.0, 32, 10);
        assertThat(small.stem()).hasSize(1);
        assertThat(small.stem().get(0).stride()).isEqualTo(1);
        assertThat(small.graph().node("stages[0].blocks[0].shuffle").output().height())
                .isEqualTo(16);
        assertThat(small.name()).isEqualTo("shufflenet_v2_1.0_small");
    }
}
