package org.mobilenas.benchmarks;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.mobilenas.core.dl4j.Dl4jExport;
import org.mobilenas.core.dl4j.Dl4jNetwork;
import org.mobilenas.core.engine.Model;
import org.mobilenas.core.engine.Network;
import org.mobilenas.core.engine.Param;
import org.mobilenas.core.engine.Tensor;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.spaces.catalog.MobileNets;
import org.nd4j.linalg.api.ndarray.INDArray;
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
 * width 0.5 at 32x32, batch 64, 10 classes, and batch-1 inference of MobileNetV2 1.0 at 224x224: the engine and,
 * side by side in the same run, the same spec exported to plain DL4J ({@code Dl4jExport}, {@code ComputationGraph}
 * with oneDNN where the ND4J build has it). A training step is about 0.77 GFLOP (3 x 2 x 2.0 M MACs x 64 images),
 * inference about 0.60 GFLOP.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar TrainingStep -f 1 -wi 2 -i 3
 * java -jar benchmarks/target/benchmarks.jar TrainingStep -f 1 -wi 2 -i 3 -jvmArgsAppend -Dmobilenas.gemm=java
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx6g", "--add-modules=jdk.incubator.vector"})
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

    /** The same MobileNetV2-0.5 training setup exported to DL4J (SGD, learning rate 0.01). */
    @State(Scope.Thread)
    public static class Dl4jTrain {
        Dl4jNetwork net;
        INDArray x;
        INDArray y;

        @Setup
        public void setup() {
            Train t = new Train();
            t.setup();
            net = Dl4jExport.builder(t.net.spec())
                    .weights(t.net.parameters())
                    .learningRate(0.01)
                    .build();
            x = net.toNchw(t.x);
            y = net.oneHot(t.labels);
        }
    }

    /** MobileNetV2-1.0 at 224x224, batch 1, exported to DL4J. */
    @State(Scope.Thread)
    public static class Dl4jInfer {
        Dl4jNetwork net;
        INDArray x;

        @Setup
        public void setup() {
            Infer i = new Infer();
            i.setup();
            net = Dl4jExport.builder(i.net.spec()).weights(i.net.parameters()).build();
            x = net.toNchw(i.x);
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
        double loss = softmaxGradient(logits, s.labels, s.grad);
        s.net.backward(s.grad);
        sgd(s.net, 0.01f);
        return loss;
    }

    /** Writes the gradient of the mean softmax cross-entropy into {@code grad} and returns the loss. */
    static double softmaxGradient(Tensor logits, int[] labels, Tensor grad) {
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
                grad.data[b * c + j] = (float) ((p - (j == labels[b] ? 1 : 0)) / n);
            }
            loss -= logits.data[b * c + labels[b]] - max - Math.log(sum);
        }
        return loss / n;
    }

    /** Plain SGD without momentum on every trainable parameter. */
    static void sgd(Network net, float lr) {
        for (Param p : net.parameters().trainable()) {
            float[] v = p.value();
            float[] g = p.grad();
            for (int i = 0; i < v.length; i++) {
                v[i] -= lr * g[i];
            }
        }
    }

    /** DL4J: {@code ComputationGraph.fit} on one batch (forward, backward, SGD update). */
    @Benchmark
    public double dl4jTrainStepMobileNetV2x05At32Batch64(Dl4jTrain s) {
        return s.net.fit(s.x, s.y);
    }

    /** DL4J: {@code ComputationGraph.output} in inference mode. */
    @Benchmark
    public INDArray dl4jInferMobileNetV2At224Batch1(Dl4jInfer s) {
        return s.net.graph().outputSingle(false, s.x);
    }

    @Benchmark
    public Tensor inferMobileNetV2At224Batch1(Infer s) {
        return s.net.forward(s.x, Model.Mode.EVAL);
    }
}
