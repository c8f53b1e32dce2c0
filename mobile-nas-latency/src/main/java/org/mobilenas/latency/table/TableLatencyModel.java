package org.mobilenas.latency.table;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.mobilenas.core.cost.Costs;
import org.mobilenas.core.latency.LatencyModel;
import org.mobilenas.core.latency.LatencyPrediction;
import org.mobilenas.core.latency.LayerLatency;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.latency.LayerKey;
import org.mobilenas.latency.LayerKeys;
import org.mobilenas.latency.Probes;
import org.mobilenas.latency.measure.DeviceInfo;

/**
 * The lookup-table latency model: a network's latency is the sum of its layers' table latencies (one key per
 * block plus the classifier, see {@link LayerKeys}) times the table's fitted scale, plus its fitted per-network
 * overhead ({@link LatencyTable#calibratedMs}). The per-layer breakdown reports scaled layer latencies; a negative
 * overhead is spread over the layers in proportion, so the breakdown's overhead is never negative. Keys are packed
 * into two longs and found in an open-addressing hash table, so a prediction for a new network costs one pass
 * over its blocks and one probe per block. Missing keys follow the {@link Interpolation} option. Thread-safe.
 *
 * <pre>{@code
 * TableLatencyModel model = TableLatencyModel.builder(table)
 *     .interpolation(Interpolation.CHANNELS)
 *     .device(LatencyMeasurers.select().device(), DeviceCheck.WARN)
 *     .build();
 * double ms = model.predictMs(spec);
 * }</pre>
 */
public final class TableLatencyModel implements LatencyModel {
    private final LatencyTable table;
    private final Interpolation interpolation;
    private final long[] keysA;
    private final long[] keysB;
    private final double[] values;
    private final int mask;
    private final Map<LayerKey, List<LatencyTable.Entry>> bySignature = new HashMap<>();
    private final Map<LayerKey, double[][]> pointsBySignature = new ConcurrentHashMap<>();
    private final Map<LayerKey, Double> interpolated = new ConcurrentHashMap<>();

    private TableLatencyModel(LatencyTable table, Interpolation interpolation) {
        this.table = table;
        this.interpolation = interpolation;
        int cap = Integer.highestOneBit(Math.max(4, table.size() * 3)) << 1;
        keysA = new long[cap];
        keysB = new long[cap];
        values = new double[cap];
        mask = cap - 1;
        for (LatencyTable.Entry e : table.entries()) {
            long a = e.key().packedA();
            long b = e.key().packedB();
            int slot = slot(a, b);
            while (keysB[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            keysA[slot] = a;
            keysB[slot] = b;
            values[slot] = e.ms();
            bySignature
                    .computeIfAbsent(e.key().signature(), k -> new ArrayList<>())
                    .add(e);
        }
    }

    /** A strict model of {@code table}: missing keys are errors, the device is not checked. */
    public static TableLatencyModel of(LatencyTable table) {
        return builder(table).build();
    }

    /** A builder of a model reading {@code table}. */
    public static Builder builder(LatencyTable table) {
        return new Builder(table);
    }

    /** Options of a {@link TableLatencyModel}. */
    public static final class Builder {
        private final LatencyTable table;
        private Interpolation interpolation = Interpolation.NONE;
        private DeviceInfo device;
        private DeviceCheck check = DeviceCheck.IGNORE;
        private Consumer<String> warnings;

        private Builder(LatencyTable table) {
            this.table = Objects.requireNonNull(table, "table");
        }

        /** How missing keys are handled (default {@link Interpolation#NONE}: an error naming the key). */
        public Builder interpolation(Interpolation i) {
            this.interpolation = Objects.requireNonNull(i, "interpolation");
            return this;
        }

        /** The device the model is used for, and what to do when the table was measured elsewhere. */
        public Builder device(DeviceInfo current, DeviceCheck check) {
            this.device = Objects.requireNonNull(current, "device");
            this.check = Objects.requireNonNull(check, "check");
            return this;
        }

        /** Where device-mismatch warnings go (default: the platform logger). */
        public Builder warnings(Consumer<String> sink) {
            this.warnings = Objects.requireNonNull(sink, "warnings");
            return this;
        }

        /** Builds the model. */
        public TableLatencyModel build() {
            if (device != null) {
                if (warnings == null) {
                    table.checkDevice(device, check);
                } else {
                    table.checkDevice(device, check, warnings);
                }
            }
            return new TableLatencyModel(table, interpolation);
        }
    }

    private int slot(long a, long b) {
        long h = a * 0x9E3779B97F4A7C15L ^ b * 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        return (int) h & mask;
    }

    /** The lookup table read. */
    public LatencyTable table() {
        return table;
    }

    /** How keys missing from the table are estimated. */
    public Interpolation interpolation() {
        return interpolation;
    }

    @Override
    public String name() {
        return "lut:" + table.device().name();
    }

    /**
     * Latency of one key as measured in isolation (unscaled): its table entry, or an interpolation, or a
     * {@link MissingLatencyKeyException}.
     */
    public double layerMs(LayerKey key) {
        return lookup(key.packedA(), key.packedB(), null, -1);
    }

    private double lookup(long a, long b, NetworkSpec spec, int index) {
        int slot = slot(a, b);
        long kb;
        while ((kb = keysB[slot]) != 0) {
            if (kb == b && keysA[slot] == a) {
                return values[slot];
            }
            slot = (slot + 1) & mask;
        }
        return missing(LayerKey.unpack(a, b), spec, index);
    }

    private double missing(LayerKey key, NetworkSpec spec, int index) {
        String layer = spec == null ? null : LayerKeys.paths(spec).get(index);
        if (interpolation == Interpolation.NONE) {
            throw new MissingLatencyKeyException(
                    key,
                    layer,
                    "the table of '" + table.device().name() + "' has " + table.size()
                            + " keys and interpolation is off");
        }
        Double cached = interpolated.get(key);
        if (cached != null) {
            return cached;
        }
        double ms = interpolate(key, layer);
        interpolated.put(key, ms);
        return ms;
    }

    /** Work of a key: MACs plus memory access (elements) of its layer. */
    static double work(LayerKey k) {
        Costs probe = Costs.of(Probes.probe(k));
        Costs base = Costs.of(Probes.base(k));
        return Math.max(1, (probe.macs() - base.macs()) + (probe.memoryAccess() - base.memoryAccess()));
    }

    private double interpolate(LayerKey key, String layer) {
        LayerKey signature = key.signature();
        List<LatencyTable.Entry> same = bySignature.get(signature);
        if (same == null) {
            throw new MissingLatencyKeyException(
                    key,
                    layer,
                    "the table of '" + table.device().name()
                            + "' has no entry that differs from it only in channels to interpolate from");
        }
        double corners = multilinear(key, same);
        if (!Double.isNaN(corners)) {
            return corners;
        }
        double[][] points = pointsBySignature.computeIfAbsent(
                signature,
                s -> same.stream()
                        .map(e -> new double[] {work(e.key()), e.ms()})
                        .sorted(Comparator.comparingDouble(p -> p[0]))
                        .toArray(double[][]::new));
        double x;
        try {
            x = work(key);
        } catch (RuntimeException e) {
            throw new MissingLatencyKeyException(key, layer, "cannot interpolate: " + e.getMessage());
        }
        return interpolate(points, x);
    }

    /** Channel count {@code d} of a key: 0 in, 1 out, 2 expanded, 3 squeeze. */
    private static int channel(LayerKey k, int d) {
        return switch (d) {
            case 0 -> k.inChannels();
            case 1 -> k.outChannels();
            case 2 -> k.expanded();
            default -> k.squeeze();
        };
    }

    /**
     * Multilinear interpolation over the channel counts (in, out, expanded, squeeze) between the nearest entries
     * of the same signature below and above the key in each count, when the table holds every corner of that box
     * (as a layer-wise grid does); NaN otherwise. A layer's cost is a sum of terms linear in each count (a depthwise
     * conv in its width, a pointwise one in the product of its input and output widths), which such an
     * interpolation reproduces where interpolating in total work mixes layers whose work is spent differently.
     */
    private double multilinear(LayerKey key, List<LatencyTable.Entry> same) {
        int[] q = new int[4];
        int[] lo = new int[4];
        int[] hi = new int[4];
        for (int d = 0; d < 4; d++) {
            q[d] = channel(key, d);
            lo[d] = Integer.MIN_VALUE;
            hi[d] = Integer.MAX_VALUE;
            for (LatencyTable.Entry e : same) {
                int v = channel(e.key(), d);
                if (v <= q[d] && v > lo[d]) {
                    lo[d] = v;
                }
                if (v >= q[d] && v < hi[d]) {
                    hi[d] = v;
                }
            }
            if (lo[d] == Integer.MIN_VALUE || hi[d] == Integer.MAX_VALUE) {
                return Double.NaN;
            }
        }
        double sum = 0;
        int[] c = new int[4];
        for (int corner = 0; corner < 16; corner++) {
            double w = 1;
            for (int d = 0; d < 4 && w > 0; d++) {
                boolean up = (corner >> d & 1) == 1;
                if (lo[d] == hi[d]) {
                    w = up ? 0 : w;
                    c[d] = lo[d];
                } else {
                    double t = (q[d] - lo[d]) / (double) (hi[d] - lo[d]);
                    w *= up ? t : 1 - t;
                    c[d] = up ? hi[d] : lo[d];
                }
            }
            if (w == 0) {
                continue;
            }
            LatencyTable.Entry e = table.entry(key.withChannels(c[0], c[1], c[2], c[3]));
            if (e == null) {
                return Double.NaN;
            }
            sum += w * e.ms();
        }
        return sum;
    }

    /** Piecewise-linear in work inside the points' range, proportional to work outside it. */
    static double interpolate(double[][] points, double x) {
        double[] first = points[0];
        double[] last = points[points.length - 1];
        if (x <= first[0]) {
            return first[1] * x / first[0];
        }
        if (x >= last[0]) {
            return last[1] * x / last[0];
        }
        for (int i = 1; i < points.length; i++) {
            double[] hi = points[i];
            if (x <= hi[0]) {
                double[] lo = points[i - 1];
                return lo[1] + (x - lo[0]) / (hi[0] - lo[0]) * (hi[1] - lo[1]);
            }
        }
        return last[1];
    }

    @Override
    public LatencyPrediction predict(NetworkSpec spec, int batchSize) {
        Objects.requireNonNull(spec, "spec");
        List<String> paths = LayerKeys.paths(spec);
        String[] keys = new String[paths.size()];
        double[] raw = new double[paths.size()];
        double[] sum = {0};
        LayerKeys.forEach(spec, batchSize, (i, a, b) -> {
            raw[i] = lookup(a, b, spec, i);
            sum[0] += raw[i];
            keys[i] = LayerKey.unpack(a, b).toString();
        });
        double total = table.calibratedMs(sum[0]);
        double overhead = Math.max(0, table.overheadMs());
        double factor = sum[0] > 0 ? (total - overhead) / sum[0] : table.scale();
        List<LayerLatency> layers = new ArrayList<>(paths.size());
        for (int i = 0; i < keys.length; i++) {
            layers.add(new LayerLatency(paths.get(i), keys[i], factor * raw[i]));
        }
        return new LatencyPrediction(total, overhead, layers);
    }

    @Override
    public double predictMs(NetworkSpec spec) {
        return totalMs(spec, 1);
    }

    /** The predicted total in milliseconds, without building a per-layer breakdown. */
    public double totalMs(NetworkSpec spec, int batchSize) {
        Sum sum = new Sum(spec);
        LayerKeys.forEach(spec, batchSize, sum);
        return table.calibratedMs(sum.ms);
    }

    /** Accumulates table latencies of packed keys. */
    private final class Sum implements LayerKeys.Sink {
        private final NetworkSpec spec;
        double ms;

        Sum(NetworkSpec spec) {
            this.spec = spec;
        }

        @Override
        public void accept(int index, long a, long b) {
            ms += lookup(a, b, spec, index);
        }
    }

    @Override
    public String toString() {
        return "TableLatencyModel[" + table + ", interpolation " + interpolation + "]";
    }
}
