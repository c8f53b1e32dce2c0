package org.mobilenas.core.ofa;

import org.mobilenas.core.spec.Activation;

/**
 * One elastic stage of an {@link ElasticSpace}: its output width and stride are fixed, its depth, kernels and
 * expand ratios are elastic.
 *
 * <pre>{@code
 * ElasticStage s = new ElasticStage("stage2", 40, 2, Activation.RELU, true);
 * }</pre>
 *
 * @param name       stage name used in subnet specs
 * @param out        output channels of every block of the stage
 * @param stride     stride of the first block (1 or 2)
 * @param activation activation of the blocks
 * @param se         whether the blocks use MobileNetV3 squeeze-and-excitation
 */
public record ElasticStage(String name, int out, int stride, Activation activation, boolean se) {
    /** Checks the components (a bad one is an error naming it). */
    public ElasticStage {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("stage.name must be a non-blank string, got " + name);
        }
        if (out <= 0) {
            throw new IllegalArgumentException("stage " + name + ": out = " + out + ", expected > 0");
        }
        if (stride != 1 && stride != 2) {
            throw new IllegalArgumentException("stage " + name + ": stride = " + stride + ", expected 1 or 2");
        }
        if (activation == null) {
            throw new IllegalArgumentException("stage " + name + ": activation is missing");
        }
    }
}
