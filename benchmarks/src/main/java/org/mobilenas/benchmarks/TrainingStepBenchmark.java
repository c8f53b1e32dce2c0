package org.mobilenas.benchmarks;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.mobilenas.core.engine.Model;
import org.mobilenas.core.engine.Network;
import org.mobilenas.core.engine.Param;
import org.mobilenas.core.engine.Tensor;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.spaces.catalog.MobileNets;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One SGD training step (forward, softmax-cross-entropy gradient, backward, plain SGD update) of MobileNetV2
 * width 0.5 at 32x32, batch 64, 10 classes; and batch-1 inference of MobileNetV2 1.0 at 224x224.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar TrainingStep -f 1 -wi 2 -i 3
 * java -Dmobilenas.gemm=java -jar benchmarks/target/benchmarks.jar TrainingStep -f 1 -wi 2 -i 3 -jvmArgsAppend -Dmobilenas.gemm=java
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
public class TrainingStepBenchmark {

    /** MobileNetV2-0.5 at 32x32 with a fixed random batch of 64. */
    @State(Scope.Thread)
    public static class Train {
        Network net;
        Tensor x;
        int[] labels;
        Tensor grad;

        @Setup
        public void setup() {
            NetworkSpec spec = MobileNets.mobileNetV2(0.5, 32, 10);
            net = Network.realize(spec, 1);
            Random r = new Random(2);
            x = new Tensor(64, 32, 32, 3);
            for (int i = 0; i < x.size(); i++) {
                x.data[i] = (float) r.nextGaussian();
            }
            labels = new int[64];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = r.nextInt(10);
            }
            grad = new Tensor(64, 1, 1, 10);
        }
    }

    /** MobileNetV2-1.0 at 224x224, batch 1. */
    @State(Scope.Thread)
    public static class Infer {
        Network net;
        Tensor x;

        @Setup
        public void setup() {
            net = Network.realize(MobileNets.mobileNetV2(1.0, 224, 1000), 1);
            x = new Tensor(1, 224, 224, 3);
            Random r = new Random(3);
            for (int i = 0; i < x.size(); i++) {
                x.data[i] = (float) r.nextGaussian();
            }
        }
    }

    @Benchmark
    public double trainStepMobileNetV2x05At32Batch64(Train s) {
        s.net.parameters().zeroGrad();
        Tensor logits = s.net.forward(s.x, Model.Mode.TRAIN);
        int n = logits.n;
        int c = logits.c;
        double loss = 0;
        for (int b = 0; b < n; b++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                max = Math.max(max, logits.data[b * c + j]);
            }
            double sum = 0;
            for (int j = 0; j < c; j++) {
                sum += Math.exp(logits.data[b * c + j] - max);
            }
            for (int j = 0; j < c; j++) {
                double p = Math.exp(logits.data[b * c + j] - max) / sum;
                s.grad.data[b * c + j] = (float) ((p - (j == s.labels[b] ? 1 : 0)) / n);
            }
            loss -= logits.data[b * c + s.labels[b]] - max - Math.log(sum);
        }
        s.net.backward(s.grad);
        for (Param p : s.net.parameters().trainable()) {
            float[] v = p.value();
            float[] g = p.grad();
            for (int i = 0; i < v.length; i++) {
                v[i] -= 0.01f * g[i];
            }
        }
        return loss / n;
    }

    @Benchmark
    public Tensor inferMobileNetV2At224Batch1(Infer s) {
        return s.net.forward(s.x, Model.Mode.EVAL);
    }
}
