package org.mobilenas.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mobilenas.core.cost.Costs;
import org.mobilenas.core.graph.Node;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.testing.RandomSpecs;

class LeanInferenceTest {
    private static Tensor input(NetworkSpec spec, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor t = new Tensor(n, spec.resolution(), spec.resolution(), spec.inputChannels());
        for (int i = 0; i < t.data.length; i++) {
            t.data[i] = (float) r.nextGaussian();
        }
        return t;
    }

    @Test
    void leanBuffersGiveTheSameLogitsAsKeptOnesForEveryBlockKind() {
        for (String kind : RandomSpecs.KINDS) {
            for (long seed = 1; seed <= 3; seed++) {
                NetworkSpec spec = RandomSpecs.of(seed, kind);
                for (boolean fuse : new boolean[] {false, true}) {
                    Network lean = Network.builder(spec).seed(seed).fuse(fuse).build();
                    Network kept = Network.builder(spec).seed(seed).fuse(fuse).build();
                    kept.keepActivations(true);
                    for (int pass = 0; pass < 3; pass++) {
                        // several passes: reused buffers hold the previous pass's values
                        Tensor x = input(spec, 1 + pass % 2, 10 * seed + pass);
                        Tensor a = lean.forward(x, Model.Mode.EVAL);
                        Tensor b = kept.forward(x, Model.Mode.EVAL);
                        assertThat(a.data)
                                .as(kind + " seed " + seed + " fuse " + fuse + " pass " + pass)
                                .containsExactly(b.data);
                    }
                }
            }
        }
    }

    @Test
    void leanBuffersHoldTheLiveActivationsNotAllOfThem() {
        for (String kind : RandomSpecs.KINDS) {
            NetworkSpec spec = RandomSpecs.of(5, kind);
            Network net = Network.realize(spec, 1);
            long all = 0;
            for (Node node : net.graph().nodes()) {
                all += 4 * node.output().elements();
            }
            long lean = net.inferenceBytes(1);
            assertThat(lean).as(kind).isLessThanOrEqualTo(all);
            assertThat(lean).as(kind).isGreaterThanOrEqualTo(Costs.of(spec).peakActivationBytes() / 2);
            assertThat(net.inferenceBytes(4)).isEqualTo(4 * lean);
        }
    }

    @Test
    void inspectingNodesNeedsKeptActivations() {
        NetworkSpec spec = RandomSpecs.of(2, RandomSpecs.KINDS.get(0));
        Network net = Network.realize(spec, 1);
        String node = net.graph().node(1).name();
        net.forward(input(spec, 1, 1), Model.Mode.EVAL);
        assertThatThrownBy(() -> net.activation(node)).hasMessageContaining("keepActivations(true)");
        net.keepActivations(true);
        net.forward(input(spec, 1, 1), Model.Mode.EVAL);
        assertThat(net.activation(node).n).isEqualTo(1);
        assertThatThrownBy(() -> net.inferenceBytes(0)).hasMessageContaining("n 0");
        assertThat(net.affordableBatch(3)).isBetween(1, 3);
    }
}
