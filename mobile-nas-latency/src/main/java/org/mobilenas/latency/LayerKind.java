package org.mobilenas.latency;

/** The kind of a fused layer of a latency key: one block of a network, or its classifier. */
public enum LayerKind {
    CONV, SEPARABLE, MBCONV, SHUFFLE_V1, SHUFFLE_V2, POOL, GLOBAL_POOL, CLASSIFIER, RESIDUAL_CONV
}
