package org.mobilenas.core.engine.kernels;

import org.mobilenas.core.spec.Activation;

/**
 * Element-wise activations with PyTorch's definitions: ReLU6 = min(max(x, 0), 6), h-swish = x * ReLU6(x + 3) / 6,
 * h-sigmoid = ReLU6(x + 3) / 6, swish = x * sigmoid(x). Gradients follow PyTorch's choices at the kinks
 * (ReLU: x &gt; 0; ReLU6: 0 &lt; x &lt; 6; h-sigmoid: -3 &lt; x &lt; 3; h-swish: 0 below -3, (2x + 3) / 6 up
 * to 3, 1 above).
 *
 * <pre>{@code
 * Activations.forward(Activation.HSWISH, x, y, n);
 * Activations.backward(Activation.HSWISH, x, dy, dx, false, n);
 * }</pre>
 */
public final class Activations {
    private static final long MIN_PART = 1 << 15;

    private Activations() {}

    /** {@code y[i] = act(x[i])} for {@code i < size}. */
    public static void forward(Activation act, float[] x, float[] y, int size) {
        Parallel.forRange(size, Parallel.parts(size, MIN_PART), (part, from, to) -> forwardRange(act, x, y, from, to));
    }

    /** {@code dx[i] (+)= dy[i] * act'(x[i])}. */
    public static void backward(Activation act, float[] x, float[] dy, float[] dx, boolean accumulate, int size) {
        Parallel.forRange(size, Parallel.parts(size, MIN_PART), (part, from, to) -> {
            if (act == Activation.RELU || act == Activation.RELU6) {
                reluBackward(act == Activation.RELU6, x, dy, dx, accumulate, from, to);
            } else if (VECTOR_EXP && (act == Activation.SIGMOID || act == Activation.SWISH)) {
                VectorActivations.backward(act == Activation.SWISH, x, dy, dx, accumulate, from, to);
            } else if (accumulate) {
                for (int i = from; i < to; i++) {
                    dx[i] += dy[i] * derivative(act, x[i]);
                }
            } else {
                backwardRange(act, x, dy, dx, from, to);
            }
        });
    }

    /** Whether sigmoid and swish run on the Vector API (its vectorised {@code exp}). */
    private static final boolean VECTOR_EXP = Gemm.vectorAvailable();

    /** {@code y[i] = act(x[i])} for {@code from <= i < to}, on the calling thread. */
    static void forwardRange(Activation act, float[] x, float[] y, int from, int to) {
        if (VECTOR_EXP && (act == Activation.SIGMOID || act == Activation.SWISH)) {
            VectorActivations.forward(act == Activation.SWISH, x, y, from, to);
            return;
        }
        switch (act) {
            case NONE -> System.arraycopy(x, from, y, from, to - from);
            case RELU -> {
                for (int i = from; i < to; i++) {
                    y[i] = Math.max(x[i], 0f);
                }
            }
            case RELU6 -> {
                for (int i = from; i < to; i++) {
                    y[i] = Math.min(Math.max(x[i], 0f), 6f);
                }
            }
            case HSWISH -> {
                for (int i = from; i < to; i++) {
                    float v = x[i];
                    y[i] = v * Math.min(Math.max(v + 3f, 0f), 6f) / 6f;
                }
            }
            case HSIGMOID -> {
                for (int i = from; i < to; i++) {
                    y[i] = Math.min(Math.max(x[i] + 3f, 0f), 6f) / 6f;
                }
            }
            case SIGMOID -> {
                for (int i = from; i < to; i++) {
                    y[i] = sigmoid(x[i]);
                }
            }
            case SWISH -> {
                for (int i = from; i < to; i++) {
                    y[i] = x[i] * sigmoid(x[i]);
                }
            }
            default -> throw new IllegalArgumentException("activation " + act + " not supported");
        }
    }

    private static void backwardRange(Activation act, float[] x, float[] dy, float[] dx, int from, int to) {
        switch (act) {
            case NONE -> System.arraycopy(dy, from, dx, from, to - from);
            default -> {
                for (int i = from; i < to; i++) {
                    dx[i] = dy[i] * derivative(act, x[i]);
                }
            }
        }
    }

    /** The smallest normal float and its inverse: {@code min(max(v, 0), TINY) * INV} is 1 for v &gt; 0, else 0. */
    private static final float TINY = 0x1p-126f;

    private static final float INV = 0x1p126f;

    /**
     * ReLU/ReLU6 gradient without branches, so C2 vectorises it: {@code min(max(v, 0), 2^-126) * 2^126} is the
     * indicator of {@code v > 0} (exact for every normal float; a positive denormal input yields a fraction).
     * The upper kink of ReLU6 is a second pass, which keeps each loop simple enough to vectorise.
     */
    private static void reluBackward(
            boolean six, float[] x, float[] dy, float[] dx, boolean accumulate, int from, int to) {
        if (accumulate) {
            for (int i = from; i < to; i++) {
                dx[i] += dy[i] * derivative(six ? Activation.RELU6 : Activation.RELU, x[i]);
            }
            return;
        }
        for (int i = from; i < to; i++) {
            dx[i] = dy[i] * (Math.min(Math.max(x[i], 0f), TINY) * INV);
        }
        if (six) {
            for (int i = from; i < to; i++) {
                dx[i] = dx[i] * (Math.min(Math.max(6f - x[i], 0f), TINY) * INV);
            }
        }
    }

    static float sigmoid(float v) {
        return (float) (1.0 / (1.0 + Math.exp(-v)));
    }

    /** The derivative of {@code act} at {@code v}. */
    public static float derivative(Activation act, float v) {
        return switch (act) {
            case NONE -> 1f;
            case RELU -> v > 0f ? 1f : 0f;
            case RELU6 -> v > 0f && v < 6f ? 1f : 0f;
            case HSWISH -> v < -3f ? 0f : v <= 3f ? (2f * v + 3f) / 6f : 1f;
            case HSIGMOID -> v > -3f && v < 3f ? 1f / 6f : 0f;
            case SIGMOID -> {
                float s = sigmoid(v);
                yield s * (1f - s);
            }
            case SWISH -> {
                float s = sigmoid(v);
                yield s * (1f + v * (1f - s));
            }
        };
    }
}
