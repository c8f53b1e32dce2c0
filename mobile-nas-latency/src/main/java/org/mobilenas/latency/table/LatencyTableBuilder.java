package org.mobilenas.latency.table;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.mobilenas.core.progress.Progress;
import org.mobilenas.core.search.SearchSpace;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.latency.LayerKey;
import org.mobilenas.latency.LayerKeys;
import org.mobilenas.latency.Probes;
import org.mobilenas.latency.measure.LatencyMeasurer;
import org.mobilenas.latency.measure.Measurement;

/**
 * Builds a {@link LatencyTable} by measuring, through a {@link LatencyMeasurer}, every distinct key of the given
 * networks and search spaces once. Each key is measured as its probe network minus its base network
 * ({@link Probes}), in groups whose runs the measurer may interleave. Finally a few networks are measured end to
 * end and the table's scale and fixed per-network overhead are fitted by least squares of the measured latency on
 * the sum of layer latencies ({@code measured ≈ scale × Σ layers + overhead}, overhead never below 0).
 *
 * <p>With a {@link #file(Path) file}, the build is resumable: an existing table there is continued (its keys are
 * not measured again; a table of another device is refused or warned about by {@link #deviceCheck}), and the
 * table is rewritten atomically after every group, so an interrupted build loses at most one group.
 * A progress bar is shown on the terminal unless {@link #progress(boolean) turned off} or the environment
 * variable {@code CI} is set.
 *
 * <pre>{@code
 * LatencyTable table = LatencyTableBuilder.with(LatencyMeasurers.select())
 *     .space(space, 400, 42)            // sample the space until no new keys appear (at most 400 networks)
 *     .specs(Catalog.all())
 *     .file(Path.of("device.latency.json"))
 *     .build();
 * }</pre>
 */
public final class LatencyTableBuilder {
    private final LatencyMeasurer measurer;
    private final List<NetworkSpec> specs = new ArrayList<>();
    private final List<NetworkSpec> calibrationSpecs = new ArrayList<>();
    private int batchSize = 1;
    private Path file;
    private int groupSize = 8;
    private int calibrationNetworks = 16;
    /** Passes over the calibration networks at most while waiting for their latencies to settle. */
    static final int MAX_CALIBRATION_PASSES = 12;

    private boolean progress = System.getenv("CI") == null;
    private DeviceCheck deviceCheck = DeviceCheck.REFUSE;
    private java.util.function.Consumer<String> warnings;

    private LatencyTableBuilder(LatencyMeasurer measurer) {
        this.measurer = Objects.requireNonNull(measurer, "measurer");
    }

    /** A builder measuring with {@code measurer}. */
    public static LatencyTableBuilder with(LatencyMeasurer measurer) {
        return new LatencyTableBuilder(measurer);
    }

    /** Adds the keys of these networks. */
    public LatencyTableBuilder specs(List<NetworkSpec> networks) {
        for (int i = 0; i < networks.size(); i++) {
            specs.add(Objects.requireNonNull(networks.get(i), "specs[" + i + "]"));
        }
        return this;
    }

    /**
     * Adds the keys of networks sampled from {@code space}: up to {@code maxSamples} genotypes, stopping earlier
     * once {@code max(20, maxSamples / 10)} samples in a row brought no new key.
     */
    public LatencyTableBuilder space(SearchSpace space, int maxSamples, long seed) {
        Objects.requireNonNull(space, "space");
        return sampled(rng -> space.decode(space.sample(rng)), maxSamples, seed);
    }

    /**
     * Adds the keys of networks drawn by {@code sampler} (any family: an elastic supernet's subnets, a scaled
     * family, a user's own generator): up to {@code maxSamples} networks, stopping earlier once
     * {@code max(20, maxSamples / 10)} draws in a row brought no new key.
     *
     * <pre>{@code
     * builder.sampled(rng -> elasticSpace.spec(elasticSpace.sample(rng)), 400, 42);
     * }</pre>
     */
    public LatencyTableBuilder sampled(Function<SplittableRandom, NetworkSpec> sampler, int maxSamples, long seed) {
        Objects.requireNonNull(sampler, "sampler");
        if (maxSamples < 1) {
            throw new IllegalArgumentException("maxSamples " + maxSamples + " must be >= 1");
        }
        SplittableRandom rng = new SplittableRandom(seed);
        Set<LayerKey> seen = new LinkedHashSet<>();
        for (NetworkSpec s : specs) {
            for (LayerKeys.Located k : LayerKeys.of(s, batchSize)) {
                seen.add(k.key());
            }
        }
        int patience = Math.max(20, maxSamples / 10);
        int quiet = 0;
        for (int i = 0; i < maxSamples && quiet < patience; i++) {
            NetworkSpec s = Objects.requireNonNull(sampler.apply(rng), "sampler returned null");
            boolean added = false;
            for (LayerKeys.Located k : LayerKeys.of(s, batchSize)) {
                added |= seen.add(k.key());
            }
            if (added) {
                specs.add(s);
                quiet = 0;
            } else {
                quiet++;
            }
        }
        return this;
    }

    /** Batch size of the keys (default 1). */
    public LatencyTableBuilder batchSize(int b) {
        if (b < 1) {
            throw new IllegalArgumentException("batchSize " + b + " must be >= 1");
        }
        this.batchSize = b;
        return this;
    }

    /** Where the table is kept: continued when it exists, rewritten after every group. */
    public LatencyTableBuilder file(Path f) {
        this.file = Objects.requireNonNull(f, "file");
        return this;
    }

    /** Keys measured together (their runs interleaved) between two saves; default 8. */
    public LatencyTableBuilder groupSize(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("groupSize " + n + " must be >= 1");
        }
        this.groupSize = n;
        return this;
    }

    /**
     * How many networks are measured end to end to fit the scale and overhead (default 16; 0 keeps scale 1 and
     * overhead 0). They are spread evenly over the range of summed layer latencies of the {@link #calibrationSpecs
     * given candidates}, else of the added networks: a calibration on networks of one size leaves the others of the
     * family off by the size-dependent part of the in-network slowdown.
     */
    public LatencyTableBuilder calibrationNetworks(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("calibrationNetworks " + n + " must be >= 0");
        }
        this.calibrationNetworks = n;
        return this;
    }

    /**
     * Candidates for the calibration, instead of the added networks: networks drawn like the ones the table will be
     * asked about. {@link #calibrationNetworks(int) That many} of them, spread over their range, are measured.
     */
    public LatencyTableBuilder calibrationSpecs(List<NetworkSpec> networks) {
        calibrationSpecs.clear();
        calibrationSpecs.addAll(networks);
        return this;
    }

    /** Whether to show a progress bar (default: yes, unless the environment variable {@code CI} is set). */
    public LatencyTableBuilder progress(boolean show) {
        this.progress = show;
        return this;
    }

    /** What to do when the table in {@link #file} was measured on another device (default REFUSE). */
    public LatencyTableBuilder deviceCheck(DeviceCheck check) {
        this.deviceCheck = Objects.requireNonNull(check, "deviceCheck");
        return this;
    }

    /** Where device-mismatch warnings go (default: the platform logger). */
    public LatencyTableBuilder warnings(java.util.function.Consumer<String> sink) {
        this.warnings = Objects.requireNonNull(sink, "warnings");
        return this;
    }

    /** The distinct keys of the networks added so far, in first-seen order. */
    public List<LayerKey> keys() {
        Set<LayerKey> keys = new LinkedHashSet<>();
        for (NetworkSpec s : specs) {
            for (LayerKeys.Located k : LayerKeys.of(s, batchSize)) {
                keys.add(k.key());
            }
        }
        return new ArrayList<>(keys);
    }

    /** Measures the missing keys and the overhead, and returns the table (also written to the file, if any). */
    public LatencyTable build() {
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("latency table builder has no networks: give specs(...), space(...) or "
                    + "sampled(...) so that there are layers to measure");
        }
        LatencyTable table = start();
        List<LayerKey> todo = new ArrayList<>();
        for (LayerKey k : keys()) {
            if (!table.contains(k)) {
                todo.add(k);
            }
        }
        boolean changed = !todo.isEmpty();
        try (Progress bar = Progress.open(progress && !todo.isEmpty(), "latency table", todo.size(), "keys")) {
            for (int from = 0; from < todo.size(); from += groupSize) {
                List<LayerKey> group = todo.subList(from, Math.min(todo.size(), from + groupSize));
                table = table.withAll(measureGroup(group));
                save(table);
                bar.step(group.size(), null);
            }
        }
        if (calibrationNetworks > 0 && (changed || table.calibration().isEmpty())) {
            table = fitOverhead(table);
            save(table);
        }
        return table;
    }

    private LatencyTable start() {
        if (file != null && Files.exists(file)) {
            LatencyTable existing = LatencyTable.read(file);
            if (warnings == null) {
                existing.checkDevice(measurer.device(), deviceCheck);
            } else {
                existing.checkDevice(measurer.device(), deviceCheck, warnings);
            }
            return existing;
        }
        return LatencyTable.empty(measurer.device());
    }

    private void save(LatencyTable table) {
        if (file != null) {
            table.write(file);
        }
    }

    private List<LatencyTable.Entry> measureGroup(List<LayerKey> group) {
        Map<NetworkSpec, Integer> index = new LinkedHashMap<>();
        int[][] pairs = new int[group.size()][2];
        for (int i = 0; i < group.size(); i++) {
            NetworkSpec probe = Probes.probe(group.get(i));
            NetworkSpec base = Probes.base(group.get(i));
            pairs[i][0] = index.computeIfAbsent(probe, s -> index.size());
            pairs[i][1] = index.computeIfAbsent(base, s -> index.size());
        }
        List<NetworkSpec> toRun = new ArrayList<>(index.keySet());
        List<Measurement> ms = measurer.measureAll(toRun, batchSize);
        if (ms.size() != toRun.size()) {
            throw new IllegalStateException("measurer " + measurer.name() + " returned " + ms.size()
                    + " measurements for " + toRun.size() + " networks");
        }
        List<LatencyTable.Entry> out = new ArrayList<>(group.size());
        for (int i = 0; i < group.size(); i++) {
            Measurement probe = ms.get(pairs[i][0]);
            Measurement base = ms.get(pairs[i][1]);
            out.add(new LatencyTable.Entry(
                    group.get(i),
                    Math.max(0, probe.medianMs() - base.medianMs()),
                    probe.medianMs(),
                    base.medianMs(),
                    probe.spreadMs(),
                    probe.samples()));
        }
        return out;
    }

    /**
     * Least squares of measured on summed layer latencies in relative terms: {@code measured ≈ scale × layers +
     * overhead}, minimising the sum of squared relative errors {@code ((prediction − measured) / measured)²}, so that
     * the small networks of a family are fitted as closely as the large ones (a plain fit follows the largest and
     * leaves the smallest 10–20 % off). The overhead may come out negative: networks that run more slowly than in
     * proportion to their layers as they grow (see {@link LatencyTable#overheadMs}). When the line would predict no
     * positive latency for the smallest network (or only one network is given) it goes through 0 instead, fitted
     * the same way.
     */
    static LatencyTable fitCalibration(LatencyTable table, List<LatencyTable.Calibration> cal) {
        // weighted by 1 / measured: rows (layers / measured, 1 / measured) against 1
        double sxx = 0;
        double sx1 = 0;
        double s11 = 0;
        double sx = 0;
        double s1 = 0;
        int n = 0;
        for (LatencyTable.Calibration c : cal) {
            if (c.measuredMs() <= 0) {
                continue;
            }
            double x = c.layersMs() / c.measuredMs();
            double one = 1 / c.measuredMs();
            sxx += x * x;
            sx1 += x * one;
            s11 += one * one;
            sx += x;
            s1 += one;
            n++;
        }
        double det = sxx * s11 - sx1 * sx1;
        if (n >= 2 && det > 1e-12 * Math.max(1e-300, sxx * s11)) {
            double scale = (sx * s11 - s1 * sx1) / det;
            double overhead = (sxx * s1 - sx1 * sx) / det;
            double smallest = LatencyTable.smallestLayersMs(cal);
            if (scale > 0
                    && (overhead >= 0 || (smallest < Double.POSITIVE_INFINITY && scale + overhead / smallest > 0))) {
                return table.withCalibration(scale, overhead, cal);
            }
        }
        double scale = sxx > 0 ? sx / sxx : 1;
        return table.withCalibration(scale > 0 ? scale : 1, 0, cal);
    }

    private LatencyTable fitOverhead(LatencyTable table) {
        TableLatencyModel model = TableLatencyModel.builder(table.withCalibration(1, 0, List.of()))
                .interpolation(Interpolation.CHANNELS)
                .build();
        List<NetworkSpec> chosen =
                spread(calibrationSpecs.isEmpty() ? specs : calibrationSpecs, model, calibrationNetworks);
        if (chosen.isEmpty()) {
            return table;
        }
        // Right after thousands of small probes, whole networks run up to 40 % slower than they do later (the JIT
        // recompiles the kernels for the longer loops of whole networks), and the fit must describe the steady state
        // that later measurements see: passes over the networks are repeated until no network's median moves by
        // more than 3 % from one pass to the next (at least three passes, at most MAX_CALIBRATION_PASSES).
        List<Measurement> ms = measurer.measureAll(chosen, batchSize);
        for (int pass = 2; pass <= MAX_CALIBRATION_PASSES; pass++) {
            List<Measurement> next = measurer.measureAll(chosen, batchSize);
            boolean settled = true;
            for (int i = 0; i < chosen.size(); i++) {
                double before = ms.get(i).medianMs();
                settled &= Math.abs(next.get(i).medianMs() - before) <= 0.03 * before;
            }
            ms = next;
            if (settled && pass >= 3) {
                break;
            }
        }
        List<LatencyTable.Calibration> cal = new ArrayList<>();
        for (int i = 0; i < chosen.size(); i++) {
            double layers = model.totalMs(chosen.get(i), batchSize);
            double measured = ms.get(i).medianMs();
            cal.add(new LatencyTable.Calibration(chosen.get(i).name(), measured, layers));
        }
        return fitCalibration(table, cal);
    }

    /**
     * {@code n} of the networks spread evenly over the range of their summed layer latencies (the smallest, the
     * largest and evenly spaced ranks between), so that the fitted line holds over the whole family rather than
     * around its first members.
     */
    static List<NetworkSpec> spread(List<NetworkSpec> networks, TableLatencyModel model, int n) {
        List<NetworkSpec> distinct = new ArrayList<>(new LinkedHashSet<>(networks));
        if (distinct.size() <= n) {
            return distinct;
        }
        double[] sums = new double[distinct.size()];
        Integer[] order = new Integer[distinct.size()];
        for (int i = 0; i < sums.length; i++) {
            sums[i] = model.totalMs(distinct.get(i), 1);
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(sums[a], sums[b]));
        List<NetworkSpec> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            int rank = n == 1 ? order.length / 2 : (int) Math.round((double) k * (order.length - 1) / (n - 1));
            NetworkSpec s = distinct.get(order[rank]);
            if (!out.contains(s)) {
                out.add(s);
            }
        }
        return out;
    }
}
