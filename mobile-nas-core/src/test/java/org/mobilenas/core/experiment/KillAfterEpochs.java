package org.mobilenas.core.experiment;

import org.mobilenas.core.engine.Model;
import org.mobilenas.core.engine.ParameterStore;
import org.mobilenas.core.engine.Tensor;
import org.mobilenas.core.spec.NetworkSpec;

/** A model that throws on its {@code limit + 1}-th training forward pass, as a kill in the middle of a run. */
final class KillAfterEpochs implements Model {
    /** An error, so nothing records it as the job's result: the process simply stops, as under kill -9. */
    static final class Killed extends Error {
        private static final long serialVersionUID = 1L;

        Killed() {
            super("killed");
        }
    }

    private final Model inner;
    private final int limit;
    private int trainSteps;

    KillAfterEpochs(Model inner, int limit) {
        this.inner = inner;
        this.limit = limit;
    }

    @Override
    public NetworkSpec spec() {
        return inner.spec();
    }

    @Override
    public ParameterStore parameters() {
        return inner.parameters();
    }

    @Override
    public void seed(long seed) {
        inner.seed(seed);
    }

    @Override
    public void resetBatchNormStatistics() {
        inner.resetBatchNormStatistics();
    }

    @Override
    public Tensor forward(Tensor input, Mode mode) {
        if (mode == Mode.TRAIN && ++trainSteps > limit) {
            throw new Killed();
        }
        return inner.forward(input, mode);
    }

    @Override
    public void backward(Tensor gradLogits) {
        inner.backward(gradLogits);
    }
}
