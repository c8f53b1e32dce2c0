package org.mobilenas.core.train;

/**
 * What one training epoch did. Validation fields are {@code null} when no validation set was given.
 *
 * <pre>{@code
 * trainer.listener((stats, model) -> System.out.println(stats.epoch() + ": " + stats.valTop1()));
 * }</pre>
 *
 * @param epoch           0-based epoch index
 * @param trainLoss       mean training loss (cross-entropy plus any distillation term) over the epoch
 * @param trainAccuracy   top-1 accuracy of the training-mode forward passes over the epoch
 * @param valLoss         validation cross-entropy, or null
 * @param valTop1         validation top-1 accuracy, or null
 * @param valTop5         validation top-5 accuracy, or null
 * @param learningRate    learning rate of the epoch's last step
 * @param seconds         wall-clock seconds of the epoch's training steps
 * @param imagesPerSecond training images per second
 */
public record EpochStats(
        int epoch,
        double trainLoss,
        double trainAccuracy,
        Double valLoss,
        Double valTop1,
        Double valTop5,
        double learningRate,
        double seconds,
        double imagesPerSecond) {
    /** Checks the components (a bad one is an error naming it). */
    public EpochStats {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch = " + epoch + ", expected >= 0");
        }
        if (!(trainAccuracy >= 0 && trainAccuracy <= 1)) {
            throw new IllegalArgumentException("trainAccuracy = " + trainAccuracy + ", expected in [0, 1]");
        }
        if ((valLoss == null) != (valTop1 == null) || (valTop1 == null) != (valTop5 == null)) {
            throw new IllegalArgumentException("valLoss, valTop1, valTop5: expected all null or all set");
        }
    }
}
