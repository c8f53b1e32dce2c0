package org.mobilenas.core.train;

import org.mobilenas.core.engine.Model;

/**
 * Called after every finished epoch (after validation and checkpointing). An exception thrown here aborts
 * {@link Trainer#fit}; with a checkpoint directory the run can later resume from this epoch.
 *
 * <pre>{@code
 * Trainer.builder().listener((stats, model) -> log.info("epoch {} top-1 {}", stats.epoch(), stats.valTop1()))...
 * }</pre>
 */
@FunctionalInterface
public interface TrainingListener {
    /** Called after every epoch with its statistics and the model as trained so far. */
    void onEpochEnd(EpochStats stats, Model model);
}
