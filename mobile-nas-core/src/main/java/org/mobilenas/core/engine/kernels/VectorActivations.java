package org.mobilenas.core.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Sigmoid and swish on the JDK's Vector API with a vectorised {@code exp} of its own (about ten times the scalar
 * {@link Math#exp} per element here), reproducible to the bit whether or not the JIT has compiled it. A range's
 * tail shorter than a vector runs as a masked vector, so every element gets the same floats however a tensor is
 * split into ranges. Only loaded when the JVM runs with {@code --add-modules jdk.incubator.vector}.
 */
final class VectorActivations {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorActivations() {}

    private static final float LOG2E = 1.44269504088896341f;
    /** {@code 1.5 * 2^23}: adding and subtracting it rounds a float below 2^22 to the nearest integer. */
    private static final float ROUND = 12582912f;

    private static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);
    /** ln 2 in two parts (Cody-Waite), so that {@code x - n ln 2} loses no bits. */
    private static final float LN2_HI = 0.693359375f;

    private static final float LN2_LO = -2.12194440e-4f;

    /**
     * {@code e^x} from exactly rounded vector operations only: {@code x = n ln 2 + f} with {@code |f| <= ln 2 / 2},
     * a degree-7 polynomial for {@code e^f} and {@code 2^n} built in the exponent bits; within 2 ulp of
     * {@code Math.exp}, inputs clamped to [-87.3, 88] (normal results). The Vector API's own {@code EXP} is not used:
     * it is an intrinsic in compiled code and a scalar loop before compilation, which round differently, so results
     * depended on the JIT's progress (two runs of one training gave different accuracies).
     */
    private static FloatVector exp(FloatVector x) {
        FloatVector v = x.max(-87.3f).min(88f);
        FloatVector rounded = v.mul(LOG2E).add(ROUND); // its low bits hold n: bits(ROUND) + n
        FloatVector n = rounded.sub(ROUND);
        FloatVector f = n.fma(FloatVector.broadcast(S, -LN2_HI), v);
        f = n.fma(FloatVector.broadcast(S, -LN2_LO), f);
        FloatVector p = f.fma(1.9875691500e-4f, 1.3981999507e-3f);
        p = p.fma(f, FloatVector.broadcast(S, 8.3334519073e-3f));
        p = p.fma(f, FloatVector.broadcast(S, 4.1665795894e-2f));
        p = p.fma(f, FloatVector.broadcast(S, 1.6666665459e-1f));
        p = p.fma(f, FloatVector.broadcast(S, 5.0000001201e-1f));
        p = p.fma(f.mul(f), f.add(1f));
        IntVector bits =
                ((IntVector) rounded.reinterpretAsInts()).sub(ROUND_BITS - 127).lanewise(VectorOperators.LSHL, 23);
        return p.mul((FloatVector) bits.reinterpretAsFloats());
    }

    /** {@code sigmoid(v) = 1 / (1 + exp(-v))}. */
    private static FloatVector sigmoid(FloatVector v) {
        return FloatVector.broadcast(S, 1f).div(exp(v.neg()).add(1f));
    }

    /** {@code y = sigmoid(x)} (or {@code x * sigmoid(x)} when {@code swish}) on {@code [from, to)}. */
    static void forward(boolean swish, float[] x, float[] y, int from, int to) {
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            FloatVector s = sigmoid(v);
            (swish ? v.mul(s) : s).intoArray(y, i);
        }
        if (i < to) {
            VectorMask<Float> m = S.indexInRange(i, to);
            FloatVector v = FloatVector.fromArray(S, x, i, m);
            FloatVector s = sigmoid(v);
            (swish ? v.mul(s) : s).intoArray(y, i, m);
        }
    }

    /**
     * {@code dx (+)= dy * act'(x)} with {@code sigmoid' = s (1 - s)} and {@code swish' = s (1 + x (1 - s))} on
     * {@code [from, to)}.
     */
    static void backward(boolean swish, float[] x, float[] dy, float[] dx, boolean accumulate, int from, int to) {
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += S.length()) {
            FloatVector g = gradient(swish, FloatVector.fromArray(S, x, i)).mul(FloatVector.fromArray(S, dy, i));
            (accumulate ? g.add(FloatVector.fromArray(S, dx, i)) : g).intoArray(dx, i);
        }
        if (i < to) {
            VectorMask<Float> m = S.indexInRange(i, to);
            FloatVector g = gradient(swish, FloatVector.fromArray(S, x, i, m)).mul(FloatVector.fromArray(S, dy, i, m));
            (accumulate ? g.add(FloatVector.fromArray(S, dx, i, m)) : g).intoArray(dx, i, m);
        }
    }

    private static FloatVector gradient(boolean swish, FloatVector v) {
        FloatVector s = sigmoid(v);
        FloatVector oneMinus = s.neg().add(1f);
        return swish ? s.mul(v.mul(oneMinus).add(1f)) : s.mul(oneMinus);
    }
}
