package org.mobilenas.examples;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.mobilenas.core.search.SearchSpace;
import org.mobilenas.core.spec.Activation;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.latency.analytic.AnalyticLatencyModel;
import org.mobilenas.latency.fidelity.FidelityReport;
import org.mobilenas.latency.measure.JvmLatencyMeasurer;
import org.mobilenas.latency.measure.LatencyMeasurer;
import org.mobilenas.latency.measure.LatencyMeasurers;
import org.mobilenas.latency.table.Interpolation;
import org.mobilenas.latency.table.LatencyTable;
import org.mobilenas.latency.table.LatencyTableBuilder;
import org.mobilenas.latency.table.TableLatencyModel;
import org.mobilenas.spaces.search.MobileNetV2Space;
import org.mobilenas.spaces.search.Skeleton;

/**
 * Builds a latency lookup table for a MobileNetV2-style search space on this machine, fits the analytic roofline
 * and plain-FLOPs models to it, then measures random networks of the space end to end and prints how well each
 * model predicts them. Writes {@code table.json} (resumable: a rerun continues it), {@code analytic.json},
 * {@code flops.json}, {@code fidelity.json} and {@code fidelity.png} to the output directory.
 *
 * <p>The space: {@code MobileNetV2Space} on MobileNetV2's skeleton (ReLU6) with a network width multiplier
 * 0.75/1.0/1.25, per-stage depth base+{-1, 0, +1} and per-layer kernel 3/5/7 and expand ratio 3/6. Measurement uses
 * the registered measurer selected by {@code -Dmobilenas.latency.measurer}, else this JVM.
 *
 * <pre>{@code
 * LatencyExample.Result r = LatencyExample.run(LatencyExample.Options.defaults().withNetworks(50), System.out);
 * System.out.println(r.report().model(r.tableModel()).within10());
 * }</pre>
 */
public final class LatencyExample {
    private LatencyExample() {}

    /**
     * Options of a run.
     *
     * @param networks     random networks measured end to end for the fidelity report
     * @param resolution   input resolution of the space's networks
     * @param classes      classifier classes
     * @param tableSamples at most this many networks are sampled to collect the table's keys
     * @param calibration  networks measured end to end to fit the table's overhead
     * @param samples      timed samples per measurement (JVM measurer; below 5, noisy measurements are not repeated)
     * @param seed         seed of the sampling (the test networks use {@code seed + 1})
     * @param output       output directory
     * @param progress     show a progress bar while building the table
     */
    public record Options(
            int networks,
            int resolution,
            int classes,
            int tableSamples,
            int calibration,
            int samples,
            long seed,
            Path output,
            boolean progress) {
        public Options {
            if (networks < 2) {
                throw new IllegalArgumentException("networks " + networks + " must be >= 2");
            }
            if (resolution < 32 || resolution > 512) {
                throw new IllegalArgumentException("resolution " + resolution + " must be in [32, 512]");
            }
            if (classes < 2) {
                throw new IllegalArgumentException("classes " + classes + " must be >= 2");
            }
            if (tableSamples < 1) {
                throw new IllegalArgumentException("tableSamples " + tableSamples + " must be >= 1");
            }
            if (calibration < 0) {
                throw new IllegalArgumentException("calibration " + calibration + " must be >= 0");
            }
            if (samples < 1) {
                throw new IllegalArgumentException("samples " + samples + " must be >= 1");
            }
            if (output == null) {
                throw new IllegalArgumentException("output directory is missing");
            }
        }

        /**
         * 60 networks at 224 px, 1000 classes, up to 2000 table samples, 16 calibration networks, 15 timed samples
         * per measurement; a progress bar unless the environment variable {@code CI} is set.
         */
        public static Options defaults() {
            return new Options(
                    60, 224, 1000, 2000, 16, 15, 42, Path.of("target", "latency"), System.getenv("CI") == null);
        }

        public Options withNetworks(int n) {
            return new Options(n, resolution, classes, tableSamples, calibration, samples, seed, output, progress);
        }

        public Options withResolution(int r) {
            return new Options(networks, r, classes, tableSamples, calibration, samples, seed, output, progress);
        }

        public Options withTableSamples(int n) {
            return new Options(networks, resolution, classes, n, calibration, samples, seed, output, progress);
        }

        public Options withSamples(int n) {
            return new Options(networks, resolution, classes, tableSamples, calibration, n, seed, output, progress);
        }

        public Options withOutput(Path p) {
            return new Options(networks, resolution, classes, tableSamples, calibration, samples, seed, p, progress);
        }

        public Options withProgress(boolean p) {
            return new Options(networks, resolution, classes, tableSamples, calibration, samples, seed, output, p);
        }

        /** Parses {@code --networks N --resolution R --table-samples N --samples N --seed N --out DIR --quiet}. */
        public static Options parse(String... args) {
            Options o = defaults();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--quiet")) {
                    o = o.withProgress(false);
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                String v = args[++i];
                try {
                    o = switch (a) {
                        case "--networks" -> o.withNetworks(Integer.parseInt(v));
                        case "--resolution" -> o.withResolution(Integer.parseInt(v));
                        case "--table-samples" -> o.withTableSamples(Integer.parseInt(v));
                        case "--samples" -> o.withSamples(Integer.parseInt(v));
                        case "--seed" ->
                            new Options(
                                    o.networks,
                                    o.resolution,
                                    o.classes,
                                    o.tableSamples,
                                    o.calibration,
                                    o.samples,
                                    Long.parseLong(v),
                                    o.output,
                                    o.progress);
                        case "--out" -> o.withOutput(Path.of(v));
                        default ->
                            throw new IllegalArgumentException("unknown option " + a + "; options: "
                                    + "--networks N --resolution R --table-samples N --samples N --seed N --out DIR "
                                    + "--quiet");
                    };
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(a + ": '" + v + "' is not a number");
                }
            }
            return o;
        }
    }

    /**
     * What a run produced.
     *
     * @param device        the measured device
     * @param tableKeys     keys in the table
     * @param keysAddedForEvaluation keys of the evaluation networks that sampling the space had missed
     * @param overheadMs    the table's fitted per-network overhead
     * @param analytic      the fitted roofline model's coefficients and fit quality
     * @param flops         the fitted FLOPs-only model
     * @param tableModel    the lookup-table model's name in the report
     * @param report        the fidelity report of the three models
     * @param buildSeconds  time to build (or continue) the table
     * @param output        output directory
     */
    public record Result(
            String device,
            int tableKeys,
            int keysAddedForEvaluation,
            double overheadMs,
            AnalyticLatencyModel.Fit analytic,
            AnalyticLatencyModel.Fit flops,
            String tableModel,
            FidelityReport report,
            double buildSeconds,
            Path output) {}

    public static void main(String[] args) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println("usage: LatencyExample [--networks N] [--resolution R] [--table-samples N] [--samples N]"
                    + " [--seed N] [--out DIR] [--quiet] [--help]\n  this machine's latency table of the MobileNetV2 "
                    + "space and its fidelity against N measured networks");
            return;
        }
        run(Options.parse(args), System.out);
    }

    /** Runs the example; progress and the report go to {@code log} when it is not null. */
    public static Result run(Options o, PrintStream log) {
        SearchSpace space = space(o.resolution(), o.classes());
        LatencyMeasurer measurer = LatencyMeasurers.override() != null
                ? LatencyMeasurers.select()
                : JvmLatencyMeasurer.builder()
                        .samples(o.samples())
                        .retries(o.samples() < 5 ? 0 : 2)
                        .build();
        if (log != null) {
            log.println("space " + space.name() + ": " + space.size() + " networks; measuring on "
                    + measurer.device().name() + " (" + measurer.name() + ", "
                    + measurer.device().threads()
                    + " threads)");
        }
        long t0 = System.nanoTime();
        LatencyTable table = LatencyTableBuilder.with(measurer)
                .space(space, o.tableSamples(), o.seed())
                .calibrationNetworks(o.calibration())
                .file(o.output().resolve("table.json"))
                .progress(o.progress())
                .build();
        double buildSeconds = (System.nanoTime() - t0) / 1e9;
        TableLatencyModel lut = TableLatencyModel.builder(table)
                .interpolation(Interpolation.CHANNELS)
                .build();
        AnalyticLatencyModel analytic = AnalyticLatencyModel.fit(table, AnalyticLatencyModel.Features.ROOFLINE);
        AnalyticLatencyModel flops = AnalyticLatencyModel.fit(table, AnalyticLatencyModel.Features.MACS);
        analytic.write(o.output().resolve("analytic.json"));
        flops.write(o.output().resolve("flops.json"));
        if (log != null) {
            log.printf(
                    Locale.ROOT,
                    "table: %d keys in %.1f s, overhead %.3f ms%n",
                    table.size(),
                    buildSeconds,
                    table.overheadMs());
            log.println("analytic fit on the table: " + analytic.fit().quality());
            log.println("flops fit on the table:    " + flops.fit().quality());
        }

        SplittableRandom rng = new SplittableRandom(o.seed() + 1);
        List<NetworkSpec> nets = new ArrayList<>();
        for (int i = 0; i < o.networks(); i++) {
            nets.add(space.decode(space.sample(rng)));
        }
        // Keys of the evaluation networks that sampling missed are measured in isolation like any new key of a
        // search (the overhead is not refitted, so no end-to-end time of these networks enters the table).
        int before = table.size();
        table = LatencyTableBuilder.with(measurer)
                .specs(nets)
                .calibrationNetworks(0)
                .file(o.output().resolve("table.json"))
                .progress(o.progress())
                .build();
        int added = table.size() - before;
        if (log != null && added > 0) {
            log.println("measured " + added + " keys of the evaluation networks missing from the table");
        }
        lut = TableLatencyModel.builder(table)
                .interpolation(Interpolation.CHANNELS)
                .build();
        FidelityReport report = FidelityReport.measure(measurer, nets, 1, List.of(lut, analytic, flops));
        report.writeJson(o.output().resolve("fidelity.json"));
        report.writePlot(o.output().resolve("fidelity.png"));
        if (log != null) {
            log.print(report.text());
        }
        return new Result(
                measurer.device().name(),
                table.size(),
                added,
                table.overheadMs(),
                analytic.fit(),
                flops.fit(),
                lut.name(),
                report,
                buildSeconds,
                o.output());
    }

    /** The MobileNetV2-style search space the example measures (see the class documentation). */
    public static SearchSpace space(int resolution, int classes) {
        return MobileNetV2Space.of(
                "mobilenet_v2_space",
                Skeleton.mobileNetV2(resolution, classes).withActivation(Activation.RELU6),
                MobileNetV2Space.Options.defaults().withWidths(List.of(0.75, 1.0, 1.25)));
    }
}
