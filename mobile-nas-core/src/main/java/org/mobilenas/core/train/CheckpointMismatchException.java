package org.mobilenas.core.train;

/**
 * A checkpoint directory holds a run of other settings or other data than the one asked to resume from it; the
 * message names both. Resume with the same trainer and datasets, or start in an empty directory.
 *
 * <pre>{@code
 * try {
 *     trainer.fit(model, train, validation);
 * } catch (CheckpointMismatchException e) {
 *     // another run's checkpoint: choose another checkpointDir
 * }
 * }</pre>
 */
public class CheckpointMismatchException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** A mismatch described by {@code message}. */
    public CheckpointMismatchException(String message) {
        super(message);
    }
}
