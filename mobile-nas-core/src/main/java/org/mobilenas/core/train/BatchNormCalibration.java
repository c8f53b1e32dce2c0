package org.mobilenas.core.train;

import org.mobilenas.core.data.ImageDataset;
import org.mobilenas.core.engine.Model;

/**
 * Re-estimates every batch-norm layer's running statistics from data: zero them, then run forward passes in
 * {@link Model.Mode#CALIBRATE} (batch statistics, cumulative averages). Used after editing or extracting a network
 * (e.g. a subnet of a supernet) whose stored statistics no longer fit.
 *
 * <pre>{@code
 * BatchNormCalibration.recalibrate(model, train, 2000, 100, 42);
 * }</pre>
 */
public final class BatchNormCalibration {
    private BatchNormCalibration() {}

    /**
     * Re-estimates BN statistics on {@code images} images drawn from {@code data} with {@code seed}
     * (all of {@code data} if it has fewer).
     */
    public static void recalibrate(Model model, ImageDataset data, int images, int batchSize, long seed) {
        if (images <= 0) {
            throw new IllegalArgumentException("images = " + images + ", expected > 0");
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize = " + batchSize + ", expected > 0");
        }
        ImageDataset sample = images >= data.size() ? data : data.subset(images, seed);
        model.resetBatchNormStatistics();
        for (ImageDataset.Batch b : sample.shuffledBatches(batchSize, seed, false)) {
            model.forward(b.images(), Model.Mode.CALIBRATE);
        }
    }
}
