package org.mobilenas.core.adapt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mobilenas.core.cost.Costs;
import org.mobilenas.core.engine.Model;
import org.mobilenas.core.engine.Network;
import org.mobilenas.core.engine.Param;
import org.mobilenas.core.engine.Tensor;
import org.mobilenas.core.graph.Graph;
import org.mobilenas.core.graph.Node;
import org.mobilenas.core.graph.Op;
import org.mobilenas.core.spec.Activation;
import org.mobilenas.core.spec.ConvBlock;
import org.mobilenas.core.spec.GlobalPoolBlock;
import org.mobilenas.core.spec.MBConvBlock;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.spec.SeparableConvBlock;
import org.mobilenas.core.spec.ShuffleV2Block;
import org.mobilenas.core.spec.SqueezeExcite;

class NetworkSurgeryTest {

    static NetworkSpec v1() {
        return NetworkSpec.builder("v1", 8, 3)
                .stem(ConvBlock.of(16, 3, 1, Activation.RELU))
                .stage(
                        "s",
                        new SeparableConvBlock(24, 3, 1, Activation.RELU, Activation.RELU),
                        new SeparableConvBlock(32, 3, 2, Activation.RELU, Activation.RELU))
                .head(GlobalPoolBlock.avg())
                .classifier(5, 0.0)
                .build();
    }

    static NetworkSpec v2() {
        MBConvBlock b = MBConvBlock.of(24, 3, 2, 6, Activation.RELU6);
        return NetworkSpec.builder("v2", 8, 3)
                .stem(ConvBlock.of(16, 3, 1, Activation.RELU6))
                .stage("a", MBConvBlock.of(16, 3, 1, 1, Activation.RELU6))
                .stage("b", b, b.asRepeat(), b.asRepeat())
                .head(ConvBlock.of(40, 1, 1, Activation.RELU6), GlobalPoolBlock.avg())
                .classifier(5, 0.2)
                .build();
    }

    static NetworkSpec mnas() {
        MBConvBlock b = MBConvBlock.of(24, 5, 2, 3, Activation.RELU).withSe(SqueezeExcite.mnasNet(0.25));
        return NetworkSpec.builder("mnas", 8, 3)
                .stem(ConvBlock.of(16, 3, 1, Activation.RELU))
                .stage("a", new SeparableConvBlock(16, 3, 1, Activation.RELU, Activation.NONE))
                .stage("b", b, b.asRepeat())
                .head(ConvBlock.of(32, 1, 1, Activation.RELU), GlobalPoolBlock.avg())
                .classifier(5, 0.0)
                .build();
    }

    static NetworkSpec shuffle() {
        return NetworkSpec.builder("shuffle_v2_unit", 8, 3)
                .stem(ConvBlock.of(24, 3, 1, Activation.RELU))
                .stage("s", new ShuffleV2Block(32, 2, 3), new ShuffleV2Block(32, 1, 3))
                .head(ConvBlock.of(40, 1, 1, Activation.RELU), GlobalPoolBlock.avg())
                .classifier(5, 0.0)
                .build();
    }

    /** Random weights and BN statistics, so that every channel matters. */
    static Network trained(NetworkSpec spec, long seed) {
        Network n = Network.realize(spec, seed);
        SplittableRandom r = new SplittableRandom(seed + 1);
        for (Param p : n.parameters().all()) {
            float[] v = p.value();
            for (int i = 0; i < v.length; i++) {
                switch (p.role()) {
                    case BN_GAMMA -> v[i] = (float) (0.5 + r.nextDouble());
                    case BN_RUNNING_VAR -> v[i] = (float) (0.5 + r.nextDouble());
                    case BN_BETA, BN_RUNNING_MEAN, BIAS -> v[i] = (float) (r.nextGaussian() * 0.2);
                    default -> v[i] += 0f;
                }
            }
        }
        return n;
    }

    static Tensor input(NetworkSpec spec, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor t = new Tensor(n, spec.resolution(), spec.resolution(), spec.inputChannels());
        for (int i = 0; i < t.data.length; i++) {
            t.data[i] = (float) r.nextGaussian();
        }
        return t;
    }

    /**
     * The original network with every channel the pruned one lacks set to zero where its consumers read it:
     * the consumers' weights for those channels are zeroed.
     */
    static Network masked(Network original, NetworkSurgery.Pruned pruned) {
        Network m = NetAdapter.copy(original);
        Graph g = m.graph();
        for (Node n : g.nodes()) {
            boolean consumer = n.op() instanceof Op.Linear
                    || (n.op() instanceof Op.Conv c && !c.depthwise(n.input().channels()));
            if (!consumer) {
                continue;
            }
            Node in = g.node(n.inputs().get(0));
            Set<Integer> kept = new HashSet<>();
            for (int c : pruned.channels(in.name())) {
                kept.add(c);
            }
            int channels = in.output().channels();
            float[] w = m.parameters().get(n.name() + ".weight").value();
            if (n.op() instanceof Op.Conv c) {
                int perGroup = channels / c.groups();
                int k2 = c.kernel() * c.kernel();
                int outPerGroup = c.out() / c.groups();
                for (int ch = 0; ch < channels; ch++) {
                    if (kept.contains(ch)) {
                        continue;
                    }
                    int group = ch / perGroup;
                    for (int o = group * outPerGroup; o < (group + 1) * outPerGroup; o++) {
                        for (int k = 0; k < k2; k++) {
                            w[(o * k2 + k) * perGroup + ch % perGroup] = 0f;
                        }
                    }
                }
            } else {
                int inSize = (int) n.input().elements();
                int out = w.length / inSize;
                for (int o = 0; o < out; o++) {
                    for (int idx = 0; idx < inSize; idx++) {
                        if (!kept.contains(idx % channels)) {
                            w[o * inSize + idx] = 0f;
                        }
                    }
                }
            }
        }
        return m;
    }

    static void assertEquivalent(Network original, NetworkSurgery.Pruned pruned) {
        Tensor x = input(original.spec(), 3, 99);
        Tensor expected = masked(original, pruned).forward(x, Model.Mode.EVAL);
        Tensor actual = pruned.network().forward(x, Model.Mode.EVAL);
        assertThat(actual.data.length).isEqualTo(expected.data.length);
        double scale = 0;
        for (float v : expected.data) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertThat(scale).isGreaterThan(1e-3);
        for (int i = 0; i < expected.data.length; i++) {
            assertThat((double) actual.data[i])
                    .as("logit %d", i)
                    .isCloseTo(expected.data[i], org.assertj.core.data.Offset.offset(1e-4 * Math.max(1, scale)));
        }
        // the pruned network must really differ from the unmasked original (the test is not vacuous)
        Tensor unmasked = original.forward(x, Model.Mode.EVAL);
        double diff = 0;
        for (int i = 0; i < unmasked.data.length; i++) {
            diff = Math.max(diff, Math.abs(unmasked.data[i] - actual.data[i]));
        }
        assertThat(diff).isGreaterThan(1e-4);
        // spec, parameter store and cost model agree
        assertThat(pruned.network().parameters().trainableCount())
                .isEqualTo(Costs.of(pruned.network().spec()).params());
    }

    static PrunableLayer layer(NetworkSpec spec, String name) {
        return NetworkSurgery.layers(spec).stream()
                .filter(l -> l.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no layer " + name + " in " + NetworkSurgery.layers(spec)));
    }

    @Test
    void mobileNetV1LayersArePrunedExactly() {
        Network net = trained(v1(), 1);
        assertThat(NetworkSurgery.layers(net.spec()))
                .extracting(PrunableLayer::name)
                .containsExactly("stem[0]", "stages[0].blocks[0].pw", "stages[0].blocks[1].pw");
        for (PrunableLayer l : NetworkSurgery.layers(net.spec())) {
            NetworkSurgery.Pruned p = NetworkSurgery.prune(net, l, 8, 3);
            assertEquivalent(net, p);
            assertThat(p.network().graph().node(l.producers().get(0)).output().channels())
                    .isEqualTo(8);
        }
        NetworkSurgery.Pruned p = NetworkSurgery.prune(net, layer(net.spec(), "stem[0]"), 8, 3);
        // the depthwise conv after the stem lost the same channels
        assertThat(p.channels("stages[0].blocks[0].dw.conv")).isEqualTo(p.channels("stem[0].conv"));
        assertThat(p.network().spec().stem().get(0)).isEqualTo(ConvBlock.of(8, 3, 1, Activation.RELU));
    }

    @Test
    void keepsTheFiltersWithTheLargestL2Norm() {
        Network net = trained(v1(), 2);
        Param w = net.parameters().get("stages[0].blocks[0].pw.conv.weight");
        int per = w.size() / 24;
        // make filters 3, 5 and 20 the strongest
        for (int f : new int[] {3, 5, 20}) {
            for (int k = 0; k < per; k++) {
                w.value()[f * per + k] *= 50f;
            }
        }
        NetworkSurgery.Pruned p = NetworkSurgery.prune(net, layer(net.spec(), "stages[0].blocks[0].pw"), 8, 0);
        assertThat(p.channels("stages[0].blocks[0].pw.conv")).contains(3, 5, 20).hasSize(8);
        double[] norms = new double[24];
        for (int f = 0; f < 24; f++) {
            for (int k = 0; k < per; k++) {
                norms[f] += w.value()[f * per + k] * w.value()[f * per + k];
            }
        }
        double minKept = Double.MAX_VALUE;
        Set<Integer> kept = new HashSet<>();
        for (int c : p.channels("stages[0].blocks[0].pw.conv")) {
            kept.add(c);
            minKept = Math.min(minKept, norms[c]);
        }
        for (int f = 0; f < 24; f++) {
            if (!kept.contains(f)) {
                assertThat(norms[f]).isLessThanOrEqualTo(minKept);
            }
        }
    }

    @Test
    void mobileNetV2ResidualGroupsArePrunedTogether() {
        Network net = trained(v2(), 4);
        List<PrunableLayer> layers = NetworkSurgery.layers(net.spec());
        PrunableLayer chain = layer(net.spec(), "stages[1].blocks[0].project");
        assertThat(chain.producers())
                .containsExactly(
                        "stages[1].blocks[0].project.conv",
                        "stages[1].blocks[1].project.conv",
                        "stages[1].blocks[2].project.conv");
        assertThat(layers)
                .extracting(PrunableLayer::name)
                .contains("stem[0]", "stages[1].blocks[0].expand", "stages[1].blocks[1].expand", "head[0]");
        for (PrunableLayer l : layers) {
            int w = l.channels() > 16 ? 16 : 8;
            NetworkSurgery.Pruned p;
            try {
                p = NetworkSurgery.prune(net, l, w, 5);
            } catch (SurgeryException e) {
                // an expansion conv cut to its input width would disappear: not an exact cut
                assertThat(l.kind()).isEqualTo("expand");
                continue;
            }
            assertEquivalent(net, p);
        }
        NetworkSurgery.Pruned p = NetworkSurgery.prune(net, chain, 16, 5);
        assertThat(p.channels("stages[1].blocks[1].add")).isEqualTo(p.channels("stages[1].blocks[0].project.conv"));
        assertThat(p.network().spec().stages().get(1).blocks())
                .allSatisfy(b -> assertThat(((MBConvBlock) b).out()).isEqualTo(16));
        // the expanded widths of the blocks reading the pruned stream stay as they were
        assertThat(((MBConvBlock) p.network().spec().stages().get(1).blocks().get(1)).expandedChannels())
                .isEqualTo(144);
    }

    @Test
    void mnasNetBlocksWithSqueezeExcitationArePrunedExactly() {
        Network net = trained(mnas(), 6);
        for (PrunableLayer l : NetworkSurgery.layers(net.spec())) {
            assertEquivalent(net, NetworkSurgery.prune(net, l, 8, 7));
        }
    }

    @Test
    void shuffleNetV2StageIsPrunedThroughSplitConcatAndShuffle() {
        Network net = trained(shuffle(), 8);
        PrunableLayer stage = layer(net.spec(), "stages[0].blocks[0]");
        assertThat(stage.kind()).isEqualTo("shuffle_v2_stage");
        assertThat(stage.blocks()).containsExactly("stages[0].blocks[0]", "stages[0].blocks[1]");
        for (int w : new int[] {24, 16, 8}) {
            NetworkSurgery.Pruned p = NetworkSurgery.prune(net, stage, w, 9);
            assertEquivalent(net, p);
            assertThat(p.network().spec().stages().get(0).blocks())
                    .containsExactly(new ShuffleV2Block(w, 2, 3), new ShuffleV2Block(w, 1, 3));
            // the pass-through half of the stride-1 unit comes from the first half of the previous output
            for (int c : p.channels("stages[0].blocks[1].split_left")) {
                assertThat(c).isBetween(0, 15);
            }
        }
        // layers inside and after the stage are exact too
        for (PrunableLayer l : NetworkSurgery.layers(net.spec())) {
            assertEquivalent(net, NetworkSurgery.prune(net, l, 8, 9));
        }
    }

    @Test
    void widerThanTheLayerIsAnError() {
        Network net = trained(v1(), 1);
        PrunableLayer l = layer(net.spec(), "stem[0]");
        assertThatThrownBy(() -> NetworkSurgery.prune(net, l, 17, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("width 17 of stem[0]");
        assertThatThrownBy(() -> NetworkSurgery.withWidth(net.spec(), l, 0))
                .hasMessageContaining("width 0 of stem[0] must be >= 1");
    }

    @Test
    void normalizeKeepsTheGraph() {
        NetworkSpec s = v2();
        NetworkSpec n = NetworkSurgery.normalize(s);
        assertThat(n).isNotEqualTo(s);
        assertThat(n.graph().nodes()).isEqualTo(s.graph().nodes());
        assertThat(NetworkSurgery.normalize(n)).isEqualTo(n);
    }
}
