package org.mobilenas.latency;

/** The kind of a fused layer of a latency key: one block of a network, or its classifier. */
public enum LayerKind {
    /** A convolution block. */
    CONV,
    /** A depthwise-separable convolution block. */
    SEPARABLE,
    /** An inverted residual (MBConv) block. */
    MBCONV,
    /** A ShuffleNet V1 unit. */
    SHUFFLE_V1,
    /** A ShuffleNet V2 unit. */
    SHUFFLE_V2,
    /** A pooling layer. */
    POOL,
    /** Global pooling. */
    GLOBAL_POOL,
    /** The classifier (dropout and linear layer). */
    CLASSIFIER,
    /** A residual pair of convolutions. */
    RESIDUAL_CONV
}
