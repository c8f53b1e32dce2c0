package org.mobilenas.latency.fidelity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.commons.math3.stat.correlation.KendallsCorrelation;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.mobilenas.core.cost.Costs;
import org.mobilenas.core.experiment.Plot;
import org.mobilenas.core.json.Json;
import org.mobilenas.core.latency.LatencyModel;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.latency.measure.LatencyMeasurer;
import org.mobilenas.latency.measure.Measurement;

/**
 * How well latency models predict measured end-to-end latency on a set of networks: per model the RMSE, the mean
 * absolute percentage error, the share of predictions within ±5 % and ±10 % of the measurement, and the Spearman
 * and Kendall rank correlations; written as JSON and as a scatter plot (predicted against measured, PNG).
 *
 * <pre>{@code
 * FidelityReport r = FidelityReport.measure(measurer, specs, 1, List.of(table, analytic, flops));
 * System.out.println(r.text());
 * r.writeJson(Path.of("fidelity.json"));
 * r.writePlot(Path.of("fidelity.png"));
 * }</pre>
 *
 * @param device     the device measured
 * @param batchSize  batch size of measurements and predictions
 * @param samples    per network: measurement and each model's prediction
 * @param models     per model: the metrics
 */
public record FidelityReport(String device, int batchSize, List<Sample> samples, List<ModelFidelity> models) {

    /** Checks the components (a bad one is an error naming it). */
    public FidelityReport {
        Objects.requireNonNull(device, "device");
        samples = List.copyOf(samples);
        models = List.copyOf(models);
    }

    /**
     * One network of the report.
     *
     * @param network     the network's name
     * @param macs        its multiply-accumulates
     * @param measuredMs  measured end-to-end latency (median)
     * @param spreadMs    inter-quartile range of the measurement (0 when unknown)
     * @param predictedMs predictions by model name
     */
    public record Sample(
            String network, long macs, double measuredMs, double spreadMs, Map<String, Double> predictedMs) {
        /** Checks the components (a bad one is an error naming it). */
        public Sample {
            predictedMs = Map.copyOf(predictedMs);
        }
    }

    /**
     * Metrics of one model over all samples.
     *
     * @param model    the model's name
     * @param n        networks
     * @param rmseMs   root mean square error, milliseconds
     * @param mape     mean absolute percentage error, as a fraction
     * @param within5  share of predictions within ±5 % of the measurement
     * @param within10 share within ±10 %
     * @param spearman Spearman rank correlation of predicted and measured
     * @param kendall  Kendall's tau-b of predicted and measured
     */
    public record ModelFidelity(
            String model,
            int n,
            double rmseMs,
            double mape,
            double within5,
            double within10,
            double spearman,
            double kendall) {}

    /** Metrics of predictions against measurements (equal lengths, at least 2, measurements > 0). */
    public static ModelFidelity metrics(String model, double[] predicted, double[] measured) {
        if (predicted.length != measured.length || measured.length < 2) {
            throw new IllegalArgumentException("fidelity of " + model + ": need equally many (>= 2) predictions "
                    + "and measurements, got " + predicted.length + " and " + measured.length);
        }
        int n = measured.length;
        double se = 0;
        double ape = 0;
        int w5 = 0;
        int w10 = 0;
        for (int i = 0; i < n; i++) {
            if (!(measured[i] > 0)) {
                throw new IllegalArgumentException(
                        "fidelity of " + model + ": measurement " + i + " is " + measured[i] + ", expected > 0");
            }
            double err = predicted[i] - measured[i];
            double rel = Math.abs(err) / measured[i];
            se += err * err;
            ape += rel;
            w5 += rel <= 0.05 ? 1 : 0;
            w10 += rel <= 0.10 ? 1 : 0;
        }
        return new ModelFidelity(
                model,
                n,
                Math.sqrt(se / n),
                ape / n,
                (double) w5 / n,
                (double) w10 / n,
                new SpearmansCorrelation().correlation(predicted, measured),
                new KendallsCorrelation().correlation(predicted, measured));
    }

    /** The report of {@code models} on {@code specs} with the given measurements. */
    public static FidelityReport evaluate(
            String device,
            int batchSize,
            List<NetworkSpec> specs,
            List<Measurement> measured,
            List<? extends LatencyModel> models) {
        if (specs.size() != measured.size()) {
            throw new IllegalArgumentException(
                    "specs (" + specs.size() + ") and measurements (" + measured.size() + ") differ in number");
        }
        Set<String> names = new HashSet<>();
        for (LatencyModel m : models) {
            if (!names.add(m.name())) {
                throw new IllegalArgumentException("two models are named '" + m.name() + "'; names must differ");
            }
        }
        int n = specs.size();
        double[] meas = new double[n];
        List<Map<String, Double>> preds = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            meas[i] = measured.get(i).medianMs();
            preds.add(new LinkedHashMap<>());
        }
        List<ModelFidelity> fids = new ArrayList<>();
        for (LatencyModel m : models) {
            double[] p = new double[n];
            for (int i = 0; i < n; i++) {
                p[i] = m.predict(specs.get(i), batchSize).totalMs();
                preds.get(i).put(m.name(), p[i]);
            }
            fids.add(metrics(m.name(), p, meas));
        }
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            NetworkSpec s = specs.get(i);
            samples.add(new Sample(
                    s.name(), Costs.of(s).macs(), meas[i], measured.get(i).spreadMs(), preds.get(i)));
        }
        return new FidelityReport(device, batchSize, samples, fids);
    }

    /** Measures {@code specs} end to end with {@code measurer} (interleaved in groups of 8) and evaluates. */
    public static FidelityReport measure(
            LatencyMeasurer measurer, List<NetworkSpec> specs, int batchSize, List<? extends LatencyModel> models) {
        return evaluate(measurer.device().name(), batchSize, specs, measureAll(measurer, specs, batchSize), models);
    }

    /** Measures {@code specs} end to end with {@code measurer}, in groups of 8. */
    public static List<Measurement> measureAll(LatencyMeasurer measurer, List<NetworkSpec> specs, int batchSize) {
        List<Measurement> ms = new ArrayList<>();
        try (org.mobilenas.core.progress.Progress bar = org.mobilenas.core.progress.Progress.open(
                specs.size() > 8, "end-to-end latency", specs.size(), "networks")) {
            for (int from = 0; from < specs.size(); from += 8) {
                List<NetworkSpec> group = specs.subList(from, Math.min(specs.size(), from + 8));
                ms.addAll(measurer.measureAll(group, batchSize));
                bar.step(group.size(), null);
            }
        }
        return ms;
    }

    /**
     * Several end-to-end passes over the same networks: the per-network median of the passes (what a table is
     * checked against) and the second pass compared with the first (how finely the device repeats itself).
     *
     * @param median        per network, a measurement whose samples are the passes' medians
     * @param repeatability the second pass scored as if the first pass were a predictor
     */
    public record Passes(List<Measurement> median, ModelFidelity repeatability) {}

    /** Measures {@code specs} {@code passes} times (at least 2) with {@link #measureAll}. */
    public static Passes measurePasses(LatencyMeasurer measurer, List<NetworkSpec> specs, int batchSize, int passes) {
        if (passes < 2) {
            throw new IllegalArgumentException("passes " + passes + ": expected >= 2 (repeatability needs two)");
        }
        List<List<Measurement>> all = new ArrayList<>();
        for (int pass = 0; pass < passes; pass++) {
            all.add(measureAll(measurer, specs, batchSize));
        }
        List<Measurement> median = new ArrayList<>();
        Map<NetworkSpec, Double> first = new java.util.HashMap<>();
        for (int i = 0; i < specs.size(); i++) {
            double[] ms = new double[passes];
            for (int pass = 0; pass < passes; pass++) {
                ms[pass] = all.get(pass).get(i).medianMs();
            }
            median.add(Measurement.of(ms, all.get(0).get(i).threads()));
            first.put(specs.get(i), ms[0]);
        }
        FidelityReport repeat = evaluate(
                measurer.device().name(),
                batchSize,
                specs,
                all.get(1),
                List.of(LatencyModel.of("first-measurement-pass", first::get)));
        return new Passes(median, repeat.models().get(0));
    }

    /** The metrics of the model called {@code name}. */
    public ModelFidelity model(String name) {
        for (ModelFidelity m : models) {
            if (m.model().equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("no model '" + name + "' in the report; models: "
                + models.stream().map(ModelFidelity::model).toList());
    }

    /** A fixed-width table of the metrics. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                Locale.ROOT, "fidelity on %s, batch %d, %d networks%n", device, batchSize, samples.size()));
        String fmt = "%-48s %9s %8s %8s %8s %9s %8s%n";
        sb.append(String.format(Locale.ROOT, fmt, "model", "RMSE(ms)", "MAPE", "±5%", "±10%", "Spearman", "Kendall"));
        for (ModelFidelity m : models) {
            sb.append(String.format(
                    Locale.ROOT,
                    "%-48s %9.3f %7.1f%% %7.1f%% %7.1f%% %9.4f %8.4f%n",
                    m.model(),
                    m.rmseMs(),
                    100 * m.mape(),
                    100 * m.within5(),
                    100 * m.within10(),
                    m.spearman(),
                    m.kendall()));
        }
        return sb.toString();
    }

    /** Writes the report as JSON. */
    public void writeJson(Path file) {
        write(file, Json.write(this).getBytes(StandardCharsets.UTF_8));
    }

    /** Writes a scatter plot of predicted against measured latency, one series per model, as PNG. */
    public void writePlot(Path file) {
        Plot plot = Plot.of(
                "Latency: predicted vs measured (" + device + ", batch " + batchSize + ")",
                "measured (ms)",
                "predicted (ms)");
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (ModelFidelity m : models) {
            double[] x = new double[samples.size()];
            double[] y = new double[samples.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = samples.get(i).measuredMs();
                y[i] = samples.get(i).predictedMs().get(m.model());
                lo = Math.min(lo, Math.min(x[i], y[i]));
                hi = Math.max(hi, Math.max(x[i], y[i]));
            }
            plot.series(
                    String.format(
                            Locale.ROOT, "%s (±10%%: %.0f%%, ρ=%.3f)", m.model(), 100 * m.within10(), m.spearman()),
                    x,
                    y,
                    null,
                    false);
        }
        if (hi > 0) {
            plot.reference("predicted = measured", new double[] {lo, hi}, new double[] {lo, hi});
        }
        plot.write(file);
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file, e);
        }
    }
}
