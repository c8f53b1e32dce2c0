package org.mobilenas.benchmarks;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.mobilenas.core.engine.kernels.Activations;
import org.mobilenas.core.engine.kernels.BatchNormKernel;
import org.mobilenas.core.engine.kernels.Conv2d;
import org.mobilenas.core.engine.kernels.ConvShape;
import org.mobilenas.core.engine.kernels.Gemm;
import org.mobilenas.core.engine.kernels.Pooling;
import org.mobilenas.core.engine.kernels.TensorOps;
import org.mobilenas.core.spec.Activation;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The hot kernels of mobile blocks at MobileNetV2/ShuffleNet shapes: {@code infer224} (224x224 input, batch 1) and
 * {@code train32} (width 0.5 on 32x32 input, batch 64). Throughput mode: the primary score is calls/s, and the
 * auxiliary counters {@code gflop} and {@code gbyte} report achieved GFLOP/s and GB/s (bytes every call must read
 * and write at least once); {@code gemmReference} gives the machine's own GEMM throughput in the same run.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar KernelBenchmark -f 1 -wi 2 -i 3
 * java -jar benchmarks/target/benchmarks.jar "KernelBenchmark.depthwise" -p kernel=3
 * }</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx4g", "--add-modules=jdk.incubator.vector"})
public class KernelBenchmark {

    /** Achieved GFLOP/s and GB/s, accumulated per call and normalised by JMH over time. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Rate {
        public double gflop;
        public double gbyte;

        @Setup(Level.Iteration)
        public void reset() {
            gflop = 0;
            gbyte = 0;
        }

        void add(double flops, double bytes) {
            gflop += flops * 1e-9;
            gbyte += bytes * 1e-9;
        }
    }

    static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    /** Convolution operands for one {@link ConvShape}. */
    abstract static class ConvState {
        ConvShape conv;
        Gemm impl;
        float[] x;
        float[] w;
        float[] y;
        float[] dy;
        float[] dx;
        float[] dw;
        double flops;
        double bytes;

        void init(ConvShape s, Gemm g) {
            conv = s;
            impl = g;
            x = random(s.inputSize(), 1);
            w = random(s.out() * s.kernel() * s.kernel() * s.inPerGroup(), 2);
            int outSize = s.batch() * s.outHeight() * s.outWidth() * s.out();
            y = new float[outSize];
            dy = random(outSize, 3);
            dx = new float[s.inputSize()];
            dw = new float[w.length];
            flops = 2.0 * outSize * s.kernel() * s.kernel() * s.inPerGroup();
            bytes = 4.0 * (s.inputSize() + outSize + w.length);
        }
    }

    /** Depthwise convolutions: stride 1 at 56x56x144 / 8x8x96, stride 2 at 112x112x96 / 16x16x48. */
    @State(Scope.Thread)
    public static class Depthwise extends ConvState {
        @Param({"infer224", "train32"})
        public String config;

        @Param({"3", "5", "7"})
        public int kernel;

        @Param({"1", "2"})
        public int stride;

        @Setup
        public void setup() {
            boolean infer = config.equals("infer224");
            int n = infer ? 1 : 64;
            int hw = infer ? (stride == 1 ? 56 : 112) : (stride == 1 ? 8 : 16);
            int c = infer ? (stride == 1 ? 144 : 96) : (stride == 1 ? 96 : 48);
            init(new ConvShape(n, hw, hw, c, c, kernel, stride, kernel / 2, c), Gemm.defaultGemm());
        }
    }

    /** Pointwise (1x1) convolutions {@code n x h x w x in -> out} at expand and project shapes. */
    @State(Scope.Thread)
    public static class Pointwise extends ConvState {
        @Param({"1x56x56x24x144", "1x56x56x144x24", "1x7x7x320x1280", "64x16x16x16x96", "64x8x8x96x16", "64x4x4x192x64"
        })
        public String shape;

        @Param({"vector", "java"})
        public String gemm;

        @Setup
        public void setup() {
            String[] p = shape.split("x");
            int n = Integer.parseInt(p[0]);
            int h = Integer.parseInt(p[1]);
            int w = Integer.parseInt(p[2]);
            init(new ConvShape(n, h, w, Integer.parseInt(p[3]), Integer.parseInt(p[4]), 1, 1, 0, 1), Gemm.named(gemm));
        }
    }

    /** Grouped 1x1 convolutions of ShuffleNet v1 (g = 3, 240 channels). */
    @State(Scope.Thread)
    public static class Grouped extends ConvState {
        @Param({"1x28x28x240x240g3", "64x8x8x240x240g3"})
        public String shape;

        @Setup
        public void setup() {
            String[] g = shape.split("g");
            String[] p = g[0].split("x");
            init(
                    new ConvShape(
                            Integer.parseInt(p[0]),
                            Integer.parseInt(p[1]),
                            Integer.parseInt(p[2]),
                            Integer.parseInt(p[3]),
                            Integer.parseInt(p[4]),
                            1,
                            1,
                            0,
                            Integer.parseInt(g[1])),
                    Gemm.defaultGemm());
        }
    }

    /** Element-wise operands {@code [rows, c]}: 112x112x96 at batch 1, 16x16x48 at batch 64. */
    @State(Scope.Thread)
    public static class Elementwise {
        @Param({"infer224", "train32"})
        public String config;

        int rows;
        int c;
        float[] x;
        float[] y;
        float[] dy;
        float[] dx;
        float[] mean;
        float[] var;
        float[] invStd;
        float[] gamma;
        float[] beta;
        float[] dgamma;
        float[] dbeta;

        @Setup
        public void setup() {
            boolean infer = config.equals("infer224");
            rows = infer ? 112 * 112 : 64 * 16 * 16;
            c = infer ? 96 : 48;
            x = random(rows * c, 4);
            y = new float[rows * c];
            dy = random(rows * c, 5);
            dx = new float[rows * c];
            mean = new float[c];
            var = new float[c];
            invStd = new float[c];
            gamma = random(c, 6);
            beta = random(c, 7);
            dgamma = new float[c];
            dbeta = new float[c];
            BatchNormKernel.batchStatistics(x, rows, c, mean, var);
            for (int j = 0; j < c; j++) {
                invStd[j] = (float) (1 / Math.sqrt(var[j] + 1e-5));
            }
        }

        double elements() {
            return (double) rows * c;
        }
    }

    /** Squeeze-and-excite at 28x28x120 (batch 1) and 8x8x96 (batch 64), reduction 4, ReLU then h-sigmoid. */
    @State(Scope.Thread)
    public static class SqueezeExcite {
        @Param({"infer224", "train32"})
        public String config;

        int n;
        int hw;
        int c;
        int r;
        float[] x;
        float[] pooled;
        float[] w1;
        float[] h1;
        float[] a1;
        float[] w2;
        float[] h2;
        float[] gate;
        float[] y;
        float[] dy;
        float[] dx;
        float[] dgate;
        float[] dh2;
        float[] da1;
        float[] dh1;
        float[] dpooled;
        float[] dw1;
        float[] dw2;
        final Gemm gemm = Gemm.defaultGemm();

        @Setup
        public void setup() {
            boolean infer = config.equals("infer224");
            n = infer ? 1 : 64;
            hw = infer ? 28 * 28 : 8 * 8;
            c = infer ? 120 : 96;
            r = c / 4;
            x = random(n * hw * c, 8);
            pooled = new float[n * c];
            w1 = random(r * c, 9);
            h1 = new float[n * r];
            a1 = new float[n * r];
            w2 = random(c * r, 10);
            h2 = new float[n * c];
            gate = new float[n * c];
            y = new float[n * hw * c];
            dy = random(n * hw * c, 11);
            dx = new float[n * hw * c];
            dgate = new float[n * c];
            dh2 = new float[n * c];
            da1 = new float[n * r];
            dh1 = new float[n * r];
            dpooled = new float[n * c];
            dw1 = new float[r * c];
            dw2 = new float[c * r];
        }

        double flops() {
            return 2.0 * n * hw * c + 4.0 * n * c * r;
        }

        double bytes() {
            return 4.0 * 2 * n * hw * c;
        }
    }

    /** Square GEMM, the machine's reference throughput. */
    @State(Scope.Thread)
    public static class Square {
        @Param({"vector", "java", "nd4j"})
        public String gemm;

        @Param({"512"})
        public int size;

        Gemm g;
        float[] a;
        float[] b;
        float[] c;

        @Setup
        public void setup() {
            g = Gemm.named(gemm);
            a = random(size * size, 12);
            b = random(size * size, 13);
            c = new float[size * size];
        }
    }

    @Benchmark
    public void depthwiseForward(Depthwise s, Rate rate) {
        Conv2d.forward(s.impl, s.conv, s.x, s.w, null, s.y);
        rate.add(s.flops, s.bytes);
    }

    @Benchmark
    public void depthwiseBackward(Depthwise s, Rate rate) {
        Conv2d.backward(s.impl, s.conv, s.x, s.w, s.dy, s.dx, false, s.dw, null);
        rate.add(2 * s.flops, 2 * s.bytes);
    }

    @Benchmark
    public void pointwiseForward(Pointwise s, Rate rate) {
        Conv2d.forward(s.impl, s.conv, s.x, s.w, null, s.y);
        rate.add(s.flops, s.bytes);
    }

    @Benchmark
    public void pointwiseBackward(Pointwise s, Rate rate) {
        Conv2d.backward(s.impl, s.conv, s.x, s.w, s.dy, s.dx, false, s.dw, null);
        rate.add(2 * s.flops, 2 * s.bytes);
    }

    @Benchmark
    public void groupedForward(Grouped s, Rate rate) {
        Conv2d.forward(s.impl, s.conv, s.x, s.w, null, s.y);
        rate.add(s.flops, s.bytes);
    }

    @Benchmark
    public void groupedBackward(Grouped s, Rate rate) {
        Conv2d.backward(s.impl, s.conv, s.x, s.w, s.dy, s.dx, false, s.dw, null);
        rate.add(2 * s.flops, 2 * s.bytes);
    }

    /** ShuffleNet channel shuffle with 3 groups (ShuffleNet v1) over 240 channels; pure data movement. */
    @Benchmark
    public void channelShuffle(Grouped s, Rate rate) {
        int pixels = s.conv.batch() * s.conv.height() * s.conv.width();
        TensorOps.shuffle(pixels, s.conv.in(), 3, s.x, s.dx, false, false);
        rate.add(0, 8.0 * pixels * s.conv.in());
    }

    /** Batch norm in training mode (batch statistics) followed by ReLU6. */
    @Benchmark
    public void batchNormRelu6Forward(Elementwise s, Rate rate) {
        BatchNormKernel.batchStatistics(s.x, s.rows, s.c, s.mean, s.var);
        for (int j = 0; j < s.c; j++) {
            s.invStd[j] = (float) (1 / Math.sqrt(s.var[j] + 1e-5));
        }
        BatchNormKernel.normalize(s.x, s.y, s.rows, s.c, s.mean, s.invStd, s.gamma, s.beta);
        Activations.forward(Activation.RELU6, s.y, s.y, s.rows * s.c);
        rate.add(7 * s.elements(), 8 * s.elements());
    }

    @Benchmark
    public void batchNormRelu6Backward(Elementwise s, Rate rate) {
        Activations.backward(Activation.RELU6, s.y, s.dy, s.dx, false, s.rows * s.c);
        BatchNormKernel.backward(s.x, s.dx, s.rows, s.c, s.mean, s.invStd, s.gamma, s.dx, false, s.dgamma, s.dbeta);
        rate.add(8 * s.elements(), 16 * s.elements());
    }

    /** The fused kernel: batch norm and ReLU6 in one pass. */
    @Benchmark
    public void batchNormRelu6ForwardFused(Elementwise s, Rate rate) {
        BatchNormKernel.batchStatistics(s.x, s.rows, s.c, s.mean, s.var);
        for (int j = 0; j < s.c; j++) {
            s.invStd[j] = (float) (1 / Math.sqrt(s.var[j] + 1e-5));
        }
        BatchNormKernel.normalize(s.x, s.y, s.rows, s.c, s.mean, s.invStd, s.gamma, s.beta, Activation.RELU6);
        rate.add(7 * s.elements(), 8 * s.elements());
    }

    /** The fused kernel: gradient through ReLU6 and batch norm from the activation's output. */
    @Benchmark
    public void batchNormRelu6BackwardFused(Elementwise s, Rate rate) {
        BatchNormKernel.backward(
                s.x,
                s.y,
                Activation.RELU6,
                s.dy,
                s.rows,
                s.c,
                s.mean,
                s.invStd,
                s.gamma,
                s.dx,
                false,
                s.dgamma,
                s.dbeta);
        rate.add(8 * s.elements(), 16 * s.elements());
    }

    /** Batch norm with running statistics (inference) followed by ReLU6. */
    @Benchmark
    public void batchNormRelu6Inference(Elementwise s, Rate rate) {
        BatchNormKernel.normalize(s.x, s.y, s.rows, s.c, s.mean, s.invStd, s.gamma, s.beta);
        Activations.forward(Activation.RELU6, s.y, s.y, s.rows * s.c);
        rate.add(4 * s.elements(), 8 * s.elements());
    }

    /** Squeeze-and-excite: global average pool, FC + ReLU, FC + h-sigmoid, channel scaling. */
    @Benchmark
    public void squeezeExciteForward(SqueezeExcite s, Rate rate) {
        seForward(s);
        rate.add(s.flops(), s.bytes());
    }

    @Benchmark
    public void squeezeExciteBackward(SqueezeExcite s, Rate rate) {
        TensorOps.scaleBackward(s.n, s.hw, s.c, s.x, s.gate, s.dy, s.dx, false, s.dgate, false);
        Activations.backward(Activation.HSIGMOID, s.h2, s.dgate, s.dh2, false, s.n * s.c);
        s.gemm.gemm(true, false, s.c, s.r, s.n, 1f, s.dh2, 0, s.c, s.a1, 0, s.r, 1f, s.dw2, 0, s.r);
        s.gemm.gemm(false, false, s.n, s.r, s.c, 1f, s.dh2, 0, s.c, s.w2, 0, s.r, 0f, s.da1, 0, s.r);
        Activations.backward(Activation.RELU, s.h1, s.da1, s.dh1, false, s.n * s.r);
        s.gemm.gemm(true, false, s.r, s.c, s.n, 1f, s.dh1, 0, s.r, s.pooled, 0, s.c, 1f, s.dw1, 0, s.c);
        s.gemm.gemm(false, false, s.n, s.c, s.r, 1f, s.dh1, 0, s.r, s.w1, 0, s.c, 0f, s.dpooled, 0, s.c);
        Pooling.globalAvgBackward(s.n, s.hw, s.c, s.dpooled, s.dx, true);
        rate.add(2 * s.flops(), 2 * s.bytes());
    }

    static void seForward(SqueezeExcite s) {
        Pooling.globalAvgForward(s.n, s.hw, s.c, s.x, s.pooled);
        s.gemm.gemm(false, true, s.n, s.r, s.c, 1f, s.pooled, 0, s.c, s.w1, 0, s.c, 0f, s.h1, 0, s.r);
        Activations.forward(Activation.RELU, s.h1, s.a1, s.n * s.r);
        s.gemm.gemm(false, true, s.n, s.c, s.r, 1f, s.a1, 0, s.r, s.w2, 0, s.r, 0f, s.h2, 0, s.c);
        Activations.forward(Activation.HSIGMOID, s.h2, s.gate, s.n * s.c);
        TensorOps.scale(s.n, s.hw, s.c, s.x, s.gate, s.y);
    }

    /** {@code C = A * B} at {@code size^3}: the machine's reference GEMM throughput for each implementation. */
    @Benchmark
    public void gemmReference(Square s, Rate rate) {
        s.g.gemm(false, false, s.size, s.size, s.size, 1f, s.a, 0, s.size, s.b, 0, s.size, 0f, s.c, 0, s.size);
        rate.add(2.0 * s.size * s.size * s.size, 12.0 * s.size * s.size);
    }
}
