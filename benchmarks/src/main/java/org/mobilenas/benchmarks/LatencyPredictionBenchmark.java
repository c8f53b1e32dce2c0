package org.mobilenas.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.mobilenas.core.spec.Activation;
import org.mobilenas.core.spec.BlockSpec;
import org.mobilenas.core.spec.ConvBlock;
import org.mobilenas.core.spec.GlobalPoolBlock;
import org.mobilenas.core.spec.MBConvBlock;
import org.mobilenas.core.spec.MakeDivisible;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.spec.Skip;
import org.mobilenas.core.spec.StageSpec;
import org.mobilenas.latency.LayerKey;
import org.mobilenas.latency.LayerKeys;
import org.mobilenas.latency.analytic.AnalyticLatencyModel;
import org.mobilenas.latency.measure.DeviceInfo;
import org.mobilenas.latency.table.LatencyTable;
import org.mobilenas.latency.table.TableLatencyModel;
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
 * Throughput of latency predictions for random MobileNetV2-style networks (224 px, six searchable stages of
 * depth 1-4, kernel 3/5/7, expand 3/6, width 0.75/1.0/1.25 per stage): the lookup table's total
 * ({@code tableTotal}), the table with a per-layer breakdown ({@code tableBreakdown}) and the analytic roofline
 * model ({@code analytic}, which lowers every network to its graph). Each call predicts a different network of a
 * pool of 4096 built in the setup; the table holds every key of the pool.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar LatencyPredictionBenchmark -f 1 -wi 2 -i 3
 * }</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class LatencyPredictionBenchmark {
    private static final int POOL = 4096;
    private static final int[] CHANNELS = {24, 32, 64, 96, 160, 320};
    private static final int[] STRIDES = {2, 2, 2, 1, 2, 1};
    private static final double[] WIDTHS = {0.75, 1.0, 1.25};
    private static final int[] KERNELS = {3, 5, 7};
    private static final int[] EXPANDS = {3, 6};

    private NetworkSpec[] specs;
    private TableLatencyModel table;
    private AnalyticLatencyModel analytic;
    private int next;

    @Setup
    public void setup() {
        SplittableRandom rng = new SplittableRandom(42);
        specs = new NetworkSpec[POOL];
        Map<LayerKey, LatencyTable.Entry> entries = new LinkedHashMap<>();
        for (int i = 0; i < POOL; i++) {
            specs[i] = randomNetwork(rng, i);
            for (LayerKeys.Located k : LayerKeys.of(specs[i], 1)) {
                // any positive value will do: the benchmark measures lookups, not the values
                entries.putIfAbsent(
                        k.key(), LatencyTable.Entry.of(k.key(), 0.01 + (k.key().hashCode() & 1023) / 1e3));
            }
        }
        DeviceInfo device = new DeviceInfo("benchmark", "none", 1, "", "", "", "");
        LatencyTable t = LatencyTable.of(device, entries.values(), 0.5);
        table = TableLatencyModel.of(t);
        analytic = AnalyticLatencyModel.fit(t, AnalyticLatencyModel.Features.ROOFLINE);
    }

    static NetworkSpec randomNetwork(SplittableRandom rng, int index) {
        NetworkSpec.Builder b = NetworkSpec.builder("v2-" + index, 224, 3)
                .stem(ConvBlock.of(32, 3, 2, Activation.RELU6))
                .stage("s0", MBConvBlock.of(16, 3, 1, 1, Activation.RELU6));
        for (int s = 0; s < CHANNELS.length; s++) {
            int depth = 1 + rng.nextInt(4);
            int out = MakeDivisible.of8(CHANNELS[s] * WIDTHS[rng.nextInt(WIDTHS.length)]);
            List<BlockSpec> blocks = new ArrayList<>();
            for (int k = 0; k < depth; k++) {
                MBConvBlock m = MBConvBlock.of(
                        out,
                        KERNELS[rng.nextInt(3)],
                        k == 0 ? STRIDES[s] : 1,
                        EXPANDS[rng.nextInt(2)],
                        Activation.RELU6);
                blocks.add(k == 0 ? m : m.withSkip(Skip.IDENTITY));
            }
            b.stage(new StageSpec("s" + (s + 1), blocks));
        }
        return b.head(ConvBlock.of(1280, 1, 1, Activation.RELU6), GlobalPoolBlock.avg())
                .classifier(1000, 0.2)
                .build();
    }

    private NetworkSpec nextSpec() {
        NetworkSpec s = specs[next];
        next = (next + 1) & (POOL - 1);
        return s;
    }

    @Benchmark
    public double tableTotal() {
        return table.predictMs(nextSpec());
    }

    @Benchmark
    public double tableBreakdown() {
        return table.predict(nextSpec(), 1).totalMs();
    }

    @Benchmark
    public double analytic() {
        return analytic.predictMs(nextSpec());
    }
}
