package org.mobilenas.spaces.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mobilenas.core.cost.Costs;
import org.mobilenas.core.engine.Model;
import org.mobilenas.core.engine.Network;
import org.mobilenas.core.engine.Tensor;
import org.mobilenas.core.graph.Node;
import org.mobilenas.core.json.SpecJson;
import org.mobilenas.core.search.Genotype;
import org.mobilenas.core.spec.MBConvBlock;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.spec.ResidualConvBlock;
import org.mobilenas.core.spec.Skip;
import org.mobilenas.core.spec.SpecException;
import org.mobilenas.core.testing.NetworkLayers;
import org.mobilenas.spaces.catalog.MobileNets;
import org.mobilenas.spaces.search.MnasNetSpace.BlockChoices;
import org.mobilenas.spaces.search.MnasNetSpace.ConvOp;
import org.mobilenas.spaces.search.MnasNetSpace.SkipOp;

class MnasNetSpaceTest {

    /** op, kernel, se, skip, filters, layers indices into the paper choices. */
    private static int[] block(int op, int kernel, int se, int skip, int filters, int layers) {
        return new int[] {op, kernel, se, skip, filters, layers};
    }

    private static Genotype genotype(int[]... blocks) {
        int[] v = new int[blocks.length * 6];
        for (int i = 0; i < blocks.length; i++) {
            System.arraycopy(blocks[i], 0, v, i * 6, 6);
        }
        return Genotype.of(v);
    }

    /** dwconv k3 first block, then MBConv6 k3, no SE, identity skip, base filters and layers: MobileNetV2. */
    private static Genotype mobileNetV2Genotype() {
        int[][] b = new int[7][];
        b[0] = block(1, 0, 0, 2, 1, 1);
        for (int i = 1; i < 7; i++) {
            b[i] = block(3, 0, 0, 1, 1, 1);
        }
        return genotype(b);
    }

    @Test
    void paperSpaceHasSixDecisionsPerBlockAndTheExpectedSize() {
        MnasNetSpace space = MnasNetSpace.paper(1000);
        assertThat(space.decisions()).hasSize(42);
        assertThat(space.decisions().get(0).name()).isEqualTo("block0.op");
        assertThat(space.decisions().get(0).options()).containsExactly("conv", "dwconv", "mbconv3", "mbconv6");
        assertThat(space.decisions().get(2).options()).containsExactly("0.0", "0.25");
        assertThat(space.decisions().get(3).options()).containsExactly("pool", "identity", "none");
        assertThat(space.decisions().get(4).options()).containsExactly("0.75", "1.0", "1.25");
        assertThat(space.decisions().get(5).options()).containsExactly("-1", "0", "+1");
        assertThat(space.size())
                .isEqualTo(BigInteger.valueOf(4 * 2 * 2 * 3 * 3 * 3).pow(7));
    }

    @Test
    void theMobileNetV2PointHasMobileNetV2sExactCosts() {
        NetworkSpec spec = MnasNetSpace.paper(1000).decode(mobileNetV2Genotype());
        Costs c = Costs.of(spec);
        Costs ref = Costs.of(MobileNets.mobileNetV2(1.0, 224, 1000));
        assertThat(c.params()).isEqualTo(3_504_872L);
        assertThat(c.macs()).isEqualTo(ref.macs());
        assertThat(spec.stages()).extracting(s -> s.blocks().size()).containsExactly(1, 2, 3, 4, 3, 3, 1);
    }

    @Test
    void decodesEachOperationAsDocumented() {
        MnasNetSpace space = MnasNetSpace.paper(10);
        Genotype base = mobileNetV2Genotype();
        // block 2: conv, kernel 5, SE 0.25, pool skip, ×1.25 filters, +1 layer
        Genotype g =
                base.with(12, 0).with(13, 1).with(14, 1).with(15, 0).with(16, 2).with(17, 2);
        NetworkSpec spec = space.decode(g);
        var blocks = spec.stages().get(2).blocks();
        assertThat(blocks).hasSize(4).allMatch(b -> b instanceof ResidualConvBlock);
        ResidualConvBlock first = (ResidualConvBlock) blocks.get(0);
        assertThat(first.out()).isEqualTo(40);
        assertThat(first.kernel()).isEqualTo(5);
        assertThat(first.stride()).isEqualTo(2);
        assertThat(first.se().ratio()).isEqualTo(0.25);
        assertThat(first.skip()).isEqualTo(Skip.POOL);
        assertThat(blocks.subList(1, 4)).allMatch(b -> ((ResidualConvBlock) b).stride() == 1);
        // the pooling shortcut of the downsampling layer: avg pool + 1x1 projection
        List<String> names = spec.graph().nodes().stream().map(Node::name).toList();
        assertThat(names)
                .contains(
                        "stages[2].blocks[0].skip.pool",
                        "stages[2].blocks[0].skip.proj.conv",
                        "stages[2].blocks[0].add",
                        "stages[2].blocks[0].se.scale",
                        "stages[2].blocks[1].add");
        assertThat(names).doesNotContain("stages[2].blocks[1].skip.pool");

        // block 3: dwconv with identity skip and -1 layer: no expansion conv, residual only on repeats
        Genotype g2 = base.with(18, 1).with(21, 1).with(23, 0);
        NetworkSpec s2 = space.decode(g2);
        var b3 = s2.stages().get(3).blocks();
        assertThat(b3).hasSize(3);
        MBConvBlock dw = (MBConvBlock) b3.get(0);
        assertThat(dw.expandRatio()).isEqualTo(1.0);
        assertThat(dw.skip()).isEqualTo(Skip.NONE);
        assertThat(((MBConvBlock) b3.get(1)).skip()).isEqualTo(Skip.IDENTITY);
        List<String> n2 = s2.graph().nodes().stream().map(Node::name).toList();
        assertThat(n2).doesNotContain("stages[3].blocks[0].expand.conv").contains("stages[3].blocks[1].add");

        // block 4: mbconv3, skip none, ×0.75 filters: 96·0.75 = 72
        Genotype g3 = base.with(24, 2).with(27, 2).with(28, 0);
        MBConvBlock m = (MBConvBlock) space.decode(g3).stages().get(4).blocks().get(1);
        assertThat(m.expandRatio()).isEqualTo(3.0);
        assertThat(m.out()).isEqualTo(72);
        assertThat(m.skip()).isEqualTo(Skip.NONE);
    }

    @Test
    void layersNeverDropBelowOne() {
        MnasNetSpace space = MnasNetSpace.paper(10);
        Genotype g = mobileNetV2Genotype().with(5, 0).with(41, 0);
        NetworkSpec spec = space.decode(g);
        assertThat(spec.stages().get(0).blocks()).hasSize(1);
        assertThat(spec.stages().get(6).blocks()).hasSize(1);
    }

    @Test
    void everySampleOfTheSmallSpaceDecodesRealizesAndRunsForward() {
        MnasNetSpace space = MnasNetSpace.smallInput(28, 1, 10, 0.25);
        assertThat(space.skeleton().stemStride()).isEqualTo(1);
        SplittableRandom rng = new SplittableRandom(5);
        for (int i = 0; i < 40; i++) {
            Genotype g = space.sample(rng);
            NetworkSpec spec = space.decode(g);
            assertThat(spec.resolution()).isEqualTo(28);
            assertThat(spec.inputChannels()).isEqualTo(1);
            assertThat(SpecJson.fromJson(SpecJson.toJson(spec))).isEqualTo(spec);
            if (i < 3) {
                Model m = Network.realize(spec, 1);
                Tensor out = m.forward(new Tensor(2, 28, 28, 1), Model.Mode.EVAL);
                assertThat(new int[] {out.n, out.h, out.w, out.c}).containsExactly(2, 1, 1, 10);
            }
        }
    }

    @Test
    void customSkeletonAndPerBlockChoices() {
        Skeleton sk = new Skeleton(
                "tiny",
                32,
                3,
                16,
                1,
                List.of(new Skeleton.Block(16, 1, 1, 1), new Skeleton.Block(32, 2, 2, 6)),
                0,
                org.mobilenas.core.spec.Activation.RELU6,
                10,
                0.1);
        MnasNetSpace space = MnasNetSpace.builder(sk)
                .name("tiny_space")
                .choices(BlockChoices.paper().withOps(List.of(ConvOp.MBCONV3, ConvOp.MBCONV6)))
                .choices(0, BlockChoices.fixed(ConvOp.DWCONV, 3, 0, SkipOp.NONE))
                .build();
        assertThat(space.decisions()).hasSize(12);
        assertThat(space.size()).isEqualTo(BigInteger.valueOf(2 * 2 * 2 * 3 * 3 * 3));
        NetworkSpec spec = space.decode(Genotype.of(0, 0, 0, 0, 0, 0, 1, 1, 0, 1, 1, 1));
        assertThat(spec.name()).isEqualTo("tiny_space_0-0-0-0-0-0-1-1-0-1-1-1");
        assertThat(spec.head()).hasSize(1);
        assertThat(spec.stages().get(1).blocks()).hasSize(2);
        assertThat(((MBConvBlock) spec.stages().get(1).blocks().get(0)).kernel())
                .isEqualTo(5);
    }

    @Test
    void invalidInputsNameTheProblem() {
        MnasNetSpace space = MnasNetSpace.paper(10);
        assertThatThrownBy(() -> space.decode(Genotype.of(1, 2, 3)))
                .hasMessageContaining("genotype has 3 choices, expected 42");
        assertThatThrownBy(() -> space.decode(mobileNetV2Genotype().with(0, 4)))
                .hasMessageContaining("block0.op")
                .hasMessageContaining("expected 0..3");
        assertThatThrownBy(() -> BlockChoices.paper().withKernels(List.of(3, 4)))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("4 not in [1, 3, 5, 7]");
        assertThatThrownBy(() -> BlockChoices.paper().withSkips(List.of()))
                .hasMessageContaining("choices.skips must be a non-empty list");
        assertThatThrownBy(() ->
                        MnasNetSpace.builder(Skeleton.mobileNetV2(224, 10)).choices(7, BlockChoices.paper()))
                .hasMessageContaining("block index 7 not in [0, 6]");
        assertThatThrownBy(() -> Skeleton.mobileNetV2(224, 10).withWidth(0)).hasMessageContaining("skeleton width 0.0");
    }

    @Test
    void skeletonStrideLayoutsMatchTheNamedOnesAndTheCatalogFamily() {
        assertThat(Skeleton.mobileNetV2(28, 10, 2, 2)).isEqualTo(Skeleton.mobileNetV2(28, 10));
        assertThat(Skeleton.mobileNetV2(28, 10, 1, 1)).isEqualTo(Skeleton.mobileNetV2Small(28, 10));
        Skeleton os16 = Skeleton.mobileNetV2(28, 10, 2, 1);
        assertThat(os16.name()).isEqualTo("mnas_os16");
        assertThat(os16.stemStride()).isEqualTo(2);
        assertThat(os16.blocks().get(1).stride()).isEqualTo(1);
        // every network of the space ends at the catalog family's 2x2 map
        MnasNetSpace space =
                MnasNetSpace.builder(os16.withInputChannels(1).withWidth(0.25)).build();
        NetworkSpec n = space.decode(space.sample(new SplittableRandom(3)));
        NetworkSpec family = MobileNets.mobileNetV2(0.25, 28, 10, 2, 1).withInputChannels(1);
        assertThat(n.graph().node("head[0].conv").input().height()).isEqualTo(2);
        assertThat(family.graph().node("head[0].conv").input().height()).isEqualTo(2);
        assertThatThrownBy(() -> Skeleton.mobileNetV2(28, 10, 1, 4))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("block2Stride 4");
    }

    @Test
    void coveringNetworksContainEveryLayerOfEveryNetworkOfTheSpace() {
        MnasNetSpace space = MnasNetSpace.builder(
                        Skeleton.mobileNetV2(28, 10, 2, 1).withInputChannels(1).withWidth(0.25))
                .build();
        List<NetworkSpec> cover = space.coveringNetworks();
        assertThat(cover).hasSize(144 + 6 * 432);
        java.util.Set<List<Object>> layers = new java.util.HashSet<>();
        cover.forEach(n -> layers.addAll(NetworkLayers.of(n)));
        SplittableRandom rng = new SplittableRandom(11);
        for (int i = 0; i < 300; i++) {
            NetworkSpec n = space.decode(space.sample(rng));
            assertThat(layers).as(n.name()).containsAll(NetworkLayers.of(n));
        }
    }
}
