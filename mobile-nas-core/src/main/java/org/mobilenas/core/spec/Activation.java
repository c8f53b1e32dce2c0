package org.mobilenas.core.spec;

/** Element-wise non-linearities used by mobile CNNs. {@code NONE} is the identity (a linear layer). */
public enum Activation {
    NONE, RELU, RELU6, HSWISH, SWISH, SIGMOID, HSIGMOID
}
