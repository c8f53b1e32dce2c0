package org.mobilenas.spaces.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mobilenas.core.cost.Costs;
import org.mobilenas.core.graph.Graph;
import org.mobilenas.core.spec.Activation;
import org.mobilenas.core.spec.BlockSpec;
import org.mobilenas.core.spec.ConvBlock;
import org.mobilenas.core.spec.MBConvBlock;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.spec.SeparableConvBlock;
import org.mobilenas.core.spec.Skip;
import org.mobilenas.core.spec.SpecException;
import org.mobilenas.core.spec.StageSpec;

class MobileNetsTest {
    @Test
    void mobileNetV2MatchesTorchvision() {
        Costs c = Costs.of(MobileNets.mobileNetV2(1.0, 224, 1000));
        assertThat(c.params()).isEqualTo(3_504_872L);
        assertThat(c.macs() / 1e6).isCloseTo(300.8, within(3.0));
    }

    @Test
    void mobileNetV1FollowsTheSlimLayout() {
        NetworkSpec spec = MobileNets.mobileNetV1(0.75, 192, 1000);
        assertThat(spec.name()).isEqualTo("mobilenet_v1_0.75_192");
        assertThat(((ConvBlock) spec.stem().get(0)).out()).isEqualTo(24);
        List<BlockSpec> blocks = spec.stages().get(0).blocks();
        assertThat(blocks).hasSize(13).allSatisfy(b -> assertThat(b).isInstanceOf(SeparableConvBlock.class));
        assertThat(blocks.stream().mapToInt(b -> ((SeparableConvBlock) b).out()).toArray())
                .containsExactly(48, 96, 96, 192, 192, 384, 384, 384, 384, 384, 384, 768, 768);
        assertThat(((SeparableConvBlock) blocks.get(0)).pointwiseActivation()).isEqualTo(Activation.RELU);
        assertThat(spec.graph().node("head[0].pool").input().height()).isEqualTo(6);
        // width 0.1 hits the minimum depth of 8 in the stem and first block
        assertThat(((ConvBlock) MobileNets.mobileNetV1(0.1, 224, 10).stem().get(0)).out())
                .isEqualTo(8);
    }

    @Test
    void v1ParamsDoNotDependOnResolution() {
        assertThat(Costs.of(MobileNets.mobileNetV1(1.0, 128, 1000)).params())
                .isEqualTo(Costs.of(MobileNets.mobileNetV1(1.0, 224, 1000)).params());
    }

    @Test
    void v2StrideLayoutsNameTheTwoKnownOnesAndDownsampleByTheProductOfStrides() {
        assertThat(MobileNets.mobileNetV2(0.5, 28, 10, 2, 2).withName("x"))
                .isEqualTo(MobileNets.mobileNetV2(0.5, 28, 10).withName("x"));
        assertThat(MobileNets.mobileNetV2(0.5, 28, 10, 1, 1)).isEqualTo(MobileNets.mobileNetV2Small(0.5, 28, 10));
        NetworkSpec os16 = MobileNets.mobileNetV2(0.5, 28, 10, 2, 1);
        assertThat(os16.name()).isEqualTo("mobilenet_v2_0.5_os16");
        assertThat(os16.stem().get(0)).isEqualTo(ConvBlock.of(16, 3, 2, Activation.RELU6));
        assertThat(((MBConvBlock) os16.stages().get(1).blocks().get(0)).stride())
                .isEqualTo(1);
        // a quarter of the small layout's cost, give or take the padding of odd sizes
        double ratio = (double) Costs.of(os16).macs()
                / Costs.of(MobileNets.mobileNetV2Small(0.5, 28, 10)).macs();
        assertThat(ratio).isBetween(0.2, 0.35);
        assertThatThrownBy(() -> MobileNets.mobileNetV2(0.5, 28, 10, 3, 1))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("stemStride 3");
        assertThatThrownBy(() -> MobileNets.mobileNetV2(0.5, 28, 10, 2, 0))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("stage2Stride 0");
    }

    @Test
    void v2SmallChangesOnlyTheTwoEarlyStrides() {
        NetworkSpec full = MobileNets.mobileNetV2(1.0, 32, 10);
        NetworkSpec small = MobileNets.mobileNetV2Small(1.0, 32, 10);
        assertThat(small.name()).isEqualTo("mobilenet_v2_1.0_small");
        assertThat(small.stem().get(0).stride()).isEqualTo(1);
        assertThat(small.stages().get(1).blocks().get(0).stride()).isEqualTo(1);
        assertThat(strides(small)).containsExactly(1, 1, 1, 2, 1, 1, 2, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1);
        assertThat(strides(full)).containsExactly(1, 2, 1, 2, 1, 1, 2, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1);
        // same weights, so the same parameter count
        assertThat(Costs.of(small).params()).isEqualTo(Costs.of(full).params());
        assertThat(((MBConvBlock) small.stages().get(1).blocks().get(0)).skip()).isEqualTo(Skip.NONE);
    }

    @Test
    void v1SmallChangesStemAndFirstStrideTwoBlock() {
        NetworkSpec small = MobileNets.mobileNetV1Small(1.0, 32, 10);
        assertThat(small.name()).isEqualTo("mobilenet_v1_1.0_small");
        assertThat(small.stem().get(0).stride()).isEqualTo(1);
        assertThat(strides(small)).containsExactly(1, 1, 1, 2, 1, 2, 1, 1, 1, 1, 1, 2, 1);
        assertThat(Costs.of(small).params())
                .isEqualTo(Costs.of(MobileNets.mobileNetV1(1.0, 32, 10)).params());
    }

    private static List<Integer> strides(NetworkSpec spec) {
        List<Integer> out = new ArrayList<>();
        for (StageSpec s : spec.stages()) {
            for (BlockSpec b : s.blocks()) {
                out.add(b.stride());
            }
        }
        return out;
    }

    @Test
    void v2HeadNeverShrinksButGrowsWithWidth() {
        assertThat(((ConvBlock) MobileNets.mobileNetV2(0.5, 224, 10).head().get(0)).out())
                .isEqualTo(1280);
        assertThat(((ConvBlock) MobileNets.mobileNetV2(1.4, 224, 10).head().get(0)).out())
                .isEqualTo(1792);
    }

    @Test
    void v3LargeSmallInputChangesOnlyTheFirstStrideTwoBlock() {
        NetworkSpec full = MobileNets.mobileNetV3Large(0.5, 28, 10);
        NetworkSpec small = MobileNets.mobileNetV3LargeSmall(0.5, 28, 10);
        assertThat(small.name()).isEqualTo("mobilenet_v3_large_0.5_os16");
        List<BlockSpec> a =
                full.stages().stream().flatMap(s -> s.blocks().stream()).toList();
        List<BlockSpec> b =
                small.stages().stream().flatMap(s -> s.blocks().stream()).toList();
        assertThat(b).hasSize(a.size());
        int changed = 0;
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).equals(b.get(i))) {
                changed++;
                assertThat(a.get(i).stride()).isEqualTo(2);
                assertThat(b.get(i).stride()).isEqualTo(1);
                assertThat(i).isEqualTo(1);
            }
        }
        assertThat(changed).isEqualTo(1);
        assertThat(small.graph().node("head[0].conv").input().height()).isEqualTo(2);
    }

    @Test
    void v3LargeHasTorchvisionStructure() {
        NetworkSpec spec = MobileNets.mobileNetV3Large(1.0, 224, 1000);
        assertThat(spec.stages().stream().mapToInt(StageSpec::depth).sum()).isEqualTo(15);
        Graph g = spec.graph();
        // first block: expanded == input, so no expansion conv, and a residual
        assertThat(g.nodes().stream().map(n -> n.name()).toList())
                .doesNotContain("stages[0].blocks[0].expand.conv")
                .contains("stages[0].blocks[0].add");
        // SE of the 72-wide block squeezes to make_divisible(72 / 4, 8) = 24 (16 would be below 90 % of 18)
        assertThat(g.node("stages[2].blocks[0].se.reduce.conv").output().channels())
                .isEqualTo(24);
        assertThat(g.node("head[0].conv").output().channels()).isEqualTo(960);
        assertThat(g.node("head[2].conv").output().channels()).isEqualTo(1280);
        ConvBlock linear = (ConvBlock) spec.head().get(2);
        assertThat(linear.batchNorm()).isFalse();
        assertThat(linear.bias()).isTrue();
        assertThat(linear.activation()).isEqualTo(Activation.HSWISH);
        assertThat(spec.classifier().dropout()).isEqualTo(0.2);
    }

    @Test
    void v3WidthScalesEveryLayerIncludingTheHead() {
        NetworkSpec spec = MobileNets.mobileNetV3Small(0.75, 224, 1000);
        assertThat(spec.name()).isEqualTo("mobilenet_v3_small_0.75");
        Graph g = spec.graph();
        assertThat(g.node("stem[0].conv").output().channels()).isEqualTo(16);
        assertThat(g.node("head[0].conv").output().channels()).isEqualTo(6 * 72);
        assertThat(g.node("head[2].conv").output().channels()).isEqualTo(768);
    }

    @Test
    void badWidthIsRejectedWithTheField() {
        assertThatThrownBy(() -> MobileNets.mobileNetV2(0, 224, 10))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("width 0.0");
        assertThatThrownBy(() -> MobileNets.mobileNetV3Large(Double.NaN, 224, 10))
                .hasMessageContaining("width NaN");
        assertThatThrownBy(() -> MobileNets.mobileNetV1(-1, 224, 10)).hasMessageContaining("width -1.0");
    }
}
