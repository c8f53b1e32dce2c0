package org.mobilenas.core.graph;

import java.util.List;
import org.mobilenas.core.spec.Activation;
import org.mobilenas.core.spec.Shape;
import org.mobilenas.core.spec.SpecException;

/**
 * A primitive operation of a lowered network. Every block of a {@link org.mobilenas.core.spec.NetworkSpec}
 * lowers to a small graph of these; costs, latency keys and the realization engine all work on them.
 */
public sealed interface Op {

    /** Output shape for the given input shapes; throws {@link SpecException} when they do not fit. */
    Shape outputShape(List<Shape> inputs);

    /** Number of inputs the operation takes, or -1 for "at least one". */
    int arity();

    /** Network input (no inputs). */
    record Input(Shape shape) implements Op {
        public Shape outputShape(List<Shape> in) {
            return shape;
        }

        public int arity() {
            return 0;
        }
    }

    /** 2D convolution, NHWC, symmetric zero padding. Depthwise when groups == in == out. */
    record Conv(int out, int kernel, int stride, int padding, int groups, boolean bias) implements Op {
        public Shape outputShape(List<Shape> in) {
            Shape x = in.get(0);
            if (x.channels() % groups != 0) {
                throw new SpecException("input channels " + x.channels() + " not divisible by groups " + groups);
            }
            if (out % groups != 0) {
                throw new SpecException("output channels " + out + " not divisible by groups " + groups);
            }
            int h = Math.floorDiv(x.height() + 2 * padding - kernel, stride) + 1;
            int w = Math.floorDiv(x.width() + 2 * padding - kernel, stride) + 1;
            if (h <= 0 || w <= 0) {
                throw new SpecException("input " + x + " too small for kernel " + kernel + " stride " + stride);
            }
            return new Shape(h, w, out);
        }

        public int arity() {
            return 1;
        }

        /** Whether this convolution is depthwise on {@code inChannels} inputs: one group per input and output channel. */
        public boolean depthwise(int inChannels) {
            return groups == inChannels && groups == out && groups > 1;
        }
    }

    /** Batch normalisation over channels (gamma, beta, running mean and variance). */
    record BatchNorm() implements Op {
        public Shape outputShape(List<Shape> in) {
            return in.get(0);
        }

        public int arity() {
            return 1;
        }
    }

    /** Element-wise activation. */
    record Act(Activation activation) implements Op {
        public Shape outputShape(List<Shape> in) {
            return in.get(0);
        }

        public int arity() {
            return 1;
        }
    }

    /** Pooling kind. */
    enum PoolType {
        /** Average pooling. */
        AVG,
        /** Max pooling. */
        MAX
    }

    /** Windowed pooling with symmetric padding; AVG counts padded zeros (PyTorch's default). */
    record Pool(PoolType type, int kernel, int stride, int padding) implements Op {
        public Shape outputShape(List<Shape> in) {
            Shape x = in.get(0);
            int h = Math.floorDiv(x.height() + 2 * padding - kernel, stride) + 1;
            int w = Math.floorDiv(x.width() + 2 * padding - kernel, stride) + 1;
            if (h <= 0 || w <= 0) {
                throw new SpecException("input " + x + " too small for pool kernel " + kernel);
            }
            return new Shape(h, w, x.channels());
        }

        public int arity() {
            return 1;
        }
    }

    /** Global pooling to 1x1. */
    record GlobalPool(PoolType type) implements Op {
        public Shape outputShape(List<Shape> in) {
            return new Shape(1, 1, in.get(0).channels());
        }

        public int arity() {
            return 1;
        }
    }

    /** Element-wise sum of two tensors of the same shape. */
    record Add() implements Op {
        public Shape outputShape(List<Shape> in) {
            if (!in.get(0).equals(in.get(1))) {
                throw new SpecException("residual add of " + in.get(0) + " and " + in.get(1) + ": shapes differ");
            }
            return in.get(0);
        }

        public int arity() {
            return 2;
        }
    }

    /** x * gate, with gate of shape 1x1xC broadcast over height and width (squeeze-excitation). */
    record Scale() implements Op {
        public Shape outputShape(List<Shape> in) {
            Shape x = in.get(0);
            Shape g = in.get(1);
            if (g.height() != 1 || g.width() != 1 || g.channels() != x.channels()) {
                throw new SpecException("gate " + g + " does not match " + x);
            }
            return x;
        }

        public int arity() {
            return 2;
        }
    }

    /** Channel concatenation. */
    record Concat() implements Op {
        public Shape outputShape(List<Shape> in) {
            int c = 0;
            for (Shape s : in) {
                if (s.height() != in.get(0).height() || s.width() != in.get(0).width()) {
                    throw new SpecException("concat of " + in + ": spatial sizes differ");
                }
                c += s.channels();
            }
            return in.get(0).withChannels(c);
        }

        public int arity() {
            return -1;
        }
    }

    /** Channels [from, to) of the input. */
    record Slice(int from, int to) implements Op {
        public Shape outputShape(List<Shape> in) {
            Shape x = in.get(0);
            if (from < 0 || to > x.channels() || from >= to) {
                throw new SpecException("channel slice [" + from + ", " + to + ") outside 0.." + x.channels());
            }
            return x.withChannels(to - from);
        }

        public int arity() {
            return 1;
        }
    }

    /** Channel shuffle: view channels as (groups, c/groups), transpose, flatten. */
    record Shuffle(int groups) implements Op {
        public Shape outputShape(List<Shape> in) {
            if (in.get(0).channels() % groups != 0) {
                throw new SpecException(
                        "channels " + in.get(0).channels() + " not divisible by shuffle groups " + groups);
            }
            return in.get(0);
        }

        public int arity() {
            return 1;
        }
    }

    /** Dropout with drop probability p (training only). */
    record Dropout(double p) implements Op {
        public Shape outputShape(List<Shape> in) {
            return in.get(0);
        }

        public int arity() {
            return 1;
        }
    }

    /** Fully connected layer over the flattened input. */
    record Linear(int out, boolean bias) implements Op {
        public Shape outputShape(List<Shape> in) {
            return new Shape(1, 1, out);
        }

        public int arity() {
            return 1;
        }
    }
}
