package org.mobilenas.spaces.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.mobilenas.core.graph.Graph;
import org.mobilenas.core.spec.ConvBlock;
import org.mobilenas.core.spec.MBConvBlock;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.spec.SpecException;
import org.mobilenas.core.spec.StageSpec;
import org.mobilenas.spaces.catalog.EfficientNets.DepthRule;

class EfficientNetsTest {

    @Test
    void depthRulesMatchThePythonReferences() {
        // EfficientNet: ceil, with the same floating-point products as Python
        assertThat(EfficientNets.stageDepth(1, 1.1, DepthRule.CEIL)).isEqualTo(2);
        assertThat(EfficientNets.stageDepth(2, 1.1, DepthRule.CEIL)).isEqualTo(3);
        assertThat(EfficientNets.stageDepth(3, 1.2, DepthRule.CEIL)).isEqualTo(4);
        assertThat(EfficientNets.stageDepth(5, 1.4, DepthRule.CEIL)).isEqualTo(7);
        // TinyNet: round half to even, at least 1
        assertThat(EfficientNets.stageDepth(2, 1.25, DepthRule.ROUND)).isEqualTo(2);
        assertThat(EfficientNets.stageDepth(6, 1.25, DepthRule.ROUND)).isEqualTo(8);
        assertThat(EfficientNets.stageDepth(1, 0.4, DepthRule.ROUND)).isEqualTo(1);
        assertThat(EfficientNets.stageDepth(4, 0.6, DepthRule.ROUND)).isEqualTo(2);
    }

    @Test
    void b3HasTorchvisionDepthsAndWidths() {
        NetworkSpec spec = EfficientNets.efficientNet(3, 1000);
        assertThat(spec.resolution()).isEqualTo(300);
        assertThat(spec.stages()).extracting(StageSpec::depth).containsExactly(2, 3, 3, 5, 5, 6, 2);
        assertThat(spec.stages())
                .extracting(s -> s.blocks().get(0).outChannels(0))
                .containsExactly(24, 32, 48, 96, 136, 232, 384);
        assertThat(((ConvBlock) spec.stem().get(0)).out()).isEqualTo(40);
        assertThat(((ConvBlock) spec.head().get(0)).out()).isEqualTo(1536);
        assertThat(spec.classifier().dropout()).isEqualTo(0.3);
        Graph g = spec.graph();
        // squeeze = max(1, input / 4): the first block reads the 40-channel stem
        assertThat(g.node("stages[0].blocks[0].se.reduce.conv").output().channels())
                .isEqualTo(10);
        assertThat(g.nodes().stream().map(n -> n.name()))
                .doesNotContain("stages[0].blocks[0].expand.conv")
                .contains("stages[0].blocks[1].add", "stages[1].blocks[0].expand.conv");
    }

    @Test
    void tinyNetsFollowTimm() {
        NetworkSpec e = EfficientNets.tinyNet('e', 1000);
        assertThat(e.resolution()).isEqualTo(106);
        assertThat(e.stages()).extracting(StageSpec::depth).containsExactly(1, 1, 1, 2, 2, 2, 1);
        assertThat(((ConvBlock) e.stem().get(0)).out()).isEqualTo(32);
        assertThat(((ConvBlock) e.head().get(0)).out()).isEqualTo(1280);
        assertThat(e.stages())
                .extracting(s -> s.blocks().get(0).outChannels(0))
                .containsExactly(8, 16, 24, 40, 56, 96, 160);
        NetworkSpec a = EfficientNets.tinyNet('A', 1000);
        assertThat(a.name()).isEqualTo("tinynet_a");
        assertThat(a.stages()).extracting(StageSpec::depth).containsExactly(1, 2, 2, 4, 4, 5, 1);
        assertThat(EfficientNets.tinyNet('b', 1000).stages())
                .extracting(StageSpec::depth)
                .containsExactly(1, 2, 2, 3, 3, 4, 1);
        assertThat(EfficientNets.tinyNet('d', 1000).resolution()).isEqualTo(152);
        assertThat(((MBConvBlock) a.stages().get(1).blocks().get(1)).se()).isNotNull();
    }

    @Test
    void scaledGivesTheB0SkeletonAtAnyMultiplier() {
        NetworkSpec b0 = EfficientNets.efficientNet(0, 1000);
        NetworkSpec same =
                EfficientNets.scaled("efficientnet_b0", 1.0, 1.0, 224, 0.2, DepthRule.CEIL, true, 1280, 1000);
        assertThat(same).isEqualTo(b0);
        NetworkSpec wide = EfficientNets.scaled("x", 2.0, 1.0, 64, 0.2, DepthRule.ROUND, true, 2560, 10);
        assertThat(((ConvBlock) wide.stem().get(0)).out()).isEqualTo(64);
        assertThat(((ConvBlock) EfficientNets.scaled("x", 2.0, 1.0, 64, 0.2, DepthRule.ROUND, false, 2560, 10)
                                .stem()
                                .get(0))
                        .out())
                .isEqualTo(32);
    }

    @Test
    void unknownVariantsAreRejected() {
        assertThatThrownBy(() -> EfficientNets.efficientNet(8, 1000))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("variant 8 not in [0, 7]");
        assertThatThrownBy(() -> EfficientNets.tinyNet('f', 1000)).hasMessageContaining("'f' not in [a, b, c, d, e]");
        assertThatThrownBy(() -> EfficientNets.scaled("x", 1.0, 0, 224, 0.2, DepthRule.CEIL, true, 1280, 10))
                .hasMessageContaining("depth 0.0");
    }
}
