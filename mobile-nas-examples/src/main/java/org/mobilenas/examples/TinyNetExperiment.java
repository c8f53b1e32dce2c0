package org.mobilenas.examples;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mobilenas.core.budget.InfeasibleBudgetException;
import org.mobilenas.core.experiment.Comparison;
import org.mobilenas.core.experiment.ExperimentReport;
import org.mobilenas.core.experiment.ExperimentRunner;
import org.mobilenas.core.experiment.Job;
import org.mobilenas.core.experiment.JobResult;
import org.mobilenas.core.experiment.Plot;
import org.mobilenas.core.experiment.Provenance;
import org.mobilenas.core.experiment.ProxyData;
import org.mobilenas.core.experiment.ProxyTask;
import org.mobilenas.core.experiment.Summary;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.tiny.Correlations;
import org.mobilenas.core.tiny.Observation;
import org.mobilenas.core.tiny.SamplingRanges;
import org.mobilenas.core.tiny.ScaledNetwork;
import org.mobilenas.core.tiny.TinyFit;
import org.mobilenas.core.tiny.TinyFormula;
import org.mobilenas.core.tiny.TinyScaler;
import org.mobilenas.spaces.tiny.TinyNetSetup;

/**
 * TinyNet's claim on the proxy task: at equal FLOPs, is a network downsized by the tiny formula (r and d from a
 * Gaussian-process fit of the best sampled models, w from the budget) more accurate than one downsized by the
 * inverse giant formula (EfficientNet's compound coefficients run backwards) or by width alone?
 *
 * <p>Steps: (1) sample networks at each budget and score them by a short proxy training on the train split,
 * evaluated on the held-out split; (2) fit r(c) and d(c) on the best of them; (3) train the tiny-formula,
 * inverse-giant and width-only networks of every budget, and the base, with the same schedule and several seeds;
 * (4) report mean ± std on the test set, the fitted curves and the Spearman ranking of r, d and w. Every training
 * is a journalled job, so a killed run resumes without retraining.
 *
 * <pre>{@code
 * TinyNetExperiment.Result r = TinyNetExperiment.run(TinyNetExperiment.Config.quick(Path.of("out")));
 * r.comparisons().forEach(System.out::println);
 * }</pre>
 */
public final class TinyNetExperiment {
    private TinyNetExperiment() {}

    /** The methods compared, in table order. */
    public static final List<String> METHODS = List.of("tiny", "inverse-giant", "width-only");

    /**
     * Settings of a run.
     *
     * @param preset           {@code quick} or {@code full}
     * @param task             the proxy task whose schedule trains the final networks
     * @param fitEpochs        epochs of the short proxy training that scores the fit samples
     * @param budgets          FLOPs budgets (fractions of the base's MACs); each is moved to the nearest cost that
     *                         width-only scaling can reach exactly (channel rounding makes width a coarse ladder),
     *                         so that every method meets the same budget within the scaler's tolerance
     * @param samplesPerBudget sampled networks per budget for the fit
     * @param ranges           sampling box of r, d and w
     * @param seeds            seeds of every final network
     * @param fitSeed          seed of sampling and of the fit samples' training
     * @param out              output directory
     * @param parallel         jobs trained at once
     */
    public record Config(
            String preset,
            ProxyTask task,
            int fitEpochs,
            List<Double> budgets,
            int samplesPerBudget,
            SamplingRanges ranges,
            List<Long> seeds,
            long fitSeed,
            Path out,
            int parallel) {
        public Config {
            if (task == null || out == null || ranges == null) {
                throw new IllegalArgumentException("config.task, config.ranges and config.out are required");
            }
            if (budgets == null || budgets.isEmpty() || seeds == null || seeds.isEmpty()) {
                throw new IllegalArgumentException("config.budgets and config.seeds: expected non-empty lists");
            }
            if (fitEpochs < 1 || samplesPerBudget < 2) {
                throw new IllegalArgumentException("config.fitEpochs " + fitEpochs + " (expected >= 1), "
                        + "samplesPerBudget " + samplesPerBudget + " (expected >= 2)");
            }
            budgets = List.copyOf(budgets);
            seeds = List.copyOf(seeds);
        }

        /**
         * The published run: Fashion-MNIST (50k train / 10k held-out / 10k test), budgets 0.25 / 0.5 / 0.75 of the
         * base, 6 fit samples per budget scored after one epoch, final networks trained for 4 epochs of the proxy
         * schedule with seeds 1 and 2.
         */
        public static Config full(Path out, Path data, int parallel) {
            ProxyTask t = ProxyTask.fashionMnist().withEpochs(4);
            return new Config(
                    "full",
                    data == null ? t : t.withData(data),
                    1,
                    List.of(0.25, 0.5, 0.75),
                    6,
                    new SamplingRanges(0.5, 1.3, 0.3, 1.3, 0.2, 1.5),
                    List.of(1L, 2L),
                    42,
                    out,
                    parallel);
        }

        /** About a minute: the quick synthetic task, budgets 0.3 / 0.6, 3 samples each scored after 2 epochs, seeds 1, 2. */
        public static Config quick(Path out) {
            return new Config(
                    "quick",
                    ProxyTask.quick(),
                    2,
                    List.of(0.3, 0.6),
                    3,
                    new SamplingRanges(0.6, 1.3, 0.3, 1.3, 0.2, 1.5),
                    List.of(1L, 2L),
                    42,
                    out,
                    1);
        }
    }

    /** What a run produced. */
    public record Result(
            List<Summary> summary,
            List<Comparison> comparisons,
            TinyFit fit,
            ExperimentReport report,
            Path plot,
            Path curves) {}

    /** Runs (or resumes) the experiment and writes its report, plots and fitted scaler. */
    public static Result run(Config config) {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        ProxyData data = config.task().load();
        int classes = data.train().numClasses();
        NetworkSpec base = TinyNetSetup.smallBase(
                classes, config.task().channels(), config.task().resolution());
        TinyScaler scaler = TinyScaler.builder(base)
                .ranges(config.ranges())
                .topFraction(0.4)
                .build();
        List<Double> budgets = new ArrayList<>();
        for (double c : config.budgets()) {
            double snapped = widthLadder(scaler, c);
            if (!budgets.contains(snapped)) {
                budgets.add(snapped);
            }
        }

        // (1) + (2): sample, score by short proxy training on held-out, fit r(c), d(c)
        ExperimentRunner fitRunner = ExperimentRunner.builder(data)
                .task(config.task().withEpochs(config.fitEpochs()))
                .directory(config.out())
                .parallelism(config.parallel())
                .progress(true)
                .build();
        TinyFit fit = scaler.fit(
                budgets,
                config.samplesPerBudget(),
                fitRunner.evaluator("fit sample", config.fitSeed()),
                config.fitSeed());
        TinyScaler fitted = scaler.withFormula(fit.formula());
        fitted.save(config.out().resolve("tiny-scaler.json"));

        // (3): the final networks, every seed, the same schedule
        List<Job> jobs = new ArrayList<>();
        Map<String, ScaledNetwork> networks = new LinkedHashMap<>();
        List<String> infeasible = new ArrayList<>();
        for (double c : budgets) {
            for (String m : METHODS) {
                String group = group(m, c);
                try {
                    ScaledNetwork s = switch (m) {
                        case "tiny" -> fitted.tiny(c);
                        case "inverse-giant" -> scaler.inverseGiant(c);
                        default -> scaler.widthOnly(c);
                    };
                    networks.put(group, s);
                } catch (InfeasibleBudgetException e) {
                    infeasible.add(group + ": " + e.getMessage());
                }
            }
        }
        networks.put("base", scaler.scale(1, 1, 1));
        for (long seed : config.seeds()) {
            for (Map.Entry<String, ScaledNetwork> e : networks.entrySet()) {
                jobs.add(new Job(e.getKey(), e.getValue().spec(), seed));
            }
        }
        ExperimentRunner runner = ExperimentRunner.builder(data)
                .directory(config.out())
                .parallelism(config.parallel())
                .progress(true)
                .build();
        List<JobResult> results = runner.run(jobs);
        List<Summary> summary = Summary.of(results);

        // (4): comparisons, plots, report
        Map<String, Summary> byGroup = new LinkedHashMap<>();
        for (Summary s : summary) {
            byGroup.put(s.group(), s);
        }
        List<Comparison> comparisons = new ArrayList<>();
        for (double c : budgets) {
            Summary t = byGroup.get(group("tiny", c));
            for (String other : METHODS.subList(1, METHODS.size())) {
                Summary o = byGroup.get(group(other, c));
                if (t != null && o != null) {
                    boolean same = networks.get(group("tiny", c))
                            .spec()
                            .withName("x")
                            .equals(networks.get(group(other, c)).spec().withName("x"));
                    comparisons.add(compare(c, other, t, o, same));
                }
            }
        }
        Path plot = config.out().resolve("accuracy-vs-macs.png");
        plotAccuracy(config, byGroup, networks, plot);
        Path curves = config.out().resolve("fitted-curves.png");
        plotCurves(fit, curves);

        Map<String, Object> findings = new LinkedHashMap<>();
        findings.put("baseNetwork", base.name());
        findings.put("baseMacs", (long) scaler.baseCost());
        findings.put("fitTaskEpochs", config.fitEpochs());
        findings.put("requestedBudgets", config.budgets());
        findings.put("budgets", budgets);
        List<Map<String, Object>> nets = new ArrayList<>();
        for (Map.Entry<String, ScaledNetwork> e : networks.entrySet()) {
            ScaledNetwork s = e.getValue();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("group", e.getKey());
            m.put("r", s.r());
            m.put("d", s.d());
            m.put("w", s.w());
            m.put("resolution", s.spec().resolution());
            m.put("fraction", s.fraction());
            nets.add(m);
        }
        findings.put("networks", nets);
        findings.put("infeasible", infeasible);
        findings.put("comparisons", comparisons);
        findings.put("fittedCurve", curve(fit.formula(), budgets));
        findings.put("fitSamples", fit.observations());
        findings.put("fitKept", fit.best());
        findings.put("spearmanPerBudget", fit.perBudget());
        findings.put("spearmanPooled", fit.pooled());
        findings.put("spearmanRanking", fit.pooled().ranking());

        List<String> verdicts = new ArrayList<>();
        for (Comparison cmp : comparisons) {
            verdicts.add(cmp.verdict());
        }
        long wins = comparisons.stream().filter(c -> c.difference() > 0).count();
        long clear = comparisons.stream().filter(Comparison::clearWin).count();
        long clearLoss = comparisons.stream().filter(Comparison::clearLoss).count();
        verdicts.add(String.format(
                Locale.ROOT,
                "Overall: the tiny formula is ahead in %d of %d comparisons, clearly "
                        + "(by more than twice the seed spread) in %d, and clearly behind in %d; with %d seeds per "
                        + "network the spread itself is a rough estimate.",
                wins,
                comparisons.size(),
                clear,
                clearLoss,
                config.seeds().size()));
        Correlations p = fit.pooled();
        verdicts.add(String.format(
                Locale.ROOT,
                "Spearman correlation with held-out accuracy over %d fit samples: "
                        + "resolution %.2f, depth %.2f, width %.2f; importance ranking %s.",
                p.models(),
                p.resolution(),
                p.depth(),
                p.width(),
                p.ranking()));
        for (String s : infeasible) {
            verdicts.add("Not built: " + s);
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        ExperimentReport report = ExperimentReport.of(
                Provenance.of("tinynet", config.preset(), config.task(), config.seeds(), started, wall),
                results,
                findings,
                verdicts);
        report.write(
                config.out(),
                "TinyNet: tiny formula vs inverse giant formula vs width-only at equal FLOPs",
                extraMarkdown(fit, comparisons));
        return new Result(summary, List.copyOf(comparisons), fit, report, plot, curves);
    }

    /**
     * The cost fraction nearest {@code c} that width-only scaling reaches (r = d = 1, width on a fine grid within
     * the sampling range), rounded to 4 decimals.
     */
    static double widthLadder(TinyScaler scaler, double c) {
        double best = Double.NaN;
        SamplingRanges r = scaler.ranges();
        for (double w = r.wMin(); w <= r.wMax() + 1e-9; w += 0.005) {
            double f;
            try {
                f = scaler.scale(1, 1, w).fraction();
            } catch (RuntimeException e) {
                continue;
            }
            if (f <= 1 + 1e-9 && (Double.isNaN(best) || Math.abs(f - c) < Math.abs(best - c))) {
                best = f;
            }
        }
        if (Double.isNaN(best)) {
            throw new IllegalStateException(
                    "no width-only network of '" + scaler.base().name() + "' could be built");
        }
        return Math.round(best * 1e4) / 1e4;
    }

    static String group(String method, double c) {
        return String.format(Locale.ROOT, "%s c=%.2f", method, c);
    }

    private static Comparison compare(double c, String other, Summary t, Summary o, boolean sameNetwork) {
        return Comparison.of(String.format(Locale.ROOT, "c = %.2f", c), "tiny", t, other, o, sameNetwork);
    }

    private static List<TinyFormula.Point> curve(TinyFormula f, List<Double> budgets) {
        List<TinyFormula.Point> out = new ArrayList<>();
        for (double c : budgets) {
            out.add(f.predict(c));
        }
        return out;
    }

    private static void plotAccuracy(
            Config config, Map<String, Summary> byGroup, Map<String, ScaledNetwork> nets, Path file) {
        Plot plot = Plot.of(
                "TinyNet downsizing on " + config.task().name() + " ("
                        + config.seeds().size() + " seeds, error bars: std)",
                "MACs (millions, batch 1)",
                "test top-1");
        List<String> series = new ArrayList<>(METHODS);
        series.add("base");
        for (String m : series) {
            List<double[]> pts = new ArrayList<>();
            for (Map.Entry<String, Summary> e : byGroup.entrySet()) {
                if (e.getKey().equals(m) || e.getKey().startsWith(m + " c=")) {
                    Summary s = e.getValue();
                    pts.add(new double[] {s.macs() / 1e6, s.testMean(), s.testStd()});
                }
            }
            pts.sort((a, b) -> Double.compare(a[0], b[0]));
            plot.series(
                    m,
                    pts.stream().mapToDouble(a -> a[0]).toArray(),
                    pts.stream().mapToDouble(a -> a[1]).toArray(),
                    pts.stream().mapToDouble(a -> a[2]).toArray(),
                    !m.equals("base"));
        }
        plot.write(file);
    }

    private static void plotCurves(TinyFit fit, Path file) {
        int n = 40;
        double[] c = new double[n];
        double[] r = new double[n];
        double[] d = new double[n];
        double[] w = new double[n];
        double lo = Math.log(Math.min(
                0.1,
                fit.budgets().stream().mapToDouble(Double::doubleValue).min().orElse(0.1)));
        for (int i = 0; i < n; i++) {
            c[i] = Math.exp(lo + (0 - lo) * i / (n - 1));
            TinyFormula.Point p = fit.formula().predict(c[i]);
            r[i] = p.r();
            d[i] = p.d();
            w[i] = p.w();
        }
        List<Observation> kept = fit.best();
        Plot.of(
                        "Fitted tiny formula: r(c), d(c) and w = sqrt(c / (r²·d))",
                        "FLOPs budget c (fraction of the base)",
                        "multiplier")
                .series("r(c)", c, r, null, true)
                .series("d(c)", c, d, null, true)
                .series("w(c)", c, w, null, true)
                .series(
                        "kept samples: r",
                        kept.stream().mapToDouble(Observation::budget).toArray(),
                        kept.stream().mapToDouble(Observation::r).toArray(),
                        null,
                        false)
                .series(
                        "kept samples: d",
                        kept.stream().mapToDouble(Observation::budget).toArray(),
                        kept.stream().mapToDouble(Observation::d).toArray(),
                        null,
                        false)
                .write(file);
    }

    private static String extraMarkdown(TinyFit fit, List<Comparison> comparisons) {
        StringBuilder sb = new StringBuilder();
        sb.append("## Tiny formula vs the others (test top-1)\n\n");
        sb.append("| budget c | vs | tiny | other | difference | seed spread |\n|---:|---|---:|---:|---:|---:|\n");
        for (Comparison c : comparisons) {
            sb.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %.4f | %.4f | %+.4f | %.4f |%n",
                    c.budget().substring(4),
                    c.other(),
                    c.methodMean(),
                    c.otherMean(),
                    c.difference(),
                    c.spread()));
        }
        sb.append("\n## Fitted curves and Spearman ranking\n\n");
        sb.append("| c | r(c) | d(c) | nominal w = sqrt(c / (r²·d)) |\n|---:|---:|---:|---:|\n");
        for (double c : fit.budgets()) {
            TinyFormula.Point p = fit.formula().predict(c);
            sb.append(String.format(Locale.ROOT, "| %.2f | %.3f | %.3f | %.3f |%n", c, p.r(), p.d(), p.w()));
        }
        sb.append("\n| scope | models | ρ(resolution) | ρ(depth) | ρ(width) |\n|---|---:|---:|---:|---:|\n");
        List<Correlations> all = new ArrayList<>(fit.perBudget());
        all.add(fit.pooled());
        for (Correlations c : all) {
            sb.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %.2f | %.2f | %.2f |%n",
                    c.scope(),
                    c.models(),
                    c.resolution(),
                    c.depth(),
                    c.width()));
        }
        sb.append("\n![accuracy vs MACs](accuracy-vs-macs.png)\n\n![fitted curves](fitted-curves.png)\n");
        return sb.toString();
    }

    /** {@code --preset quick|full --out DIR --data DIR --parallel N}. */
    public static void main(String[] args) {
        ExperimentArgs.main(
                "TinyNetExperiment",
                args,
                Path.of("docs/results/tinynet"),
                (a, out) -> run(a.preset().equals("quick")
                                ? Config.quick(out)
                                : Config.full(out, a.data(), a.parallel()))
                        .report());
    }
}
