package org.mobilenas.core.search;

import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.mobilenas.core.cost.Costs;
import org.mobilenas.core.engine.Network;
import org.mobilenas.core.experiment.ExperimentRunner;
import org.mobilenas.core.experiment.ProxyData;
import org.mobilenas.core.experiment.ProxyTask;
import org.mobilenas.core.testing.EvaluatorContract;

/** The evaluator contract applied to every evaluator of the core. */
class EvaluatorContractTest {
    private static final ProxyTask TASK = ProxyTask.quick().withEpochs(1).withTrainImages(128);
    private static final ProxyData DATA = TASK.load();

    @Nested
    class OfFunction extends EvaluatorContract {
        @Override
        protected Evaluator create() {
            return Evaluator.of(spec -> {
                if (spec.inputChannels() != 1) {
                    throw new IllegalArgumentException("expected 1 input channel");
                }
                return Costs.of(spec).params() % 97 / 97.0;
            });
        }
    }

    @Nested
    class Training extends EvaluatorContract {
        @Override
        protected Evaluator create() {
            return Evaluator.training(TASK.trainer(3), DATA.train(), DATA.heldOut(), Network::realize, 3);
        }
    }

    @Nested
    class RunnerJobs extends EvaluatorContract {
        @Override
        protected Evaluator create() {
            try {
                Path dir = java.nio.file.Files.createTempDirectory("contract-runner");
                return ExperimentRunner.builder(DATA)
                        .task(TASK)
                        .directory(dir)
                        .progress(false)
                        .build()
                        .evaluator("contract", 3);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
