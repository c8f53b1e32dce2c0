package org.mobilenas.core.spec;

/** Element-wise non-linearities used by mobile CNNs. {@code NONE} is the identity (a linear layer). */
public enum Activation {
    /** The identity. */
    NONE,
    /** {@code max(0, x)}. */
    RELU,
    /** {@code min(max(0, x), 6)}. */
    RELU6,
    /** Hard swish, {@code x · relu6(x + 3) / 6} (MobileNetV3). */
    HSWISH,
    /** Swish, {@code x · sigmoid(x)}. */
    SWISH,
    /** {@code 1 / (1 + e^-x)}. */
    SIGMOID,
    /** Hard sigmoid, {@code relu6(x + 3) / 6} (MobileNetV3). */
    HSIGMOID
}
