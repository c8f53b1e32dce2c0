package org.mobilenas.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.mobilenas.core.cost.Costs;
import org.mobilenas.core.graph.Node;
import org.mobilenas.core.graph.Op;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.testing.RandomSpecs;

/** Realized networks agree with the cost model and run forward and backward for random valid specs. */
class RealizationPropertyTest {

    @Property(tries = 60)
    void trainableParameterCountEqualsCostModel(@ForAll long seed) {
        NetworkSpec spec = RandomSpecs.of(seed);
        Network net = Network.realize(spec, seed);
        assertThat(net.parameters().trainableCount()).isEqualTo(Costs.of(spec).params());
        for (Node n : net.graph().nodes()) {
            if (n.op() instanceof Op.Conv || n.op() instanceof Op.Linear) {
                assertThat(net.parameters().contains(n.name() + ".weight")).isTrue();
            }
            if (n.op() instanceof Op.BatchNorm) {
                assertThat(net.parameters().contains(n.name() + ".running_var")).isTrue();
            }
        }
    }

    @Property(tries = 25)
    void everyRandomSpecTrainsOneStepWithFiniteValues(@ForAll long seed) {
        NetworkSpec spec = RandomSpecs.of(seed);
        Network net = Network.realize(spec, seed);
        Tensor x = new Tensor(2, spec.resolution(), spec.resolution(), spec.inputChannels());
        java.util.Random r = new java.util.Random(seed);
        for (int i = 0; i < x.size(); i++) {
            x.data[i] = (float) r.nextGaussian();
        }
        Tensor logits = net.forward(x, Model.Mode.TRAIN);
        assertThat(logits.n).isEqualTo(2);
        assertThat(logits.c).isEqualTo(spec.numClasses());
        Tensor g = new Tensor(logits.n, 1, 1, logits.c);
        for (int i = 0; i < g.size(); i++) {
            g.data[i] = (float) r.nextGaussian();
        }
        net.backward(g);
        for (Param p : net.parameters().trainable()) {
            for (float v : p.grad()) {
                assertThat(Float.isFinite(v)).as(p.name()).isTrue();
            }
        }
        for (float v : net.forward(x, Model.Mode.EVAL).data) {
            assertThat(Float.isFinite(v)).isTrue();
        }
    }
}
