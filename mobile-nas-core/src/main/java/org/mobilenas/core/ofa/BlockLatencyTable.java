package org.mobilenas.core.ofa;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.mobilenas.core.engine.Model;
import org.mobilenas.core.engine.Network;
import org.mobilenas.core.engine.NodeTiming;
import org.mobilenas.core.engine.Tensor;
import org.mobilenas.core.json.Json;
import org.mobilenas.core.latency.LatencyModel;
import org.mobilenas.core.latency.LatencyPrediction;
import org.mobilenas.core.latency.LayerLatency;
import org.mobilenas.core.spec.BlockSpec;
import org.mobilenas.core.spec.ClassifierSpec;
import org.mobilenas.core.spec.GlobalPoolBlock;
import org.mobilenas.core.spec.MBConvBlock;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.spec.StageSpec;

/**
 * Once-for-All's latency lookup table for one {@link ElasticSpace} on this machine: the batch-1 forward time of
 * every elastic block choice (stage, first or repeated block, kernel, expand ratio) at every resolution, plus the
 * fixed part (stem, first block, head, classifier) per resolution, each the median over repeated runs of the
 * engine with per-node profiling. A subnet's latency is the sum of its entries. Persisted as JSON.
 *
 * <pre>{@code
 * BlockLatencyTable table = BlockLatencyTable.measure(space, 3, 15);
 * table.save(Path.of("ofa-latency.json"));
 * double ms = table.predictMs(space.spec(config));
 * }</pre>
 */
public final class BlockLatencyTable implements LatencyModel {
    private final ElasticSpace space;
    private final Map<String, Double> entries;
    private final String device;

    private BlockLatencyTable(ElasticSpace space, Map<String, Double> entries, String device) {
        this.space = space;
        this.entries = new TreeMap<>(entries);
        this.device = device;
    }

    /** A table from given entries (keys as produced by {@link #blockKey} and {@link #fixedKey}). */
    public static BlockLatencyTable of(ElasticSpace space, Map<String, Double> entries, String device) {
        Objects.requireNonNull(space, "space");
        for (Map.Entry<String, Double> e : entries.entrySet()) {
            if (e.getValue() == null || !(e.getValue() >= 0) || !Double.isFinite(e.getValue())) {
                throw new IllegalArgumentException("latency entry " + e.getKey() + " = " + e.getValue()
                        + ", expected a finite value >= 0");
            }
        }
        return new BlockLatencyTable(space, entries, device);
    }

    /** A table whose every entry comes from {@code ms} applied to the entry's single-block spec (for tests). */
    public static BlockLatencyTable computed(ElasticSpace space, String device, ToDoubleFunction<NetworkSpec> ms) {
        Map<String, Double> e = new TreeMap<>();
        forEachEntry(space, (key, spec, prefix) -> e.put(key, ms.applyAsDouble(spec)));
        return new BlockLatencyTable(space, e, device);
    }

    /**
     * Measures every entry with the engine on this JVM: {@code warmup} untimed and {@code repeats} timed batch-1
     * forward passes each, the median kept.
     */
    public static BlockLatencyTable measure(ElasticSpace space, int warmup, int repeats) {
        if (warmup < 0 || repeats < 1) {
            throw new IllegalArgumentException("warmup " + warmup + " must be >= 0 and repeats " + repeats + " >= 1");
        }
        Map<String, Double> e = new TreeMap<>();
        forEachEntry(space, (key, spec, prefix) -> e.put(key, median(spec, prefix, warmup, repeats)));
        return new BlockLatencyTable(space, e, "engine:" + System.getProperty("os.arch") + ":"
                + Runtime.getRuntime().availableProcessors() + "cpu");
    }

    private interface EntryVisitor {
        void visit(String key, NetworkSpec spec, List<String> timedPrefixes);
    }

    private static void forEachEntry(ElasticSpace space, EntryVisitor v) {
        for (int r : space.resolutions()) {
            NetworkSpec min = space.spec(space.minConfig().withResolution(r));
            v.visit(fixedKey(r), min, List.of("stem[", "stages[0].", "head[", "classifier."));
            int h = (r - 1) / space.stemStride() + 1;
            for (int s = 0; s < space.stages().size(); s++) {
                ElasticStage st = space.stages().get(s);
                int hOut = (h - 1) / st.stride() + 1;
                for (int pos = 0; pos < 2; pos++) {
                    for (int k : space.kernels()) {
                        for (int e : space.expands()) {
                            SubnetConfig c = space.uniform(r, space.maxDepth(), k, e);
                            MBConvBlock block = (MBConvBlock) space.spec(c).stages().get(ElasticSpace.specStage(s))
                                    .blocks().get(pos);
                            int in = space.blockInput(s, pos);
                            NetworkSpec one = new NetworkSpec("lut_block", pos == 0 ? h : hOut, in, List.of(),
                                    List.of(new StageSpec("block", List.<BlockSpec>of(block))),
                                    List.of(GlobalPoolBlock.avg()), ClassifierSpec.of(2, 0));
                            v.visit(blockKey(r, s, pos, k, e), one, List.of("stages[0]."));
                        }
                    }
                }
                h = hOut;
            }
        }
    }

    private static double median(NetworkSpec spec, List<String> prefixes, int warmup, int repeats) {
        Network net = Network.realize(spec, 1);
        Tensor x = new Tensor(1, spec.resolution(), spec.resolution(), spec.inputChannels());
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < x.size(); i++) {
            x.data[i] = (float) rng.nextGaussian();
        }
        for (int i = 0; i < warmup; i++) {
            net.forward(x, Model.Mode.EVAL);
        }
        double[] t = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            net.profiling(true);
            net.forward(x, Model.Mode.EVAL);
            long ns = 0;
            for (NodeTiming nt : net.timings()) {
                for (String p : prefixes) {
                    if (nt.node().startsWith(p)) {
                        ns += nt.forwardNanos();
                        break;
                    }
                }
            }
            t[i] = ns / 1e6;
        }
        net.profiling(false);
        Arrays.sort(t);
        return t[repeats / 2];
    }

    /** Key of an elastic block entry: resolution, stage, position (0 first, 1 repeated), kernel, expand. */
    public static String blockKey(int resolution, int stage, int position, int kernel, int expand) {
        return "r" + resolution + "/s" + stage + "/" + (position == 0 ? "first" : "repeat") + "/k" + kernel + "/e"
                + expand;
    }

    /** Key of the fixed part (stem, first block, head, classifier) at a resolution. */
    public static String fixedKey(int resolution) {
        return "r" + resolution + "/fixed";
    }

    public ElasticSpace space() {
        return space;
    }

    public Map<String, Double> entries() {
        return java.util.Collections.unmodifiableMap(entries);
    }

    @Override
    public String name() {
        return "ofa-lut:" + space.name() + ":" + device;
    }

    /** Latency of a subnet config (the sum of its entries). */
    public double predictMs(SubnetConfig c) {
        double ms = entry(fixedKey(c.resolution()));
        for (int s = 0; s < space.stages().size(); s++) {
            for (int b = 0; b < c.depths().get(s); b++) {
                ms += entry(blockKey(c.resolution(), s, Math.min(b, 1), c.kernel(s, b), c.expand(s, b)));
            }
        }
        return ms;
    }

    private double entry(String key) {
        Double v = entries.get(key);
        if (v == null) {
            throw new IllegalArgumentException("latency table " + name() + " has no entry " + key);
        }
        return v;
    }

    /**
     * Predicts a spec of this space's subnets (as built by {@link ElasticSpace#spec}); batch {@code b} scales the
     * batch-1 time linearly.
     */
    @Override
    public LatencyPrediction predict(NetworkSpec spec, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize " + batchSize + " must be >= 1");
        }
        if (spec.stages().size() != space.stages().size() + 1) {
            throw new IllegalArgumentException(name() + ": spec " + spec.name() + " has " + spec.stages().size()
                    + " stages, expected " + (space.stages().size() + 1) + " (a subnet of " + space.name() + ")");
        }
        List<LayerLatency> layers = new ArrayList<>();
        String fk = fixedKey(spec.resolution());
        layers.add(new LayerLatency("fixed", fk, entry(fk) * batchSize));
        double total = entry(fk);
        for (int s = 0; s < space.stages().size(); s++) {
            List<BlockSpec> blocks = spec.stages().get(ElasticSpace.specStage(s)).blocks();
            for (int b = 0; b < blocks.size(); b++) {
                if (!(blocks.get(b) instanceof MBConvBlock m)) {
                    throw new IllegalArgumentException(name() + ": stage " + s + " block " + b + " of " + spec.name()
                            + " is a " + blocks.get(b).kind() + ", expected mbconv");
                }
                int in = space.blockInput(s, b);
                int e = expandOf(m.expanded(in), in, s, b, spec.name());
                String key = blockKey(spec.resolution(), s, Math.min(b, 1), m.kernel(), e);
                double ms = entry(key);
                total += ms;
                layers.add(new LayerLatency(ElasticSupernet.blockPrefix(s, b), key, ms * batchSize));
            }
        }
        return new LatencyPrediction(total * batchSize, 0, layers);
    }

    private int expandOf(int hidden, int in, int s, int b, String specName) {
        for (int e : space.expands()) {
            if (ElasticSpace.expanded(in, e) == hidden) {
                return e;
            }
        }
        throw new IllegalArgumentException(name() + ": stage " + s + " block " + b + " of " + specName
                + " expands " + in + " to " + hidden + " channels, which matches no expand ratio in "
                + space.expands());
    }

    /** Writes the table as JSON ({@code {"space":..., "device":..., "entries":{key: ms}}}). */
    public void save(Path file) {
        try {
            Files.writeString(file, Json.write(Map.of("space", space.name(), "device", device, "entries", entries)));
        } catch (IOException e) {
            throw new UncheckedIOException("writing latency table " + file, e);
        }
    }

    /** Reads a table written by {@link #save} for {@code space}. */
    public static BlockLatencyTable load(ElasticSpace space, Path file) {
        try {
            Map<String, Object> m = Json.mapper().readValue(Files.readString(file),
                    new TypeReference<Map<String, Object>>() { });
            if (!space.name().equals(m.get("space"))) {
                throw new IllegalArgumentException(file + ": latency table of space '" + m.get("space")
                        + "', expected '" + space.name() + "'");
            }
            Map<String, Double> e = new TreeMap<>();
            ((Map<?, ?>) m.get("entries")).forEach((k, v) -> e.put((String) k, ((Number) v).doubleValue()));
            return of(space, e, String.valueOf(m.get("device")));
        } catch (IOException e) {
            throw new UncheckedIOException("reading latency table " + file, e);
        }
    }
}
