package org.mobilenas.benchmarks;

import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.mobilenas.core.engine.Model;
import org.mobilenas.core.engine.Network;
import org.mobilenas.core.engine.Tensor;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.onnx.OnnxExport;
import org.mobilenas.onnx.OnnxRuntimeSession;
import org.mobilenas.spaces.catalog.Catalog;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One network of every catalogue family, timed the way {@code scripts/peers/families.py} times the same graphs in
 * PyTorch: a training step (forward, softmax cross-entropy gradient, backward, SGD update) at batch 64, 32 px,
 * 10 classes, and batch-1 inference at 224 px, 1000 classes — in the engine and, for inference, in ONNX Runtime
 * (the engine's ONNX export, all graph optimizations). {@code scripts/perf-vs-peers.sh} runs both and prints the
 * ratios.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar Family -p network=shufflenet_v2_1.0
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 4)
@Measurement(iterations = 3, time = 4)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx6g", "--add-modules=jdk.incubator.vector"})
@State(Scope.Thread)
public class FamilyBenchmark {
    /** The catalogue network, one per family (names of {@link Catalog}). */
    @Param({
        "mobilenet_v1_0.5_224",
        "mobilenet_v2_0.5",
        "mobilenet_v3_large",
        "mnasnet_b1_0.5",
        "shufflenet_v1_g3_1.0",
        "shufflenet_v2_1.0",
        "tinynet_e"
    })
    public String network;

    private Network train;
    private Tensor batch;
    private int[] labels;
    private Tensor grad;
    private Network infer;
    private Tensor image;
    private OnnxRuntimeSession ort;
    private float[] nchw;

    /** The networks of {@link #network}'s parameter list. */
    public static List<String> networks() {
        try {
            return List.of(FamilyBenchmark.class
                    .getField("network")
                    .getAnnotation(Param.class)
                    .value());
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The training spec of {@code name}: 32 px, 10 classes. */
    public static NetworkSpec trainingSpec(String name) {
        return Catalog.get(name, 10, 32);
    }

    /** The inference spec of {@code name}: 224 px, 1000 classes. */
    public static NetworkSpec inferenceSpec(String name) {
        return Catalog.get(name, 1000, 224);
    }

    /** Builds both networks, a fixed random batch and the ONNX Runtime session. */
    @Setup(Level.Trial)
    public void setup() {
        Random r = new Random(2);
        train = Network.realize(trainingSpec(network), 1);
        batch = new Tensor(64, 32, 32, 3);
        for (int i = 0; i < batch.size(); i++) {
            batch.data[i] = (float) r.nextGaussian();
        }
        labels = new int[64];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = r.nextInt(10);
        }
        grad = new Tensor(64, 1, 1, 10);
        infer = Network.realize(inferenceSpec(network), 1);
        image = new Tensor(1, 224, 224, 3);
        for (int i = 0; i < image.size(); i++) {
            image.data[i] = (float) r.nextGaussian();
        }
        nchw = new float[image.size()];
        for (int y = 0; y < 224; y++) {
            for (int x = 0; x < 224; x++) {
                for (int c = 0; c < 3; c++) {
                    nchw[(c * 224 + y) * 224 + x] = image.data[(y * 224 + x) * 3 + c];
                }
            }
        }
        ort = OnnxRuntimeSession.open(
                OnnxExport.toBytes(infer), Math.max(1, Runtime.getRuntime().availableProcessors()), "all");
    }

    /** Closes the ONNX Runtime session. */
    @TearDown(Level.Trial)
    public void close() {
        ort.close();
    }

    /** One SGD step at batch 64, 32 px. */
    @Benchmark
    public double trainStep() {
        train.parameters().zeroGrad();
        Tensor logits = train.forward(batch, Model.Mode.TRAIN);
        double loss = TrainingStepBenchmark.softmaxGradient(logits, labels, grad);
        train.backward(grad);
        TrainingStepBenchmark.sgd(train, 0.01f);
        return loss;
    }

    /** Batch-1 inference at 224 px in the engine. */
    @Benchmark
    public float inference() {
        return infer.forward(image, Model.Mode.EVAL).data[0];
    }

    /** Batch-1 inference at 224 px of the same network in ONNX Runtime. */
    @Benchmark
    public float onnxRuntimeInference() {
        return ort.run(nchw, 1, 3, 224, 224)[0];
    }
}
