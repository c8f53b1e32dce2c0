package org.mobilenas.benchmarks;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.mobilenas.core.engine.kernels.Gemm;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Pure-Java versus ND4J GEMM at pointwise-convolution shapes ({@code M = n*h*w}, {@code K = in}, {@code N = out},
 * computed as {@code Y = X * W^T} like the engine does) and at 1024^3 as the machine reference. GFLOP/s =
 * {@code 2*M*N*K / time}.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar GemmBenchmark -f 1 -wi 3 -i 5
 * }</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GemmBenchmark {
    /** {@code MxKxN}. */
    @Param({"16384x96x24", "65536x16x96", "4096x192x64", "1024x1024x1024"})
    public String shape;

    @Param({"java", "nd4j"})
    public String impl;

    private Gemm gemm;
    private int m;
    private int k;
    private int n;
    private float[] a;
    private float[] b;
    private float[] c;

    @Setup
    public void setup() {
        String[] p = shape.split("x");
        m = Integer.parseInt(p[0]);
        k = Integer.parseInt(p[1]);
        n = Integer.parseInt(p[2]);
        gemm = Gemm.named(impl);
        Random r = new Random(1);
        a = new float[m * k];
        b = new float[n * k];
        c = new float[m * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextFloat() - 0.5f;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = r.nextFloat() - 0.5f;
        }
    }

    @Benchmark
    public void pointwiseForward(Blackhole bh) {
        gemm.gemm(false, true, m, n, k, 1f, a, 0, k, b, 0, k, 0f, c, 0, n);
        bh.consume(c);
    }
}
