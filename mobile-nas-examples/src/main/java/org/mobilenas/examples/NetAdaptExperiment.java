package org.mobilenas.examples;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.mobilenas.core.adapt.AdaptationReport;
import org.mobilenas.core.adapt.AdaptationResult;
import org.mobilenas.core.adapt.NetAdapter;
import org.mobilenas.core.adapt.NetworkSurgery;
import org.mobilenas.core.adapt.ReductionSchedule;
import org.mobilenas.core.adapt.ResourceConstraint;
import org.mobilenas.core.data.ImageDataset;
import org.mobilenas.core.engine.Network;
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
import org.mobilenas.core.tiny.TinyScaler;
import org.mobilenas.latency.measure.JvmLatencyMeasurer;
import org.mobilenas.latency.measure.LatencyMeasurer;
import org.mobilenas.latency.measure.MeasuredLatencyModel;
import org.mobilenas.latency.table.Interpolation;
import org.mobilenas.latency.table.LatencyTable;
import org.mobilenas.latency.table.LatencyTableBuilder;
import org.mobilenas.latency.table.PrunedVariants;
import org.mobilenas.latency.table.TableLatencyModel;
import org.mobilenas.onnx.OnnxExport;
import org.mobilenas.spaces.tiny.TinyNetSetup;

/**
 * NetAdapt's claim on the proxy task: a trained network adapted to a latency budget on this machine loses less
 * accuracy than shrinking every layer by a width multiplier to the same measured latency.
 *
 * <p>Steps: (1) a layer-wise latency lookup table of the starting network (every prunable width on a grid of
 * multiples of the granularity, see {@link PrunedVariants}) measured on this machine; (2) the starting network
 * (TinyNet's small MBConv base) trained with the proxy task's full schedule, one per seed; (3) NetAdapt down to
 * the smallest budget, one adaptation per seed: each iteration scans every layer for the largest filter count that
 * meets the iteration's target by the table, fine-tunes each proposal briefly on the train split, recalibrates its
 * batch norm, scores it on the held-out split and keeps the best; (4) from each adaptation the first network whose
 * <em>measured</em> latency meets each budget is long-term fine-tuned; (5) width-multiplier networks meeting the
 * same budgets by measured latency are trained from scratch for as many epochs as the adapted network saw in
 * total; (6) the report: test top-1 mean ± std over seeds, the per-iteration held-out curve, and whether the
 * proposals' ranking is signal (the two seeds' first-iteration proposals agree) or noise. Every training and
 * every iteration is journalled or checkpointed, so a killed run resumes.
 *
 * <pre>{@code
 * NetAdaptExperiment.Result r = NetAdaptExperiment.run(NetAdaptExperiment.Config.quick(Path.of("out")));
 * r.comparisons().forEach(c -> System.out.println(c.verdict()));
 * }</pre>
 */
public final class NetAdaptExperiment {
    /**
     * Adaptation goes on until the table predicts this fraction of the smallest budget, so that the networks chosen
     * by measured latency exist even where the table is a little optimistic.
     */
    static final double TABLE_MARGIN = 0.9;

    private NetAdaptExperiment() {}

    /**
     * Settings of a run.
     *
     * @param preset          {@code quick} or {@code full}
     * @param task            the proxy task; its schedule pre-trains the starting network
     * @param budgets         latency budgets as fractions of the starting network's measured latency, descending
     * @param schedule        NetAdapt's reduction schedule
     * @param granularity     filter counts are multiples of it
     * @param shortTermImages training images of each proposal's one-epoch short-term fine-tune
     * @param shortTermLr     peak learning rate of the short-term fine-tune (cosine, no warm-up)
     * @param heldOutImages   held-out images that score the proposals
     * @param longTermEpochs  epochs of the long-term fine-tune of the chosen networks
     * @param longTermLr      peak learning rate of the long-term fine-tune (cosine, no warm-up)
     * @param tableSamples    grid variants sampled to collect the layer-wise table's keys
     * @param latencySamples  timed samples per latency measurement
     * @param seeds           seeds of every trained network (one adaptation per seed)
     * @param out             output directory
     * @param parallel        jobs (and proposals) trained at once
     */
    public record Config(
            String preset,
            ProxyTask task,
            List<Double> budgets,
            ReductionSchedule schedule,
            int granularity,
            int shortTermImages,
            double shortTermLr,
            int heldOutImages,
            int longTermEpochs,
            double longTermLr,
            int tableSamples,
            int latencySamples,
            List<Long> seeds,
            Path out,
            int parallel) {
        public Config {
            if (task == null || out == null || schedule == null) {
                throw new IllegalArgumentException("config.task, config.schedule and config.out are required");
            }
            if (budgets == null || budgets.isEmpty() || seeds == null || seeds.isEmpty()) {
                throw new IllegalArgumentException("config.budgets and config.seeds: expected non-empty lists");
            }
            for (int i = 0; i < budgets.size(); i++) {
                double b = budgets.get(i);
                if (!(b > 0 && b < 1) || (i > 0 && b >= budgets.get(i - 1))) {
                    throw new IllegalArgumentException(
                            "config.budgets " + budgets + ": expected descending fractions" + " in (0, 1)");
                }
            }
            if (granularity < 1
                    || shortTermImages < 1
                    || heldOutImages < 1
                    || longTermEpochs < 0
                    || tableSamples < 1
                    || latencySamples < 1
                    || parallel < 1) {
                throw new IllegalArgumentException("config: granularity " + granularity + ", shortTermImages "
                        + shortTermImages + ", heldOutImages " + heldOutImages + ", tableSamples " + tableSamples
                        + ", latencySamples " + latencySamples + " and parallel " + parallel + " must be >= 1, "
                        + "longTermEpochs " + longTermEpochs + " >= 0");
            }
            if (!(shortTermLr > 0) || !(longTermLr > 0)) {
                throw new IllegalArgumentException("config.shortTermLr " + shortTermLr + " and config.longTermLr "
                        + longTermLr + ": expected > 0");
            }
            budgets = List.copyOf(budgets);
            seeds = List.copyOf(seeds);
        }

        /**
         * The published run: Fashion-MNIST, the proxy schedule (12 epochs) for the starting network, budgets 75 % and
         * 50 % of its measured latency, ΔR = 5 % of the starting latency decaying by 0.96 per iteration (twice the
         * paper's first step, so that 50 % is reached in about 13 iterations instead of 39), granularity 8, short-term
         * fine-tunes of 2,000 images at learning rate 0.01 scored on 2,000 held-out images, a 2-epoch long-term
         * fine-tune at 0.02, seeds 1 and 2.
         */
        public static Config full(Path out, Path data, int parallel) {
            ProxyTask t = ProxyTask.fashionMnist();
            return new Config(
                    "full",
                    data == null ? t : t.withData(data),
                    List.of(0.75, 0.5),
                    new ReductionSchedule(0.05, 0.96),
                    8,
                    2000,
                    0.01,
                    2000,
                    2,
                    0.02,
                    300,
                    15,
                    List.of(1L, 2L),
                    out,
                    parallel);
        }

        /** About a minute: the quick synthetic task, budgets 90 % and 75 %, coarse steps, seeds 1 and 2. */
        public static Config quick(Path out) {
            return new Config(
                    "quick",
                    ProxyTask.quick(),
                    List.of(0.9, 0.75),
                    new ReductionSchedule(0.1, 1.0),
                    8,
                    96,
                    0.02,
                    128,
                    1,
                    0.02,
                    20,
                    3,
                    List.of(1L, 2L),
                    out,
                    1);
        }
    }

    /**
     * One iteration's network of one adaptation.
     *
     * @param seed        the adaptation's seed
     * @param iteration   0 for the starting network
     * @param tableMs     latency predicted by the layer-wise table
     * @param measuredMs  latency measured end to end
     * @param heldOutTop1 held-out top-1 after the short-term fine-tune (the starting network's own for 0)
     * @param layer       the layer pruned in this iteration
     * @param channels    its filter count after the iteration
     */
    public record Point(
            long seed,
            int iteration,
            double tableMs,
            double measuredMs,
            double heldOutTop1,
            String layer,
            int channels) {}

    /**
     * How well short-term fine-tunes rank the first iteration's proposals: the same proposals (same layers and
     * widths) scored in the two seeds' adaptations.
     *
     * @param proposals      proposals in both
     * @param spearman       rank correlation of their held-out top-1 across the seeds
     * @param betweenStd     standard deviation of the proposals' mean top-1 (the signal)
     * @param withinStd      standard deviation of a proposal's top-1 across the seeds, pooled (the noise)
     * @param sameChoice     whether both seeds chose the same proposal
     */
    public record RankingCheck(
            int proposals, double spearman, double betweenStd, double withinStd, boolean sameChoice) {}

    /** What a run produced. */
    public record Result(
            List<Summary> summary,
            List<Comparison> comparisons,
            List<Point> curve,
            RankingCheck ranking,
            double startMeasuredMs,
            ExperimentReport report,
            Path plot,
            Path curvePlot) {}

    /** Runs (or resumes) the experiment and writes its report and plots. */
    public static Result run(Config config) {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        ProxyData data = config.task().load();
        int classes = data.train().numClasses();
        NetworkSpec start = NetworkSurgery.normalize(TinyNetSetup.smallBase(
                classes, config.task().channels(), config.task().resolution()));
        Path out = config.out();

        // (1) the layer-wise table and this machine's measured latency
        LatencyMeasurer measurer = JvmLatencyMeasurer.forEngine(config.latencySamples());
        PrunedVariants variants = PrunedVariants.of(start, config.granularity());
        LatencyTable table = LatencyTableBuilder.with(measurer)
                .specs(List.of(start))
                .sampled(variants::grid, config.tableSamples(), 42)
                .file(out.resolve("latency-table.json"))
                .progress(false)
                .build();
        TableLatencyModel layerwise = TableLatencyModel.builder(table)
                .interpolation(Interpolation.CHANNELS)
                .build();
        MeasuredLatencyModel measured = MeasuredLatencyModel.of(measurer);
        double r0 = measured.predictMs(start);

        // (2) the starting networks
        ExperimentRunner pre = ExperimentRunner.builder(data)
                .directory(out.resolve("pretrain"))
                .saveNetworks(true)
                .parallelism(config.parallel())
                .progress(true)
                .build();
        List<Job> preJobs =
                config.seeds().stream().map(s -> new Job("start", start, s)).toList();
        List<JobResult> preResults = pre.run(preJobs);

        // (3) one adaptation per seed, down to the smallest budget
        ProxyTask shortTask = config.task().withEpochs(1).withLearningRate(config.shortTermLr(), 0);
        ImageDataset heldOut = data.heldOut().size() <= config.heldOutImages()
                ? data.heldOut()
                : data.heldOut().subset(config.heldOutImages(), 17);
        double smallest = config.budgets().get(config.budgets().size() - 1);
        Map<Long, AdaptationResult> adaptations = new LinkedHashMap<>();
        List<Point> curve = new ArrayList<>();
        for (int k = 0; k < preJobs.size(); k++) {
            Job job = preJobs.get(k);
            if (!preResults.get(k).completed()) {
                continue;
            }
            long seed = job.seed();
            Path dir = out.resolve("adapt-seed" + seed);
            AdaptationResult a = NetAdapter.builder(Network.load(pre.networkFile(job)))
                    .constraint(ResourceConstraint.latencyFraction(layerwise, smallest * TABLE_MARGIN))
                    .schedule(config.schedule())
                    .granularity(config.granularity())
                    .minChannels(Math.max(8, config.granularity()))
                    .shortTerm(shortTask.trainer(seed), config.shortTermImages())
                    .data(data.train(), heldOut)
                    .parallelism(config.parallel())
                    .evalBatchSize(250)
                    .checkpointDir(dir)
                    .seed(seed)
                    .listener((it, n) -> System.out.printf(
                            Locale.ROOT,
                            "seed %d iteration %d: %s -> %d filters, " + "table %.3f ms, held-out %.4f%n",
                            seed,
                            it.index(),
                            it.layer(),
                            it.toChannels(),
                            it.resources().values().iterator().next(),
                            it.accuracy()))
                    .build()
                    .run();
            a.report().writeJson(dir.resolve("adaptation.json"));
            adaptations.put(seed, a);
            List<AdaptationReport.Iteration> its = a.report().iterations();
            for (int i = 0; i < a.networks().size(); i++) {
                NetworkSpec s = a.networks().get(i).spec();
                AdaptationReport.Iteration it = i == 0 ? null : its.get(i - 1);
                curve.add(new Point(
                        seed,
                        i,
                        layerwise.predictMs(s),
                        measured.predictMs(s),
                        i == 0 ? a.report().initialAccuracy() : it.accuracy(),
                        i == 0 ? "" : it.layer(),
                        i == 0 ? 0 : it.toChannels()));
            }
        }

        // (4) the first network of each adaptation that meets each budget by measured latency, long-term fine-tuned
        ProxyTask longTask =
                config.task().withEpochs(Math.max(1, config.longTermEpochs())).withLearningRate(config.longTermLr(), 0);
        List<Job> longJobs = new ArrayList<>();
        Map<String, Double> adaptedImages = new LinkedHashMap<>();
        List<String> notMet = new ArrayList<>();
        for (double b : config.budgets()) {
            for (Map.Entry<Long, AdaptationResult> e : adaptations.entrySet()) {
                long seed = e.getKey();
                int chosen = -1;
                for (Point p : curve) {
                    if (p.seed() == seed && p.measuredMs() <= b * r0) {
                        chosen = p.iteration();
                        break;
                    }
                }
                if (chosen < 0) {
                    notMet.add(String.format(
                            Locale.ROOT,
                            "seed %d: no iteration meets %.0f %% of the measured " + "latency (%.3f ms)",
                            seed,
                            100 * b,
                            b * r0));
                    continue;
                }
                Path file = out.resolve("adapt-seed" + seed)
                        .resolve(String.format(Locale.ROOT, "chosen-%02.0f.mnas", 100 * b));
                e.getValue().save(chosen, file);
                OnnxExport.write(
                        Network.load(file),
                        out.resolve("onnx")
                                .resolve(String.format(Locale.ROOT, "netadapt-%02.0f-seed%d.onnx", 100 * b, seed)));
                adaptedImages.merge(group("netadapt", b), (double) chosen * config.shortTermImages(), Double::sum);
                if (config.longTermEpochs() > 0) {
                    longJobs.add(Job.fineTune(group("netadapt", b), file, seed));
                }
            }
        }
        ExperimentRunner longRunner = ExperimentRunner.builder(data)
                .task(longTask)
                .directory(out.resolve("long-term"))
                .parallelism(config.parallel())
                .progress(true)
                .build();
        List<JobResult> longResults = longRunner.run(longJobs);

        // (5) width multipliers meeting the same budgets by measured latency, trained from scratch as long
        TinyScaler scaler = TinyScaler.builder(start).build();
        List<JobResult> widthResults = new ArrayList<>();
        Map<String, Integer> widthEpochs = new LinkedHashMap<>();
        Map<String, Double> widthOf = new LinkedHashMap<>();
        Map<String, Double> widthMs = new LinkedHashMap<>();
        for (double b : config.budgets()) {
            String g = group("netadapt", b);
            long adapted = adaptations.size();
            double meanFineTuneImages = adapted == 0 ? 0 : adaptedImages.getOrDefault(g, 0.0) / adapted;
            int epochs = config.task().epochs()
                    + config.longTermEpochs()
                    + (int) Math.ceil(meanFineTuneImages / data.train().size());
            NetworkSpec best = null;
            double bestW = 0;
            double bestMs = 0;
            for (double w = 1.0; w >= 0.1 - 1e-9; w -= 0.02) {
                NetworkSpec s = scaler.scale(1, 1, w).spec();
                double ms = measured.predictMs(s);
                if (ms <= b * r0) {
                    best = s;
                    bestW = w;
                    bestMs = ms;
                    break;
                }
            }
            if (best == null) {
                notMet.add(String.format(Locale.ROOT, "width: no multiplier >= 0.1 meets %.0f %%", 100 * b));
                continue;
            }
            widthOf.put(group("width", b), Math.round(bestW * 100) / 100.0);
            widthMs.put(group("width", b), bestMs);
            widthEpochs.put(group("width", b), epochs);
            List<Job> jobs = new ArrayList<>();
            for (long seed : config.seeds()) {
                jobs.add(new Job(group("width", b), best.withName(best.name() + "-e" + epochs), seed));
            }
            widthResults.addAll(ExperimentRunner.builder(data)
                    .task(config.task().withEpochs(epochs))
                    .directory(out.resolve("width"))
                    .parallelism(config.parallel())
                    .progress(true)
                    .build()
                    .run(jobs));
        }

        // (6) report
        List<JobResult> all = new ArrayList<>(preResults);
        all.addAll(longResults);
        all.addAll(widthResults);
        List<Summary> summary = Summary.of(all);
        Map<String, Summary> byGroup = new LinkedHashMap<>();
        summary.forEach(s -> byGroup.put(s.group(), s));
        Map<String, Double> msOf = new LinkedHashMap<>();
        msOf.put("start", r0);
        for (Job j : longJobs) {
            msOf.merge(j.group(), measured.predictMs(j.spec()) / config.seeds().size(), Double::sum);
        }
        msOf.putAll(widthMs);
        List<Comparison> comparisons = new ArrayList<>();
        for (double b : config.budgets()) {
            Summary a = byGroup.get(group("netadapt", b));
            Summary w = byGroup.get(group("width", b));
            if (a != null && w != null) {
                comparisons.add(Comparison.of(
                        String.format(Locale.ROOT, "%.0f %% of the measured latency", 100 * b),
                        "netadapt",
                        a,
                        "width multiplier",
                        w,
                        false));
            }
        }
        RankingCheck ranking = rankingCheck(adaptations);
        Path plot = out.resolve("accuracy-vs-latency.png");
        plotFamilies(config, byGroup, msOf, r0, plot);
        Path curvePlot = out.resolve("adaptation-curve.png");
        plotCurve(config, curve, curvePlot);

        Map<String, Object> findings = new LinkedHashMap<>();
        findings.put("startNetwork", start.name());
        findings.put("startMeasuredMs", r0);
        findings.put("budgetsMs", config.budgets().stream().map(b -> b * r0).toList());
        findings.put(
                "latencyTable",
                Map.of(
                        "keys",
                        table.size(),
                        "scale",
                        table.scale(),
                        "overheadMs",
                        table.overheadMs(),
                        "device",
                        table.device().name()));
        findings.put("measuredLatencyMs", msOf);
        findings.put("widthMultipliers", widthOf);
        findings.put("widthEpochs", widthEpochs);
        findings.put("curve", curve);
        findings.put("ranking", ranking);
        findings.put("comparisons", comparisons);
        findings.put("notMet", notMet);
        List<String> verdicts = new ArrayList<>();
        comparisons.forEach(c -> verdicts.add(c.verdict()));
        if (ranking != null) {
            verdicts.add(String.format(
                    Locale.ROOT,
                    "First-iteration proposals scored in both seeds' adaptations: %d; "
                            + "Spearman %.2f; spread between proposals %.4f vs between seeds of a proposal %.4f; %s.",
                    ranking.proposals(),
                    ranking.spearman(),
                    ranking.betweenStd(),
                    ranking.withinStd(),
                    ranking.sameChoice()
                            ? "both seeds chose the same proposal"
                            : "the seeds chose different proposals"));
        }
        verdicts.add(smoothness(curve));
        notMet.forEach(s -> verdicts.add("Not met: " + s));
        double wall = (System.nanoTime() - t0) / 1e9;
        ExperimentReport report = ExperimentReport.of(
                Provenance.of("netadapt", config.preset(), config.task(), config.seeds(), started, wall),
                all,
                findings,
                verdicts);
        report.write(
                out,
                "NetAdapt: adapted networks vs width multipliers at equal measured latency",
                extraMarkdown(comparisons, curve, msOf));
        return new Result(summary, List.copyOf(comparisons), List.copyOf(curve), ranking, r0, report, plot, curvePlot);
    }

    static String group(String method, double budget) {
        return String.format(Locale.ROOT, "%s %.0f%%", method, 100 * budget);
    }

    /** Agreement of the two first adaptations on the proposals of their first iteration. */
    static RankingCheck rankingCheck(Map<Long, AdaptationResult> adaptations) {
        if (adaptations.size() < 2) {
            return null;
        }
        List<AdaptationResult> two = new ArrayList<>(adaptations.values()).subList(0, 2);
        if (two.get(0).report().iterations().isEmpty()
                || two.get(1).report().iterations().isEmpty()) {
            return null;
        }
        AdaptationReport.Iteration a = two.get(0).report().iterations().get(0);
        AdaptationReport.Iteration b = two.get(1).report().iterations().get(0);
        Map<String, Double> other = new LinkedHashMap<>();
        b.proposals().forEach(p -> other.put(p.layer() + "->" + p.toChannels(), p.accuracy()));
        List<double[]> pairs = new ArrayList<>();
        a.proposals().forEach(p -> {
            Double o = other.get(p.layer() + "->" + p.toChannels());
            if (o != null) {
                pairs.add(new double[] {p.accuracy(), o});
            }
        });
        if (pairs.size() < 3) {
            return new RankingCheck(
                    pairs.size(),
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    a.layer().equals(b.layer()) && a.toChannels() == b.toChannels());
        }
        double[] x = pairs.stream().mapToDouble(p -> p[0]).toArray();
        double[] y = pairs.stream().mapToDouble(p -> p[1]).toArray();
        double[] means = pairs.stream().mapToDouble(p -> (p[0] + p[1]) / 2).toArray();
        double within = Math.sqrt(pairs.stream()
                .mapToDouble(p -> (p[0] - p[1]) * (p[0] - p[1]) / 2)
                .average()
                .orElse(Double.NaN));
        return new RankingCheck(
                pairs.size(),
                new SpearmansCorrelation().correlation(x, y),
                Summary.std(means),
                within,
                a.layer().equals(b.layer()) && a.toChannels() == b.toChannels());
    }

    /** The largest drop of held-out top-1 from one iteration to the next, per seed, in words. */
    static String smoothness(List<Point> curve) {
        Map<Long, Double> worst = new LinkedHashMap<>();
        Map<Long, Integer> at = new LinkedHashMap<>();
        for (int i = 1; i < curve.size(); i++) {
            Point p = curve.get(i - 1);
            Point q = curve.get(i);
            if (p.seed() == q.seed()) {
                double drop = p.heldOutTop1() - q.heldOutTop1();
                if (drop > worst.getOrDefault(q.seed(), Double.NEGATIVE_INFINITY)) {
                    worst.put(q.seed(), drop);
                    at.put(q.seed(), q.iteration());
                }
            }
        }
        StringBuilder sb = new StringBuilder("Largest held-out drop between consecutive iterations:");
        worst.forEach(
                (s, d) -> sb.append(String.format(Locale.ROOT, " seed %d %.4f (iteration %d);", s, d, at.get(s))));
        return sb.toString();
    }

    private static void plotFamilies(
            Config config, Map<String, Summary> byGroup, Map<String, Double> msOf, double r0, Path file) {
        Plot plot = Plot.of(
                "NetAdapt vs width multipliers on " + config.task().name() + " ("
                        + config.seeds().size() + " seeds, error bars: std)",
                "measured latency (ms, batch 1, this machine)",
                "test top-1");
        for (String method : List.of("netadapt", "width")) {
            List<double[]> pts = new ArrayList<>();
            for (double b : config.budgets()) {
                Summary s = byGroup.get(group(method, b));
                Double ms = msOf.get(group(method, b));
                if (s != null && ms != null) {
                    pts.add(new double[] {ms, s.testMean(), s.testStd()});
                }
            }
            Summary st = byGroup.get("start");
            if (st != null) {
                pts.add(new double[] {r0, st.testMean(), st.testStd()});
            }
            pts.sort((p, q) -> Double.compare(p[0], q[0]));
            plot.series(
                    method.equals("width") ? "width multiplier" : "NetAdapt (long-term fine-tuned)",
                    pts.stream().mapToDouble(p -> p[0]).toArray(),
                    pts.stream().mapToDouble(p -> p[1]).toArray(),
                    pts.stream().mapToDouble(p -> p[2]).toArray(),
                    true);
        }
        plot.write(file);
    }

    private static void plotCurve(Config config, List<Point> curve, Path file) {
        Plot plot = Plot.of(
                "NetAdapt iterations: held-out top-1 after each short-term fine-tune",
                "measured latency (ms, batch 1, this machine)",
                "held-out top-1");
        for (long seed : config.seeds()) {
            List<Point> ps = curve.stream().filter(p -> p.seed() == seed).toList();
            plot.series(
                    "seed " + seed,
                    ps.stream().mapToDouble(Point::measuredMs).toArray(),
                    ps.stream().mapToDouble(Point::heldOutTop1).toArray(),
                    null,
                    true);
        }
        plot.write(file);
    }

    private static String extraMarkdown(List<Comparison> comparisons, List<Point> curve, Map<String, Double> msOf) {
        StringBuilder sb = new StringBuilder("## NetAdapt vs width multipliers (test top-1)\n\n");
        sb.append("| budget | NetAdapt | width multiplier | difference | seed spread |\n|---|---:|---:|---:|---:|\n");
        for (Comparison c : comparisons) {
            sb.append(String.format(
                    Locale.ROOT,
                    "| %s | %.4f | %.4f | %+.4f | %.4f |%n",
                    c.budget(),
                    c.methodMean(),
                    c.otherMean(),
                    c.difference(),
                    c.spread()));
        }
        sb.append("\n## Measured latency of the compared networks (ms)\n\n| network | ms |\n|---|---:|\n");
        msOf.forEach((g, ms) -> sb.append(String.format(Locale.ROOT, "| %s | %.3f |%n", g, ms)));
        sb.append("\n## Every iteration\n\n| seed | iteration | layer | filters | table ms | measured ms | held-out |\n"
                + "|---:|---:|---|---:|---:|---:|---:|\n");
        for (Point p : curve) {
            sb.append(String.format(
                    Locale.ROOT,
                    "| %d | %d | %s | %d | %.3f | %.3f | %.4f |%n",
                    p.seed(),
                    p.iteration(),
                    p.layer(),
                    p.channels(),
                    p.tableMs(),
                    p.measuredMs(),
                    p.heldOutTop1()));
        }
        sb.append("\n![accuracy vs latency](accuracy-vs-latency.png)\n\n![adaptation curve](adaptation-curve.png)\n");
        return sb.toString();
    }

    /** {@code --preset quick|full --out DIR --data DIR --parallel N}. */
    public static void main(String[] args) {
        ExperimentArgs.main(
                "NetAdaptExperiment",
                args,
                Path.of("docs/results/netadapt"),
                (a, out) -> run(a.preset().equals("quick")
                                ? Config.quick(out)
                                : Config.full(out, a.data(), a.parallel()))
                        .report());
    }
}
