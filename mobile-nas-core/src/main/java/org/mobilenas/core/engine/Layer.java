package org.mobilenas.core.engine;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.mobilenas.core.engine.kernels.Activations;
import org.mobilenas.core.engine.kernels.BatchNormKernel;
import org.mobilenas.core.engine.kernels.Conv2d;
import org.mobilenas.core.engine.kernels.ConvShape;
import org.mobilenas.core.engine.kernels.Gemm;
import org.mobilenas.core.engine.kernels.Pooling;
import org.mobilenas.core.engine.kernels.Reduce;
import org.mobilenas.core.engine.kernels.TensorOps;
import org.mobilenas.core.graph.Node;
import org.mobilenas.core.graph.Op;

/**
 * The executable form of one graph node: it owns the node's parameters and per-step state and delegates the
 * arithmetic to the kernels. {@code backward} receives, for every input, a gradient tensor (or null when that
 * input needs none) and whether to add to it or overwrite it.
 */
abstract class Layer {
    final Node node;

    Layer(Node node) {
        this.node = node;
    }

    abstract void forward(Tensor[] in, Tensor out, Model.Mode mode);

    abstract void backward(Tensor[] in, Tensor out, Tensor gOut, Tensor[] gIn, boolean[] accumulate);

    /** Whether the layer owns trainable parameters. */
    boolean hasParameters() {
        return false;
    }

    /** Zeroes running statistics (batch norm only). */
    void resetStatistics() {}

    static int rows(Tensor t) {
        return t.n * t.h * t.w;
    }

    /** Kaiming-normal (fan_out, ReLU gain) conv weights, zero bias. */
    static final class Conv extends Layer {
        private final Op.Conv op;
        private final Gemm gemm;
        private final Param weight;
        private final Param bias;

        Conv(Node node, Op.Conv op, Gemm gemm, ParameterStore store, long seed) {
            super(node);
            this.op = op;
            this.gemm = gemm;
            int inPerGroup = node.input().channels() / op.groups();
            int[] shape = {op.out(), op.kernel(), op.kernel(), inPerGroup};
            float[] w = new float[op.out() * op.kernel() * op.kernel() * inPerGroup];
            double std = Math.sqrt(2.0 / ((double) op.out() * op.kernel() * op.kernel()));
            SplittableRandom r = Network.random(seed, node.name() + ".weight");
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (r.nextGaussian() * std);
            }
            weight = new Param(node.name() + ".weight", Param.Role.WEIGHT, shape, w);
            store.add(weight);
            if (op.bias()) {
                bias = new Param(node.name() + ".bias", Param.Role.BIAS, new int[] {op.out()}, new float[op.out()]);
                store.add(bias);
            } else {
                bias = null;
            }
        }

        private ConvShape shape(Tensor x) {
            return new ConvShape(x.n, x.h, x.w, x.c, op.out(), op.kernel(), op.stride(), op.padding(), op.groups());
        }

        @Override
        void forward(Tensor[] in, Tensor out, Model.Mode mode) {
            Conv2d.forward(
                    gemm, shape(in[0]), in[0].data, weight.value(), bias == null ? null : bias.value(), out.data);
        }

        @Override
        void backward(Tensor[] in, Tensor out, Tensor gOut, Tensor[] gIn, boolean[] accumulate) {
            Conv2d.backward(
                    gemm,
                    shape(in[0]),
                    in[0].data,
                    weight.value(),
                    gOut.data,
                    gIn[0] == null ? null : gIn[0].data,
                    accumulate[0],
                    weight.grad(),
                    bias == null ? null : bias.grad());
        }

        @Override
        boolean hasParameters() {
            return true;
        }
    }

    /** PyTorch batch norm: eps 1e-5, momentum 0.1, unbiased running variance. */
    static final class BatchNorm extends Layer {
        static final float EPS = 1e-5f;
        static final float MOMENTUM = 0.1f;
        private final Param gamma;
        private final Param beta;
        private final Param runningMean;
        private final Param runningVar;
        private final float[] mean;
        private final float[] var;
        private final float[] invStd;
        private long calibrationBatches;
        private org.mobilenas.core.spec.Activation fused = org.mobilenas.core.spec.Activation.NONE;

        BatchNorm(Node node, ParameterStore store) {
            super(node);
            int c = node.output().channels();
            float[] ones = new float[c];
            Arrays.fill(ones, 1f);
            gamma = new Param(node.name() + ".gamma", Param.Role.BN_GAMMA, new int[] {c}, ones.clone());
            beta = new Param(node.name() + ".beta", Param.Role.BN_BETA, new int[] {c}, new float[c]);
            runningMean =
                    new Param(node.name() + ".running_mean", Param.Role.BN_RUNNING_MEAN, new int[] {c}, new float[c]);
            runningVar = new Param(node.name() + ".running_var", Param.Role.BN_RUNNING_VAR, new int[] {c}, ones);
            store.add(gamma);
            store.add(beta);
            store.add(runningMean);
            store.add(runningVar);
            mean = new float[c];
            var = new float[c];
            invStd = new float[c];
        }

        /** Applies {@code act} (ReLU, ReLU6) in this layer's passes; the activation node then does nothing. */
        void fuse(org.mobilenas.core.spec.Activation act) {
            this.fused = act;
        }

        @Override
        void forward(Tensor[] in, Tensor out, Model.Mode mode) {
            Tensor x = in[0];
            int rows = rows(x);
            int c = x.c;
            float[] rm = runningMean.value();
            float[] rv = runningVar.value();
            if (mode == Model.Mode.EVAL) {
                runningInvStd(c);
                BatchNormKernel.normalize(x.data, out.data, rows, c, rm, invStd, gamma.value(), beta.value(), fused);
                return;
            }
            if (rows < 2) {
                throw new IllegalArgumentException(node.name() + ": batch norm in " + mode
                        + " needs more than one value per channel, got batch " + x.n + " of " + x.h + "x" + x.w);
            }
            BatchNormKernel.batchStatistics(x.data, rows, c, mean, var);
            for (int j = 0; j < c; j++) {
                invStd[j] = (float) (1.0 / Math.sqrt(var[j] + (double) EPS));
            }
            BatchNormKernel.normalize(x.data, out.data, rows, c, mean, invStd, gamma.value(), beta.value(), fused);
            double unbias = rows / (rows - 1.0);
            if (mode == Model.Mode.TRAIN) {
                for (int j = 0; j < c; j++) {
                    rm[j] = (1 - MOMENTUM) * rm[j] + MOMENTUM * mean[j];
                    rv[j] = (float) ((1 - MOMENTUM) * rv[j] + MOMENTUM * var[j] * unbias);
                }
            } else {
                calibrationBatches++;
                double f = 1.0 / calibrationBatches;
                for (int j = 0; j < c; j++) {
                    rm[j] = (float) (rm[j] + (mean[j] - rm[j]) * f);
                    rv[j] = (float) (rv[j] + (var[j] * unbias - rv[j]) * f);
                }
            }
        }

        /**
         * Inference followed by {@code act} (any activation) in the same pass: the batch norm and its activation
         * node share {@code out}.
         */
        void forwardInference(Tensor[] in, Tensor out, org.mobilenas.core.spec.Activation act) {
            Tensor x = in[0];
            runningInvStd(x.c);
            BatchNormKernel.normalize(
                    x.data, out.data, rows(x), x.c, runningMean.value(), invStd, gamma.value(), beta.value(), act);
        }

        /** {@code invStd = 1 / sqrt(running variance + eps)}, as inference uses it. */
        private void runningInvStd(int c) {
            float[] rv = runningVar.value();
            for (int j = 0; j < c; j++) {
                invStd[j] = (float) (1.0 / Math.sqrt(rv[j] + (double) EPS));
            }
        }

        @Override
        void backward(Tensor[] in, Tensor out, Tensor gOut, Tensor[] gIn, boolean[] accumulate) {
            Tensor x = in[0];
            BatchNormKernel.backward(
                    x.data,
                    out.data,
                    fused,
                    gOut.data,
                    rows(x),
                    x.c,
                    mean,
                    invStd,
                    gamma.value(),
                    gIn[0] == null ? null : gIn[0].data,
                    accumulate[0],
                    gamma.grad(),
                    beta.grad());
        }

        @Override
        void resetStatistics() {
            Arrays.fill(runningMean.value(), 0f);
            Arrays.fill(runningVar.value(), 0f);
            calibrationBatches = 0;
        }

        @Override
        boolean hasParameters() {
            return true;
        }
    }

    static final class Act extends Layer {
        private final org.mobilenas.core.spec.Activation act;
        private boolean fused;

        Act(Node node, Op.Act op) {
            super(node);
            this.act = op.activation();
        }

        /** The preceding batch norm computes this activation; input and output (and their gradients) alias. */
        void fused() {
            this.fused = true;
        }

        @Override
        void forward(Tensor[] in, Tensor out, Model.Mode mode) {
            if (!fused) {
                Activations.forward(act, in[0].data, out.data, in[0].size());
            }
        }

        @Override
        void backward(Tensor[] in, Tensor out, Tensor gOut, Tensor[] gIn, boolean[] accumulate) {
            if (gIn[0] != null && !fused) {
                Activations.backward(act, in[0].data, gOut.data, gIn[0].data, accumulate[0], in[0].size());
            }
        }
    }

    static final class Pool extends Layer {
        private final Op.Pool op;
        private int[] argmax = new int[0];

        Pool(Node node, Op.Pool op) {
            super(node);
            this.op = op;
        }

        @Override
        void forward(Tensor[] in, Tensor out, Model.Mode mode) {
            Tensor x = in[0];
            if (op.type() == Op.PoolType.MAX) {
                if (argmax.length < out.size()) {
                    argmax = new int[out.size()];
                }
                Pooling.maxForward(
                        x.n, x.h, x.w, x.c, op.kernel(), op.stride(), op.padding(), x.data, out.data, argmax);
            } else {
                Pooling.avgForward(x.n, x.h, x.w, x.c, op.kernel(), op.stride(), op.padding(), x.data, out.data);
            }
        }

        @Override
        void backward(Tensor[] in, Tensor out, Tensor gOut, Tensor[] gIn, boolean[] accumulate) {
            if (gIn[0] == null) {
                return;
            }
            Tensor x = in[0];
            if (op.type() == Op.PoolType.MAX) {
                Pooling.maxBackward(x.size(), out.size(), x.n, gOut.data, argmax, gIn[0].data, accumulate[0]);
            } else {
                Pooling.avgBackward(
                        x.n,
                        x.h,
                        x.w,
                        x.c,
                        op.kernel(),
                        op.stride(),
                        op.padding(),
                        gOut.data,
                        gIn[0].data,
                        accumulate[0]);
            }
        }
    }

    static final class GlobalPool extends Layer {
        private final Op.PoolType type;
        private int[] argmax = new int[0];

        GlobalPool(Node node, Op.GlobalPool op) {
            super(node);
            this.type = op.type();
        }

        @Override
        void forward(Tensor[] in, Tensor out, Model.Mode mode) {
            Tensor x = in[0];
            if (type == Op.PoolType.MAX) {
                if (argmax.length < out.size()) {
                    argmax = new int[out.size()];
                }
                Pooling.globalMaxForward(x.n, x.h * x.w, x.c, x.data, out.data, argmax);
            } else {
                Pooling.globalAvgForward(x.n, x.h * x.w, x.c, x.data, out.data);
            }
        }

        @Override
        void backward(Tensor[] in, Tensor out, Tensor gOut, Tensor[] gIn, boolean[] accumulate) {
            if (gIn[0] == null) {
                return;
            }
            Tensor x = in[0];
            if (type == Op.PoolType.MAX) {
                Pooling.maxBackward(x.size(), out.size(), x.n, gOut.data, argmax, gIn[0].data, accumulate[0]);
            } else {
                Pooling.globalAvgBackward(x.n, x.h * x.w, x.c, gOut.data, gIn[0].data, accumulate[0]);
            }
        }
    }

    static final class Add extends Layer {
        Add(Node node) {
            super(node);
        }

        @Override
        void forward(Tensor[] in, Tensor out, Model.Mode mode) {
            TensorOps.add(in[0].data, in[1].data, out.data, out.size());
        }

        @Override
        void backward(Tensor[] in, Tensor out, Tensor gOut, Tensor[] gIn, boolean[] accumulate) {
            for (int i = 0; i < 2; i++) {
                if (gIn[i] != null) {
                    TensorOps.copy(gOut.data, gIn[i].data, out.size(), accumulate[i]);
                }
            }
        }
    }

    static final class Scale extends Layer {
        Scale(Node node) {
            super(node);
        }

        @Override
        void forward(Tensor[] in, Tensor out, Model.Mode mode) {
            Tensor x = in[0];
            TensorOps.scale(x.n, x.h * x.w, x.c, x.data, in[1].data, out.data);
        }

        @Override
        void backward(Tensor[] in, Tensor out, Tensor gOut, Tensor[] gIn, boolean[] accumulate) {
            Tensor x = in[0];
            TensorOps.scaleBackward(
                    x.n,
                    x.h * x.w,
                    x.c,
                    x.data,
                    in[1].data,
                    gOut.data,
                    gIn[0] == null ? null : gIn[0].data,
                    accumulate[0],
                    gIn[1] == null ? null : gIn[1].data,
                    accumulate[1]);
        }
    }

    static final class Concat extends Layer {
        Concat(Node node) {
            super(node);
        }

        @Override
        void forward(Tensor[] in, Tensor out, Model.Mode mode) {
            int pixels = rows(out);
            int at = 0;
            for (Tensor t : in) {
                TensorOps.moveChannels(pixels, t.data, t.c, 0, out.data, out.c, at, t.c, false);
                at += t.c;
            }
        }

        @Override
        void backward(Tensor[] in, Tensor out, Tensor gOut, Tensor[] gIn, boolean[] accumulate) {
            int pixels = rows(out);
            int at = 0;
            for (int i = 0; i < in.length; i++) {
                if (gIn[i] != null) {
                    TensorOps.moveChannels(
                            pixels, gOut.data, out.c, at, gIn[i].data, in[i].c, 0, in[i].c, accumulate[i]);
                }
                at += in[i].c;
            }
        }
    }

    static final class Slice extends Layer {
        private final Op.Slice op;

        Slice(Node node, Op.Slice op) {
            super(node);
            this.op = op;
        }

        @Override
        void forward(Tensor[] in, Tensor out, Model.Mode mode) {
            TensorOps.moveChannels(rows(out), in[0].data, in[0].c, op.from(), out.data, out.c, 0, out.c, false);
        }

        @Override
        void backward(Tensor[] in, Tensor out, Tensor gOut, Tensor[] gIn, boolean[] accumulate) {
            if (gIn[0] == null) {
                return;
            }
            int pixels = rows(out);
            int c = in[0].c;
            if (!accumulate[0]) {
                if (op.from() > 0) {
                    TensorOps.zeroChannels(pixels, gIn[0].data, c, 0, op.from());
                }
                if (op.to() < c) {
                    TensorOps.zeroChannels(pixels, gIn[0].data, c, op.to(), c - op.to());
                }
            }
            TensorOps.moveChannels(pixels, gOut.data, out.c, 0, gIn[0].data, c, op.from(), out.c, accumulate[0]);
        }
    }

    static final class Shuffle extends Layer {
        private final int groups;

        Shuffle(Node node, Op.Shuffle op) {
            super(node);
            this.groups = op.groups();
        }

        @Override
        void forward(Tensor[] in, Tensor out, Model.Mode mode) {
            TensorOps.shuffle(rows(out), out.c, groups, in[0].data, out.data, false, false);
        }

        @Override
        void backward(Tensor[] in, Tensor out, Tensor gOut, Tensor[] gIn, boolean[] accumulate) {
            if (gIn[0] != null) {
                TensorOps.shuffle(rows(out), out.c, groups, gOut.data, gIn[0].data, true, accumulate[0]);
            }
        }
    }

    /** Inverted dropout, active only in TRAIN; the mask comes from the network's seeded stream. */
    static final class Dropout extends Layer {
        private final double p;
        private final Network owner;
        private float[] mask = new float[0];

        Dropout(Node node, Op.Dropout op, Network owner) {
            super(node);
            this.p = op.p();
            this.owner = owner;
        }

        @Override
        void forward(Tensor[] in, Tensor out, Model.Mode mode) {
            int n = out.size();
            if (mode != Model.Mode.TRAIN || p == 0) {
                System.arraycopy(in[0].data, 0, out.data, 0, n);
                if (mask.length < n) {
                    mask = new float[n];
                }
                Arrays.fill(mask, 0, n, 1f);
                return;
            }
            if (mask.length < n) {
                mask = new float[n];
            }
            SplittableRandom r = owner.dropoutRandom();
            float keep = (float) (1.0 / (1.0 - p));
            float[] x = in[0].data;
            for (int i = 0; i < n; i++) {
                mask[i] = r.nextDouble() < p ? 0f : keep;
                out.data[i] = x[i] * mask[i];
            }
        }

        @Override
        void backward(Tensor[] in, Tensor out, Tensor gOut, Tensor[] gIn, boolean[] accumulate) {
            if (gIn[0] == null) {
                return;
            }
            float[] dx = gIn[0].data;
            float[] dy = gOut.data;
            int n = out.size();
            for (int i = 0; i < n; i++) {
                dx[i] = accumulate[0] ? dx[i] + dy[i] * mask[i] : dy[i] * mask[i];
            }
        }
    }

    /** Fully connected over the NHWC-flattened input; weight {@code [out, in]} ~ N(0, 0.01), bias 0. */
    static final class Linear extends Layer {
        private final Gemm gemm;
        private final Param weight;
        private final Param bias;
        private final int in;
        private final int out;

        Linear(Node node, Op.Linear op, Gemm gemm, ParameterStore store, long seed) {
            super(node);
            this.gemm = gemm;
            this.in = (int) node.input().elements();
            this.out = op.out();
            float[] w = new float[in * out];
            SplittableRandom r = Network.random(seed, node.name() + ".weight");
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (r.nextGaussian() * 0.01);
            }
            weight = new Param(node.name() + ".weight", Param.Role.WEIGHT, new int[] {out, in}, w);
            store.add(weight);
            if (op.bias()) {
                bias = new Param(node.name() + ".bias", Param.Role.BIAS, new int[] {out}, new float[out]);
                store.add(bias);
            } else {
                bias = null;
            }
        }

        @Override
        void forward(Tensor[] x, Tensor y, Model.Mode mode) {
            int n = x[0].n;
            gemm.gemm(false, true, n, out, in, 1f, x[0].data, 0, in, weight.value(), 0, in, 0f, y.data, 0, out);
            if (bias != null) {
                float[] b = bias.value();
                for (int r = 0; r < n; r++) {
                    for (int j = 0; j < out; j++) {
                        y.data[r * out + j] += b[j];
                    }
                }
            }
        }

        @Override
        void backward(Tensor[] x, Tensor y, Tensor gOut, Tensor[] gIn, boolean[] accumulate) {
            int n = x[0].n;
            gemm.gemm(true, false, out, in, n, 1f, gOut.data, 0, out, x[0].data, 0, in, 1f, weight.grad(), 0, in);
            if (bias != null) {
                double[] s = Reduce.columnSums(gOut.data, n, out);
                float[] g = bias.grad();
                for (int j = 0; j < out; j++) {
                    g[j] += (float) s[j];
                }
            }
            if (gIn[0] != null) {
                gemm.gemm(
                        false,
                        false,
                        n,
                        in,
                        out,
                        1f,
                        gOut.data,
                        0,
                        out,
                        weight.value(),
                        0,
                        in,
                        accumulate[0] ? 1f : 0f,
                        gIn[0].data,
                        0,
                        in);
            }
        }

        @Override
        boolean hasParameters() {
            return true;
        }
    }
}
