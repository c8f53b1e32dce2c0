package org.mobilenas.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.mobilenas.core.engine.kernels.Parallel;
import org.mobilenas.core.experiment.Provenance;
import org.mobilenas.core.json.Json;
import org.mobilenas.core.ofa.ElasticSpace;
import org.mobilenas.core.search.SearchSpace;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.latency.fidelity.FidelityReport;
import org.mobilenas.latency.measure.JvmLatencyMeasurer;
import org.mobilenas.latency.measure.LatencyMeasurer;
import org.mobilenas.latency.table.Interpolation;
import org.mobilenas.latency.table.LatencyTable;
import org.mobilenas.latency.table.LatencyTableBuilder;
import org.mobilenas.latency.table.PrunedVariants;
import org.mobilenas.latency.table.TableLatencyModel;
import org.mobilenas.spaces.catalog.MobileNets;
import org.mobilenas.spaces.ofa.OfaSpaces;
import org.mobilenas.spaces.search.MnasNetSpace;
import org.mobilenas.spaces.search.MobileNetV2Space;

/**
 * How well this machine's lookup tables predict measured latency, for every family the methods search: the
 * MnasNet space (all ops: MBConv, separable and regular conv; SE; identity and pooling skips), the MobileNetV2
 * space and the Once-for-All space, each at the proxy task's input (28 px, 1 channel, 10 classes); and NetAdapt's
 * layer-wise tables of MobileNetV1 and MobileNetV2 (0.5 width, small-input layout), built from grid variants of
 * each layer's input and output widths and asked about random pruned variants off the grid: once with every layer
 * pruned or not independently ({@link PrunedVariants#any}), once along random adaptation paths
 * ({@link PrunedVariants#path}, a few layers pruned step by step, as NetAdapt's iterations leave a network).
 *
 * <p>Per case: a table is built by sampling the family (resumable {@code table.json}), then held-out networks drawn
 * with another seed are measured end to end and compared with the table's predictions ({@code fidelity.json},
 * {@code fidelity.png}). For the search spaces, keys of held-out networks the sampling missed are measured in
 * isolation first, as a search would; the pruned variants get no new keys (the layer-wise table must interpolate).
 * Measurements run single-threaded on the CPU-time clock ({@link JvmLatencyMeasurer.Clock#THREAD_CPU}), so another
 * process on the machine does not inflate them ({@link #main} sets {@code -Dmobilenas.threads=1}).
 *
 * <pre>
 * scripts/run-example.sh LatencyFidelityExperiment --preset full --out docs/results/latency
 * </pre>
 */
public final class LatencyFidelityExperiment {
    private LatencyFidelityExperiment() {}

    /**
     * The sizes of a run.
     *
     * @param networks     held-out networks per case
     * @param tableSamples at most this many sampled networks to collect a table's keys
     * @param samples      timed samples per measurement
     * @param levels       grid widths per prunable layer for the layer-wise tables
     * @param resolution   input resolution
     * @param calibration  networks measured end to end to fit a table's scale and overhead
     * @param candidates   networks drawn like the held-out ones, over whose range the calibration networks spread
     */
    public record Preset(
            String name,
            int networks,
            int tableSamples,
            int samples,
            int levels,
            int resolution,
            int calibration,
            int candidates) {
        public static Preset full() {
            return new Preset("full", 30, 600, 15, 4, 28, 16, 64);
        }

        public static Preset quick() {
            return new Preset("quick", 4, 12, 3, 2, 16, 4, 8);
        }
    }

    /**
     * One family's outcome: table size, keys added for the held-out networks, the table's fidelity against the
     * median of three measurement passes, and the measurement's own repeatability (the second pass against the
     * first, as if the first were a predictor): no table can be checked more finely than the device repeats itself.
     */
    public record CaseResult(
            String name,
            String family,
            int tableKeys,
            int keysAddedForHeldOut,
            double overheadMs,
            double scale,
            FidelityReport.ModelFidelity fidelity,
            FidelityReport.ModelFidelity repeatability,
            double seconds) {}

    /** What a run produced. */
    public record Result(String preset, String device, String clock, Provenance provenance, List<CaseResult> cases) {}

    /** A family: how to sample the table's networks and the held-out ones. */
    private record Case(
            String name,
            String family,
            List<NetworkSpec> fixed,
            Function<SplittableRandom, NetworkSpec> table,
            Function<SplittableRandom, NetworkSpec> heldOut,
            boolean addHeldOutKeys) {}

    public static void main(String[] args) {
        if (System.getProperty("mobilenas.threads") == null) {
            // Before the engine first reads it: the CPU-time clock needs single-threaded kernels.
            System.setProperty("mobilenas.threads", "1");
        }
        ExperimentArgs a = ExperimentArgs.parse("LatencyFidelityExperiment", args);
        if (a.help()) {
            System.out.println(ExperimentArgs.usage("LatencyFidelityExperiment"));
            return;
        }
        Preset p = a.preset().equals("quick") ? Preset.quick() : Preset.full();
        Path out = a.out() != null ? a.out() : Path.of("target", "latency-fidelity-" + p.name());
        run(p, out, System.out);
    }

    private static List<Case> cases(Preset p) {
        int r = p.resolution();
        SearchSpace mnas = MnasNetSpace.smallInput(r, 1, 10, 1.0);
        SearchSpace v2 = MobileNetV2Space.smallInput(r, 1, 10, List.of(0.5, 0.75, 1.0));
        ElasticSpace ofa = OfaSpaces.mobileNetV3Small(0.5, 1, 10);
        PrunedVariants v1Pruned = PrunedVariants.of(
                        MobileNets.mobileNetV1Small(0.5, r, 10).withInputChannels(1), 8)
                .levels(p.levels());
        PrunedVariants v2Pruned = PrunedVariants.of(
                        MobileNets.mobileNetV2Small(0.5, r, 10).withInputChannels(1), 8)
                .levels(p.levels());
        return List.of(
                new Case(
                        "mnasnet",
                        mnas.name(),
                        List.of(),
                        rng -> mnas.decode(mnas.sample(rng)),
                        rng -> mnas.decode(mnas.sample(rng)),
                        true),
                new Case(
                        "mobilenetv2",
                        v2.name(),
                        List.of(),
                        rng -> v2.decode(v2.sample(rng)),
                        rng -> v2.decode(v2.sample(rng)),
                        true),
                new Case(
                        "ofa",
                        ofa.name(),
                        List.of(ofa.spec(ofa.minConfig()), ofa.spec(ofa.maxConfig())),
                        rng -> ofa.spec(ofa.sample(rng)),
                        rng -> ofa.spec(ofa.sample(rng)),
                        true),
                layerwise("netadapt-mobilenetv1", v1Pruned, "pruned", v1Pruned::any),
                layerwise("netadapt-mobilenetv2", v2Pruned, "pruned", v2Pruned::any),
                layerwise("netadapt-mobilenetv1-paths", v1Pruned, "on adaptation paths", v1Pruned::path),
                layerwise("netadapt-mobilenetv2-paths", v2Pruned, "on adaptation paths", v2Pruned::path));
    }

    /**
     * A NetAdapt case: the layer-wise table of {@code variants} measured on its grid variants (no keys added for
     * the held-out networks, which it must interpolate), asked about variants drawn by {@code heldOut}.
     */
    private static Case layerwise(
            String name, PrunedVariants variants, String how, Function<SplittableRandom, NetworkSpec> heldOut) {
        return new Case(
                name,
                variants.original().name() + " " + how + " (layer-wise grid)",
                List.of(variants.original()),
                variants::grid,
                heldOut,
                false);
    }

    /**
     * Runs every case with this JVM's single-threaded CPU-time clock; tables are kept in
     * {@code out/<case>/table.json} and continued by a rerun.
     */
    public static Result run(Preset p, Path out, PrintStream log) {
        if (Parallel.threads() != 1) {
            throw new IllegalStateException("the CPU-time clock measures one thread: run with -Dmobilenas.threads=1"
                    + " (now " + Parallel.threads() + " kernel threads)");
        }
        return run(
                p,
                out,
                log,
                JvmLatencyMeasurer.builder()
                        .clock(JvmLatencyMeasurer.Clock.THREAD_CPU)
                        .samples(p.samples())
                        .retries(p.samples() < 5 ? 0 : 2)
                        .build(),
                "thread-cpu");
    }

    /** Runs every case with {@code measurer} (any device); {@code clock} names its clock in the report. */
    public static Result run(Preset p, Path out, PrintStream log, LatencyMeasurer measurer, String clock) {
        java.time.Instant started = java.time.Instant.now();
        long t0 = System.nanoTime();
        List<CaseResult> results = new ArrayList<>();
        for (Case c : cases(p)) {
            results.add(runCase(c, p, measurer, out.resolve(c.name()), log));
        }
        java.util.Map<String, String> settings = new java.util.TreeMap<>();
        settings.put("networks", String.valueOf(p.networks()));
        settings.put("tableSamples", String.valueOf(p.tableSamples()));
        settings.put("samples", String.valueOf(p.samples()));
        settings.put("levels", String.valueOf(p.levels()));
        settings.put("resolution", String.valueOf(p.resolution()));
        settings.put("calibration", String.valueOf(p.calibration()));
        settings.put("candidates", String.valueOf(p.candidates()));
        Result result = new Result(
                p.name(),
                measurer.device().name(),
                clock,
                Provenance.of(
                        "latency-fidelity",
                        p.name(),
                        settings,
                        List.of(42L, 1042L),
                        started,
                        (System.nanoTime() - t0) / 1e9),
                results);
        try {
            Files.createDirectories(out);
            Files.writeString(out.resolve("report.json"), Json.write(result));
            Files.writeString(out.resolve("results.md"), markdown(result));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + out + ": " + e.getMessage(), e);
        }
        if (log != null) {
            log.print(markdown(result));
        }
        return result;
    }

    private static CaseResult runCase(Case c, Preset p, LatencyMeasurer measurer, Path dir, PrintStream log) {
        long t0 = System.nanoTime();
        Path tableFile = dir.resolve("table.json");
        SplittableRandom rng = new SplittableRandom(1042);
        List<NetworkSpec> heldOut = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (int tries = 0; heldOut.size() < p.networks() && tries < 50 * p.networks(); tries++) {
            NetworkSpec s = c.heldOut().apply(rng);
            if (seen.add(s.toString())) {
                heldOut.add(s.withName(c.name() + "-" + heldOut.size()));
            }
        }
        // the end-to-end calibration of the table: networks drawn like the held-out ones (another seed, none of
        // them), spread over their range of sizes, so that scale and overhead are fitted where the table will be used
        SplittableRandom calRng = new SplittableRandom(2042);
        List<NetworkSpec> calibration = new ArrayList<>();
        for (int tries = 0; calibration.size() < p.candidates() && tries < 50 * p.candidates(); tries++) {
            NetworkSpec s = c.heldOut().apply(calRng);
            if (seen.add(s.toString())) {
                calibration.add(s.withName(c.name() + "-calibration-" + calibration.size()));
            }
        }
        List<NetworkSpec> fixed = new ArrayList<>(c.fixed());
        if (c.addHeldOutKeys()) {
            fixed.addAll(calibration);
        }
        LatencyTable table = LatencyTableBuilder.with(measurer)
                .specs(fixed)
                .sampled(c.table(), p.tableSamples(), 42)
                .calibrationNetworks(c.addHeldOutKeys() ? 0 : p.calibration())
                .calibrationSpecs(calibration)
                .file(tableFile)
                .progress(false)
                .build();
        int before = table.size();
        if (c.addHeldOutKeys()) {
            // the held-out networks' missing keys are measured before the calibration, so that it is measured in
            // the same state of the JVM as the held-out networks right after it
            table = LatencyTableBuilder.with(measurer)
                    .specs(heldOut)
                    .calibrationSpecs(calibration)
                    .calibrationNetworks(p.calibration())
                    .file(tableFile)
                    .progress(false)
                    .build();
        }
        TableLatencyModel lut = TableLatencyModel.builder(table)
                .interpolation(Interpolation.CHANNELS)
                .build();
        FidelityReport.Passes passes = FidelityReport.measurePasses(measurer, heldOut, 1, 3);
        FidelityReport report =
                FidelityReport.evaluate(measurer.device().name(), 1, heldOut, passes.median(), List.of(lut));
        report.writeJson(dir.resolve("fidelity.json"));
        report.writePlot(dir.resolve("fidelity.png"));
        FidelityReport.ModelFidelity f = report.model(lut.name());
        CaseResult r = new CaseResult(
                c.name(),
                c.family(),
                table.size(),
                table.size() - before,
                table.overheadMs(),
                table.scale(),
                f,
                passes.repeatability(),
                (System.nanoTime() - t0) / 1e9);
        if (log != null) {
            log.printf(
                    Locale.ROOT,
                    "%-22s %5d keys (+%d held-out) within10 %.3f spearman %.4f (measurement repeats"
                            + " within10 %.3f spearman %.4f)  %.0f s%n",
                    c.name(),
                    r.tableKeys(),
                    r.keysAddedForHeldOut(),
                    f.within10(),
                    f.spearman(),
                    r.repeatability().within10(),
                    r.repeatability().spearman(),
                    r.seconds());
        }
        return r;
    }

    static String markdown(Result r) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Latency lookup tables against end-to-end measurements\n\n");
        sb.append(String.format(
                Locale.ROOT,
                "Preset `%s`, device `%s`, clock %s, single thread, batch 1.%n%n",
                r.preset(),
                r.device(),
                r.clock()));
        sb.append("| case | family | table keys | keys added for held-out | held-out nets | within ±10 % "
                + "| within ±5 % | MAPE | Spearman | Kendall | measurement repeats within ±10 % | repeat Spearman |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (CaseResult c : r.cases()) {
            FidelityReport.ModelFidelity f = c.fidelity();
            FidelityReport.ModelFidelity m = c.repeatability();
            sb.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %d | %d | %d | %.1f %% | %.1f %% | %.1f %% | %.4f | %.4f " + "| %.1f %% | %.4f |%n",
                    c.name(),
                    c.family(),
                    c.tableKeys(),
                    c.keysAddedForHeldOut(),
                    f.n(),
                    100 * f.within10(),
                    100 * f.within5(),
                    100 * f.mape(),
                    f.spearman(),
                    f.kendall(),
                    100 * m.within10(),
                    m.spearman()));
        }
        sb.append("\nThe table is compared with the median of three measurement passes of each held-out network; "
                + "\"measurement repeats\" compares the second pass with the first.\n");
        return sb.toString();
    }
}
