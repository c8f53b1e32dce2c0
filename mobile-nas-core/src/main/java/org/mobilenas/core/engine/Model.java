package org.mobilenas.core.engine;

import org.mobilenas.core.spec.NetworkSpec;

/**
 * A trainable network: forward to logits, backward from the logits' gradient into the parameters' gradients.
 * Not thread-safe: one model instance per thread.
 */
public interface Model {
    /** How a forward pass treats batch norm and dropout. */
    enum Mode {
        /** Batch statistics, running statistics updated with momentum, dropout active; backward allowed. */
        TRAIN,
        /** Running statistics, no dropout. */
        EVAL,
        /**
         * Batch statistics; running statistics accumulate a cumulative average since the last
         * {@link #resetBatchNormStatistics()}; no dropout. Used to re-estimate BN statistics.
         */
        CALIBRATE
    }

    /** The network's spec. */
    NetworkSpec spec();

    /** The network's parameters. */
    ParameterStore parameters();

    /** Runs the network on an NHWC batch and returns logits of shape [n, 1, 1, classes]. */
    Tensor forward(Tensor input, Mode mode);

    /** Back-propagates {@code gradLogits} (same shape as the last TRAIN forward's output); grads accumulate. */
    void backward(Tensor gradLogits);

    /** Zeroes the running statistics of every BN layer before a {@link Mode#CALIBRATE} pass. */
    void resetBatchNormStatistics();

    /** Seeds the random stream used by dropout. */
    void seed(long seed);
}
