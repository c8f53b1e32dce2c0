package org.mobilenas.core.train;

import org.junit.jupiter.api.Nested;
import org.mobilenas.core.testing.OptimizerContract;

/** The optimizer contract applied to every update rule and its common settings. */
class OptimizerContractTest {

    @Nested
    class PlainSgd extends OptimizerContract {
        @Override
        protected Optimizer create() {
            return Optimizer.sgd();
        }
    }

    @Nested
    class NesterovSgd extends OptimizerContract {
        @Override
        protected Optimizer create() {
            return Optimizer.sgd(0.9, true);
        }
    }

    @Nested
    class TensorflowRmsProp extends OptimizerContract {
        @Override
        protected Optimizer create() {
            return RmsProp.tensorflow(0.9, 0.9, 1e-3);
        }

        @Override
        protected double learningRate() {
            return 0.01;
        }
    }

    @Nested
    class DefaultAdam extends OptimizerContract {
        @Override
        protected Optimizer create() {
            return Optimizer.adam();
        }
    }
}
