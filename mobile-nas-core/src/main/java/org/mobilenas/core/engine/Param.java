package org.mobilenas.core.engine;

import java.util.Arrays;

/**
 * A named parameter tensor with its gradient. Layouts: conv weight {@code [out, kh, kw, in/groups]},
 * linear weight {@code [out, in]} (input flattened in NHWC order), biases and BN vectors {@code [c]}.
 * Running statistics are parameters with {@code trainable == false} and no gradient use.
 */
public final class Param {
    /**
     * What a parameter is, so optimizers and editors can treat kinds differently (e.g. no weight decay on BN).
     * {@code TRANSFORM}: a trainable matrix applied to other weights rather than to activations (Once-for-All's
     * kernel transformations), exempt from weight decay like batch norm.
     */
    public enum Role {
        /** Convolution or linear weights (weight decay applies). */
        WEIGHT,
        /** Biases. */
        BIAS,
        /** Batch-norm scale. */
        BN_GAMMA,
        /** Batch-norm shift. */
        BN_BETA,
        /** Batch-norm running mean (not trained). */
        BN_RUNNING_MEAN,
        /** Batch-norm running variance (not trained). */
        BN_RUNNING_VAR,
        /** A matrix applied to other weights (Once-for-All's kernel transformations). */
        TRANSFORM
    }

    private final String name;
    private final Role role;
    private final int[] shape;
    private float[] value;
    private float[] grad;

    /** A parameter called {@code name} of {@code role} and {@code shape}, holding {@code value} (not copied). */
    public Param(String name, Role role, int[] shape, float[] value) {
        long size = 1;
        for (int d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " must be positive");
            }
            size *= d;
        }
        if (value.length != size) {
            throw new IllegalArgumentException(
                    name + ": " + value.length + " values for shape " + Arrays.toString(shape));
        }
        this.name = name;
        this.role = role;
        this.shape = shape.clone();
        this.value = value;
        this.grad = trainable(role) ? new float[value.length] : null;
    }

    private static boolean trainable(Role r) {
        return r != Role.BN_RUNNING_MEAN && r != Role.BN_RUNNING_VAR;
    }

    /** The parameter's name, unique in its network (e.g. {@code stage2.block0.expand.weight}). */
    public String name() {
        return name;
    }

    /** What the parameter is for; weight decay and freezing follow it. */
    public Role role() {
        return role;
    }

    /** The shape (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    /** Extent of dimension {@code i}. */
    public int dim(int i) {
        return shape[i];
    }

    /** Number of values. */
    public int size() {
        return value.length;
    }

    /** Whether it has a gradient, i.e. training updates it (false for batch-norm running statistics). */
    public boolean trainable() {
        return grad != null;
    }

    /** Live values (engines read and optimizers write this array). */
    public float[] value() {
        return value;
    }

    /** Live gradient, or {@code null} for running statistics. */
    public float[] grad() {
        return grad;
    }

    /** Sets the gradient to zero. */
    public void zeroGrad() {
        if (grad != null) {
            Arrays.fill(grad, 0f);
        }
    }

    /** Replaces the values; the new array must have the same length. */
    public void set(float[] v) {
        if (v.length != value.length) {
            throw new IllegalArgumentException(name + ": expected " + value.length + " values, got " + v.length);
        }
        System.arraycopy(v, 0, value, 0, v.length);
    }
}
