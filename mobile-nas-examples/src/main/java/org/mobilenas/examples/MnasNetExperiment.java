package org.mobilenas.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mobilenas.core.engine.Network;
import org.mobilenas.core.engine.kernels.Parallel;
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
import org.mobilenas.core.latency.LatencyModel;
import org.mobilenas.core.search.Candidate;
import org.mobilenas.core.search.Controller;
import org.mobilenas.core.search.Evaluator;
import org.mobilenas.core.search.RandomSearch;
import org.mobilenas.core.search.RegularizedEvolution;
import org.mobilenas.core.search.RewardFunction;
import org.mobilenas.core.search.RlController;
import org.mobilenas.core.search.Search;
import org.mobilenas.core.search.SearchResult;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.latency.measure.JvmLatencyMeasurer;
import org.mobilenas.latency.measure.LatencyMeasurer;
import org.mobilenas.latency.measure.MeasuredLatencyModel;
import org.mobilenas.latency.table.Interpolation;
import org.mobilenas.latency.table.LatencyTable;
import org.mobilenas.latency.table.LatencyTableBuilder;
import org.mobilenas.latency.table.TableLatencyModel;
import org.mobilenas.onnx.OnnxExport;
import org.mobilenas.spaces.catalog.MobileNets;
import org.mobilenas.spaces.search.MnasNetSpace;
import org.mobilenas.spaces.search.Skeleton;

/**
 * MnasNet's claim on the proxy task: does a latency-aware search with the soft reward {@code ACC × (LAT/T)^w}
 * find networks above the Pareto front of the MobileNetV2 width family, at latencies this machine measures?
 *
 * <p>Steps: (1) a lookup table of this machine's layer latencies (batch 1, single-thread CPU-time clock when the
 * engine runs one thread) holding every layer of the MnasNet space ({@link MnasNetSpace#coveringNetworks()}) and
 * of the MobileNetV2 family; the target T is the table's latency
 * of the reference MobileNetV2; (2) the factorized hierarchical space (every op: regular conv, separable conv,
 * MBConv 3/6; kernels 3/5; SE 0/0.25; identity, pooling or no skip; filter multipliers; layer deltas) on
 * MobileNetV2's skeleton at the proxy task's input, searched by the RL controller (PPO), regularized evolution and
 * random search with the same number of proposals each, every candidate scored by a short proxy training on the
 * train split and evaluated on the held-out split; (3) the most accurate searched candidate near 0.5·T, T and
 * 1.5·T and the MobileNetV2 width closest to it in latency, each trained with the same schedule and several
 * seeds and evaluated on the test split; (4) report, comparisons and plots, and the trained searched networks as
 * ONNX models ({@code model.onnx}: the one nearest T; {@code onnx/}: every level). Every training and every search
 * candidate is journalled, so a killed run resumes without retraining.
 *
 * <pre>
 * scripts/run-example.sh MnasNetExperiment --preset full --parallel 2 --out docs/results/mnasnet
 * </pre>
 */
public final class MnasNetExperiment {
    private MnasNetExperiment() {}

    /** The controllers compared, in table order. */
    public static final List<String> CONTROLLERS = List.of("rl", "evolution", "random");

    /**
     * Settings of a run.
     *
     * @param preset            {@code quick} or {@code full}
     * @param task              the proxy task; its schedule (with {@code finalEpochs}) trains the final networks
     * @param spaceWidth        width multiplier of the searched skeleton
     * @param referenceWidth    width of the MobileNetV2 whose latency is the target T
     * @param familyWidths      MobileNetV2 widths the comparison may pick from
     * @param searchTrainImages training images of each candidate's proxy training
     * @param searchEpochs      epochs of each candidate's proxy training
     * @param searchBatchSize   batch size of each candidate's proxy training
     * @param searchLearningRate peak learning rate of each candidate's proxy training (no warm-up)
     * @param iterations        iterations of each search
     * @param batchSize         proposals per iteration (so every controller gets iterations × batchSize)
     * @param rlLearningRate    learning rate of the RL controller
     * @param population        population of regularized evolution
     * @param tournament        tournament size of regularized evolution
     * @param levels            latency levels (multiples of T) at which searched networks are picked
     * @param finalEpochs       epochs of the final trainings
     * @param seeds             seeds of every final network
     * @param searchSeed        seed of the searches and of the candidates' proxy training
     * @param replicaSeeds      further seeds of the RL and random searches, for the seed spread of their comparison
     *                          (the picks come from the {@code searchSeed} searches)
     * @param latencySamples    timed samples per latency measurement
     * @param out               output directory
     * @param parallel          trainings at once
     */
    public record Config(
            String preset,
            ProxyTask task,
            double spaceWidth,
            double referenceWidth,
            List<Double> familyWidths,
            int searchTrainImages,
            int searchEpochs,
            int searchBatchSize,
            double searchLearningRate,
            int iterations,
            int batchSize,
            double rlLearningRate,
            int population,
            int tournament,
            List<Double> levels,
            int finalEpochs,
            List<Long> seeds,
            long searchSeed,
            List<Long> replicaSeeds,
            int latencySamples,
            Path out,
            int parallel) {
        public Config {
            if (task == null || out == null) {
                throw new IllegalArgumentException("config.task and config.out are required");
            }
            if (familyWidths == null
                    || familyWidths.isEmpty()
                    || levels == null
                    || levels.isEmpty()
                    || seeds == null
                    || seeds.isEmpty()) {
                throw new IllegalArgumentException(
                        "config.familyWidths, config.levels and config.seeds: expected " + "non-empty lists");
            }
            if (!(spaceWidth > 0) || !(referenceWidth > 0)) {
                throw new IllegalArgumentException(
                        "config.spaceWidth " + spaceWidth + " and referenceWidth " + referenceWidth + ": expected > 0");
            }
            if (searchBatchSize < 2 || !(searchLearningRate > 0)) {
                throw new IllegalArgumentException("config.searchBatchSize " + searchBatchSize
                        + " (expected >= 2) and searchLearningRate " + searchLearningRate + " (expected > 0)");
            }
            if (searchTrainImages < 1
                    || searchEpochs < 1
                    || iterations < 1
                    || batchSize < 1
                    || finalEpochs < 1
                    || latencySamples < 1
                    || parallel < 1) {
                throw new IllegalArgumentException("config: searchTrainImages " + searchTrainImages
                        + ", searchEpochs " + searchEpochs + ", iterations " + iterations + ", batchSize "
                        + batchSize + ", finalEpochs " + finalEpochs + ", latencySamples " + latencySamples
                        + ", parallel " + parallel + ": expected all >= 1");
            }
            if (tournament < 1 || population < 2 || tournament > population) {
                throw new IllegalArgumentException("config.population " + population + " and tournament " + tournament
                        + ": expected population >= 2 and 1 <= tournament <= population");
            }
            if (!(rlLearningRate > 0)) {
                throw new IllegalArgumentException("config.rlLearningRate " + rlLearningRate + ": expected > 0");
            }
            if (replicaSeeds == null || replicaSeeds.contains(searchSeed)) {
                throw new IllegalArgumentException("config.replicaSeeds " + replicaSeeds + ": expected a list (may be "
                        + "empty) without the searchSeed " + searchSeed);
            }
            replicaSeeds = List.copyOf(replicaSeeds);
            familyWidths = List.copyOf(familyWidths);
            levels = List.copyOf(levels);
            seeds = List.copyOf(seeds);
        }

        /**
         * The published run: Fashion-MNIST, the space on MobileNetV2's skeleton at width 0.25 downsampling by 16,
         * T = latency of MobileNetV2-0.25 of the same layout, 6 iterations of 8 proposals per controller, each
         * candidate trained 1 epoch on 5,000 images (batch 32, learning rate 0.05), and the RL and random searches
         * repeated with seed 7; the picks and their MobileNetV2 matches trained 3 epochs of
         * the proxy schedule with seeds 1 and 2.
         */
        public static Config full(Path out, Path data, int parallel) {
            ProxyTask t = ProxyTask.fashionMnist();
            return new Config(
                    "full",
                    data == null ? t : t.withData(data),
                    0.25,
                    0.25,
                    widths(0.15, 0.6),
                    5000,
                    1,
                    32,
                    0.05,
                    6,
                    8,
                    0.02,
                    16,
                    4,
                    List.of(0.5, 1.0, 1.5),
                    3,
                    List.of(1L, 2L),
                    42,
                    List.of(7L),
                    11,
                    out,
                    parallel);
        }

        /** About a minute: the quick synthetic task, 2 iterations of 3 proposals per controller, 1 final epoch. */
        public static Config quick(Path out) {
            return new Config(
                    "quick",
                    ProxyTask.quick(),
                    0.25,
                    0.25,
                    widths(0.15, 0.6),
                    384,
                    2,
                    32,
                    0.05,
                    2,
                    3,
                    0.02,
                    4,
                    2,
                    List.of(0.5, 1.0, 1.5),
                    2,
                    List.of(1L, 2L),
                    42,
                    List.of(7L),
                    3,
                    out,
                    1);
        }

        private static List<Double> widths(double from, double to) {
            List<Double> w = new ArrayList<>();
            for (int i = 0; from + 0.05 * i <= to + 1e-9; i++) {
                w.add(Math.round((from + 0.05 * i) * 100) / 100.0);
            }
            return w;
        }
    }

    /**
     * A searched network chosen for the final comparison.
     *
     * @param level      the latency level (multiple of T)
     * @param targetMs   level × T
     * @param window     relative window around the level the candidate was found in
     * @param controller the search that proposed it
     * @param candidate  the candidate (proxy accuracy, table latency)
     * @param match      the MobileNetV2 width closest to it in table latency
     * @param matchMs    that network's table latency
     */
    public record Pick(
            double level,
            double targetMs,
            double window,
            String controller,
            Candidate candidate,
            double match,
            double matchMs) {}

    /**
     * How one search went.
     *
     * @param controller       controller name
     * @param seed             search seed
     * @param proposals        proposals made (iterations × batch size)
     * @param evaluated        distinct candidates trained
     * @param failures         candidates that failed
     * @param bestReward       best reward found
     * @param bestAccuracy     proxy accuracy of the best-reward candidate
     * @param bestLatencyMs    table latency of the best-reward candidate
     * @param meanRewardByIter mean reward of each iteration's batch
     * @param firstHalfReward  mean reward of the first half of the iterations
     * @param secondHalfReward mean reward of the second half
     * @param nearTarget       fraction of candidates within ±10 % of T
     * @param seconds          wall time of the search in this run (0 when replayed from the journal)
     */
    public record SearchSummary(
            String controller,
            long seed,
            int proposals,
            int evaluated,
            long failures,
            double bestReward,
            double bestAccuracy,
            double bestLatencyMs,
            List<Double> meanRewardByIter,
            double firstHalfReward,
            double secondHalfReward,
            double nearTarget,
            double seconds) {}

    public static void main(String[] args) {
        if (System.getProperty("mobilenas.threads") == null) {
            // Before the engine first reads it: one kernel thread per training, and the CPU-time latency clock.
            System.setProperty("mobilenas.threads", "1");
        }
        ExperimentArgs.main(
                "MnasNetExperiment",
                args,
                Path.of("target", "mnasnet"),
                (a, out) ->
                        run(a.preset().equals("quick") ? Config.quick(out) : Config.full(out, a.data(), a.parallel())));
    }

    /** Runs (or resumes) the experiment and writes its report and plots into {@code config.out()}. */
    public static ExperimentReport run(Config config) {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        ProxyData data = config.task().load();
        int classes = data.train().numClasses();
        int res = config.task().resolution();
        int ch = config.task().channels();
        Path out = config.out();
        Skeleton skeleton =
                Skeleton.mobileNetV2(res, classes, 2, 1).withInputChannels(ch).withWidth(config.spaceWidth());
        MnasNetSpace space = MnasNetSpace.builder(skeleton)
                .name("mnasnet_os16_" + config.spaceWidth())
                .build();
        Map<Double, NetworkSpec> family = new LinkedHashMap<>();
        for (double w : config.familyWidths()) {
            family.put(w, MobileNets.mobileNetV2(w, res, classes, 2, 1).withInputChannels(ch));
        }
        NetworkSpec reference = MobileNets.mobileNetV2(config.referenceWidth(), res, classes, 2, 1)
                .withInputChannels(ch);

        // (1) this machine's lookup table and the target
        boolean cpuClock = Parallel.threads() == 1;
        LatencyMeasurer measurer = JvmLatencyMeasurer.forEngine(config.latencySamples());
        List<NetworkSpec> fixed = new ArrayList<>(family.values());
        fixed.add(reference);
        fixed.addAll(space.coveringNetworks());
        System.out.printf(
                Locale.ROOT,
                "MnasNet experiment (%s): measuring the latency table (%s clock)%n",
                config.preset(),
                cpuClock ? "thread CPU-time" : "wall");
        LatencyTable table = LatencyTableBuilder.with(measurer)
                .specs(fixed)
                .file(out.resolve("latency-table.json"))
                .progress(false)
                .build();
        TableLatencyModel latency = TableLatencyModel.builder(table)
                .interpolation(Interpolation.CHANNELS)
                .build();
        double targetMs = latency.predictMs(reference);
        RewardFunction reward = RewardFunction.soft(targetMs);
        System.out.printf(
                Locale.ROOT,
                "table: %d keys; T = %.4f ms (%s); reward %s%n",
                table.size(),
                targetMs,
                reference.name(),
                reward);

        // (2) three searches with the same number of proposals, scored by the same proxy training
        ProxyTask searchTask = config.task()
                .withTrainImages(config.searchTrainImages())
                .withEpochs(config.searchEpochs())
                .withBatchSize(config.searchBatchSize())
                .withLearningRate(config.searchLearningRate(), 0);
        ExperimentRunner searchRunner = ExperimentRunner.builder(searchTask.load())
                .task(searchTask)
                .directory(out.resolve("search"))
                .parallelism(config.parallel())
                .progress(false)
                .build();
        Evaluator evaluator = searchRunner.evaluator("candidate", config.searchSeed());
        Map<String, SearchResult> searches = new LinkedHashMap<>();
        List<SearchSummary> searchSummaries = new ArrayList<>();
        for (String name : CONTROLLERS) {
            searches.put(
                    name,
                    search(
                            name,
                            config.searchSeed(),
                            config,
                            space,
                            reward,
                            latency,
                            evaluator,
                            targetMs,
                            searchSummaries));
        }
        for (long seed : config.replicaSeeds()) {
            for (String name : List.of("rl", "random")) {
                search(name, seed, config, space, reward, latency, evaluator, targetMs, searchSummaries);
            }
        }

        // (3) picks near each level and their MobileNetV2 matches, trained alike
        List<Pick> picks = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (double level : config.levels()) {
            Pick p = pick(level, targetMs, searches, family, latency);
            if (p == null) {
                notes.add(String.format(
                        Locale.ROOT,
                        "No searched candidate within ±35 %% of %.1f·T (%.4f ms).",
                        level,
                        level * targetMs));
            } else {
                picks.add(p);
            }
        }
        List<Job> jobs = new ArrayList<>();
        for (long seed : config.seeds()) {
            for (Pick p : picks) {
                jobs.add(new Job(
                        group("searched", p.level()), space.decode(p.candidate().toGenotype()), seed));
                jobs.add(new Job(group("mobilenetv2", p.level()), family.get(p.match()), seed));
            }
        }
        ExperimentRunner finalRunner = ExperimentRunner.builder(data)
                .task(config.task().withEpochs(config.finalEpochs()))
                .directory(out.resolve("final"))
                .parallelism(config.parallel())
                .saveNetworks(true)
                .progress(true)
                .build();
        List<JobResult> results = finalRunner.run(jobs);
        // the trained searched networks, ready for deployment (model.onnx: the one nearest T, first seed)
        for (Job j : jobs) {
            if (j.group().startsWith("searched")
                    && j.seed() == config.seeds().get(0)
                    && Files.exists(finalRunner.networkFile(j))) {
                Network trained = Network.load(finalRunner.networkFile(j));
                String level = j.group().substring("searched ".length());
                OnnxExport.write(trained, out.resolve("onnx").resolve("searched-" + level + ".onnx"));
                if (level.equals("1.0T")) {
                    OnnxExport.write(trained, out.resolve("model.onnx"));
                }
            }
        }

        // (4) measured latency of the final networks, comparisons, plots, report
        MeasuredLatencyModel measured = MeasuredLatencyModel.of(measurer);
        Map<String, Double> tableMs = new LinkedHashMap<>();
        Map<String, Double> measuredMs = new LinkedHashMap<>();
        for (Job j : jobs) {
            if (!tableMs.containsKey(j.group())) {
                tableMs.put(j.group(), latency.predictMs(j.spec()));
                measuredMs.put(j.group(), measured.predictMs(j.spec()));
            }
        }
        Map<String, Summary> byGroup = new LinkedHashMap<>();
        Summary.of(results).forEach(s -> byGroup.put(s.group(), s));
        List<Comparison> comparisons = new ArrayList<>();
        List<String> verdicts = new ArrayList<>();
        for (Pick p : picks) {
            Summary a = byGroup.get(group("searched", p.level()));
            Summary b = byGroup.get(group("mobilenetv2", p.level()));
            if (a == null || b == null) {
                continue;
            }
            Comparison c = Comparison.of(
                    String.format(Locale.ROOT, "%.1f·T", p.level()),
                    "searched",
                    a,
                    "MobileNetV2-" + p.match(),
                    b,
                    false);
            comparisons.add(c);
            double ta = tableMs.get(group("searched", p.level()));
            double tb = tableMs.get(group("mobilenetv2", p.level()));
            String mismatch = Math.abs(tb / ta - 1) <= 0.1
                    ? ""
                    : String.format(
                            Locale.ROOT,
                            " The width family has "
                                    + "no network this fast: its nearest width runs %.0f %% %s in the table, so this is not a "
                                    + "comparison at equal latency.",
                            100 * Math.abs(tb / ta - 1),
                            tb > ta ? "slower" : "faster");
            verdicts.add(c.verdict()
                    + String.format(
                            Locale.ROOT,
                            " Table latency %.4f vs %.4f ms, measured %.4f vs" + " %.4f ms; MACs %.2f vs %.2f M.%s",
                            ta,
                            tb,
                            measuredMs.get(group("searched", p.level())),
                            measuredMs.get(group("mobilenetv2", p.level())),
                            a.macs() / 1e6,
                            b.macs() / 1e6,
                            mismatch));
        }
        for (SearchSummary s : searchSummaries) {
            verdicts.add(String.format(
                    Locale.ROOT,
                    "Search %s (seed %d): %d proposals, %d distinct candidates "
                            + "trained, best reward %.4f (proxy top-1 %.4f at %.4f ms); mean reward first half %.4f, "
                            + "second half %.4f; %.0f %% of candidates within ±10 %% of T.",
                    s.controller(),
                    s.seed(),
                    s.proposals(),
                    s.evaluated(),
                    s.bestReward(),
                    s.bestAccuracy(),
                    s.bestLatencyMs(),
                    s.firstHalfReward(),
                    s.secondHalfReward(),
                    100 * s.nearTarget()));
        }
        Map<String, Object> rlVsRandom = rlVsRandom(searchSummaries);
        if (rlVsRandom.get("verdict") instanceof String v) {
            verdicts.add(v);
        }
        verdicts.addAll(notes);

        // does the proxy score rank the fully trained networks? (the MobileNetV2 matches get the proxy too)
        List<NetworkSpec> matchSpecs = new ArrayList<>();
        for (Pick p : picks) {
            matchSpecs.add(family.get(p.match()));
        }
        List<org.mobilenas.core.search.Outcome> matchProxy = evaluator.evaluate(matchSpecs);
        List<double[]> proxyVsFinal = new ArrayList<>();
        for (int i = 0; i < picks.size(); i++) {
            Summary a = byGroup.get(group("searched", picks.get(i).level()));
            Summary b = byGroup.get(group("mobilenetv2", picks.get(i).level()));
            if (a != null) {
                proxyVsFinal.add(new double[] {picks.get(i).candidate().accuracy(), a.testMean()});
            }
            if (b != null && matchProxy.get(i).succeeded()) {
                proxyVsFinal.add(new double[] {matchProxy.get(i).accuracy(), b.testMean()});
            }
        }
        double proxyRho = proxyVsFinal.size() >= 3
                ? new org.apache.commons.math3.stat.correlation.SpearmansCorrelation()
                        .correlation(
                                proxyVsFinal.stream().mapToDouble(q -> q[0]).toArray(),
                                proxyVsFinal.stream().mapToDouble(q -> q[1]).toArray())
                : Double.NaN;
        verdicts.add(String.format(
                Locale.ROOT,
                "Proxy score vs final test top-1 over the %d fully trained networks "
                        + "(searched picks and their MobileNetV2 matches, each scored by the same proxy training): Spearman "
                        + "%.2f.",
                proxyVsFinal.size(),
                proxyRho));
        long wins = comparisons.stream().filter(Comparison::clearWin).count();
        long losses = comparisons.stream().filter(Comparison::clearLoss).count();
        verdicts.add(String.format(
                Locale.ROOT,
                "Overall: the searched networks are ahead of the MobileNetV2 width "
                        + "family in %d of %d comparisons at matching latency, clearly (by more than twice the seed "
                        + "spread) in %d, clearly behind in %d; %d seeds per network.",
                comparisons.stream().filter(c -> c.difference() > 0).count(),
                comparisons.size(),
                wins,
                losses,
                config.seeds().size()));

        plotRewards(config, searchSummaries, out.resolve("reward-per-iteration.png"));
        for (Map.Entry<String, SearchResult> e : searches.entrySet()) {
            plotCandidates(
                    e.getKey(),
                    e.getValue(),
                    targetMs,
                    config.iterations(),
                    out.resolve("candidates-" + e.getKey() + ".png"));
        }
        plotPareto(config, picks, byGroup, tableMs, targetMs, out.resolve("pareto.png"));

        Map<String, Object> findings = new LinkedHashMap<>();
        findings.put("space", space.toString());
        findings.put("reference", reference.name());
        findings.put("targetMs", targetMs);
        findings.put("referenceMeasuredMs", measured.predictMs(reference));
        findings.put("reward", reward.toString());
        findings.put(
                "latencyTable",
                Map.of(
                        "keys",
                        table.size(),
                        "device",
                        table.device().name(),
                        "clock",
                        cpuClock ? "thread-cpu" : "wall",
                        "interpolation",
                        "channels"));
        findings.put("searchTask", searchTask.settings());
        findings.put("searches", searchSummaries);
        findings.put("rlVsRandom", rlVsRandom);
        findings.put(
                "proxyVsFinal", Map.of("networks", proxyVsFinal.size(), "spearman", proxyRho, "points", proxyVsFinal));
        findings.put("picks", picks);
        findings.put("tableLatencyMs", tableMs);
        findings.put("measuredLatencyMs", measuredMs);
        findings.put("comparisons", comparisons);
        findings.put("finalEpochs", config.finalEpochs());
        double wall = (System.nanoTime() - t0) / 1e9;
        Map<String, String> settings = new LinkedHashMap<>(config.task().settings());
        settings.put("finalEpochs", String.valueOf(config.finalEpochs()));
        ExperimentReport report = ExperimentReport.of(
                Provenance.of("mnasnet", config.preset(), settings, config.seeds(), started, wall),
                results,
                findings,
                verdicts);
        report.write(
                out,
                "MnasNet: latency-aware search vs the MobileNetV2 width family",
                extraMarkdown(config, targetMs, reference, searchSummaries, picks, tableMs, measuredMs));
        return report;
    }

    static String group(String method, double level) {
        return String.format(Locale.ROOT, "%s %.1fT", method, level);
    }

    /**
     * RL against random search on the best reward each found, over the search seeds both ran with: means, sample
     * standard deviations and the verdict relative to the seed spread.
     */
    static Map<String, Object> rlVsRandom(List<SearchSummary> summaries) {
        double[] rl = summaries.stream()
                .filter(s -> s.controller().equals("rl"))
                .mapToDouble(SearchSummary::bestReward)
                .toArray();
        double[] random = summaries.stream()
                .filter(s -> s.controller().equals("random"))
                .mapToDouble(SearchSummary::bestReward)
                .toArray();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rlBestRewards", rl);
        out.put("randomBestRewards", random);
        if (rl.length == 0 || random.length == 0) {
            return out;
        }
        double mr = Summary.mean(rl);
        double mq = Summary.mean(random);
        double sr = rl.length > 1 ? Summary.std(rl) : 0;
        double sq = random.length > 1 ? Summary.std(random) : 0;
        double spread = Math.sqrt((sr * sr + sq * sq) / 2);
        double diff = mr - mq;
        String how = rl.length < 2
                ? "(one seed each, so no spread to judge against)"
                : Math.abs(diff) > 2 * spread
                        ? (diff > 0 ? "RL beats random search clearly" : "RL loses to random " + "search clearly")
                        : (diff > 0
                                ? "RL is ahead of random search, but within the seed spread"
                                : "RL is behind random search, but within the seed spread");
        out.put("difference", diff);
        out.put("spread", spread);
        out.put(
                "verdict",
                String.format(
                        Locale.ROOT,
                        "RL vs random search at equal budget (best reward over %d "
                                + "seeds): RL %.4f ± %.4f vs random %.4f ± %.4f: %s (difference %+.4f, seed spread %.4f).",
                        rl.length,
                        mr,
                        sr,
                        mq,
                        sq,
                        how,
                        diff,
                        spread));
        return out;
    }

    /** Runs (or replays from its journal) one search and adds its summary to {@code summaries}. */
    static SearchResult search(
            String name,
            long seed,
            Config config,
            MnasNetSpace space,
            RewardFunction reward,
            LatencyModel latency,
            Evaluator evaluator,
            double targetMs,
            List<SearchSummary> summaries) {
        Controller controller = switch (name) {
            case "rl" ->
                RlController.builder().learningRate(config.rlLearningRate()).build();
            case "evolution" ->
                RegularizedEvolution.builder()
                        .population(config.population())
                        .sampleSize(config.tournament())
                        .build();
            default -> new RandomSearch();
        };
        String file = seed == config.searchSeed() ? "search-" + name : "search-" + name + "-seed" + seed;
        Search search = Search.builder(space)
                .controller(controller)
                .reward(reward)
                .latency(latency)
                .evaluator(evaluator)
                .batchSize(config.batchSize())
                .journal(config.out().resolve(file + ".jsonl"))
                .seed(seed)
                .build();
        List<Double> meanReward = new ArrayList<>();
        long s0 = System.nanoTime();
        int[] fresh = {0};
        search.stream().limit(config.iterations()).forEach(step -> {
            meanReward.add(step.meanReward());
            fresh[0] += step.newEvaluations();
            System.out.printf(
                    Locale.ROOT,
                    "%-9s seed %d iteration %d/%d: mean reward %.4f, best %s%s%n",
                    name,
                    seed,
                    step.iteration() + 1,
                    config.iterations(),
                    step.meanReward(),
                    step.best() == null
                            ? "none"
                            : String.format(
                                    Locale.ROOT,
                                    "%.4f (top-1 %.4f at %.4f ms)",
                                    step.best().reward(),
                                    step.best().accuracy(),
                                    step.best().latencyMs()),
                    step.replayed() ? " (from the journal)" : "");
        });
        SearchResult r = search.result();
        r.writeJson(config.out().resolve(file + ".json"));
        summaries.add(summarize(
                name, seed, config, r, meanReward, targetMs, fresh[0] == 0 ? 0 : (System.nanoTime() - s0) / 1e9));
        return r;
    }

    private static SearchSummary summarize(
            String name,
            long seed,
            Config config,
            SearchResult r,
            List<Double> meanReward,
            double targetMs,
            double seconds) {
        List<Candidate> ok =
                r.candidates().stream().filter(Candidate::succeeded).toList();
        Candidate best =
                ok.stream().max(Comparator.comparingDouble(Candidate::reward)).orElse(null);
        int half = meanReward.size() / 2;
        double first = meanReward.subList(0, Math.max(1, half)).stream()
                .mapToDouble(d -> d)
                .average()
                .orElse(0);
        double second = meanReward.subList(half, meanReward.size()).stream()
                .mapToDouble(d -> d)
                .average()
                .orElse(0);
        double near = ok.stream()
                        .filter(c -> Math.abs(c.latencyMs() / targetMs - 1) <= 0.1)
                        .count()
                / (double) Math.max(1, ok.size());
        return new SearchSummary(
                name,
                seed,
                config.iterations() * config.batchSize(),
                r.candidates().size(),
                r.failures(),
                best == null ? 0 : best.reward(),
                best == null ? Double.NaN : best.accuracy(),
                best == null ? Double.NaN : best.latencyMs(),
                meanReward,
                first,
                second,
                near,
                seconds);
    }

    /**
     * The most accurate successful candidate (by proxy accuracy) of any search within ±10 % of {@code level·T},
     * widening to ±20 % and ±35 % when none is there; its MobileNetV2 match is the family width closest in table
     * latency.
     */
    static Pick pick(
            double level,
            double targetMs,
            Map<String, SearchResult> searches,
            Map<Double, NetworkSpec> family,
            TableLatencyModel latency) {
        double at = level * targetMs;
        for (double window : new double[] {0.10, 0.20, 0.35}) {
            Candidate best = null;
            String by = null;
            for (Map.Entry<String, SearchResult> e : searches.entrySet()) {
                for (Candidate c : e.getValue().candidates()) {
                    if (c.succeeded()
                            && c.latencyMs() != null
                            && Math.abs(c.latencyMs() / at - 1) <= window
                            && (best == null || c.accuracy() > best.accuracy())) {
                        best = c;
                        by = e.getKey();
                    }
                }
            }
            if (best != null) {
                double match = Double.NaN;
                double matchMs = Double.NaN;
                for (Map.Entry<Double, NetworkSpec> f : family.entrySet()) {
                    double ms = latency.predictMs(f.getValue());
                    if (Double.isNaN(match)
                            || Math.abs(Math.log(ms / best.latencyMs()))
                                    < Math.abs(Math.log(matchMs / best.latencyMs()))) {
                        match = f.getKey();
                        matchMs = ms;
                    }
                }
                return new Pick(level, at, window, by, best, match, matchMs);
            }
        }
        return null;
    }

    private static void plotRewards(Config config, List<SearchSummary> summaries, Path file) {
        Plot plot = Plot.of(
                "Mean reward per iteration (" + config.batchSize() + " proposals each)",
                "iteration",
                "mean reward ACC·(LAT/T)^w");
        for (SearchSummary s : summaries) {
            double[] x = new double[s.meanRewardByIter().size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = i + 1;
            }
            plot.series(
                    s.controller() + " (seed " + s.seed() + ")",
                    x,
                    s.meanRewardByIter().stream().mapToDouble(d -> d).toArray(),
                    null,
                    true);
        }
        plot.write(file);
    }

    private static void plotCandidates(String controller, SearchResult r, double targetMs, int iterations, Path file) {
        Plot plot = Plot.of(
                "Candidates of the " + controller + " search (T = " + String.format(Locale.ROOT, "%.3f", targetMs)
                        + " ms)",
                "table latency (ms, batch 1, this machine)",
                "proxy held-out top-1");
        int parts = Math.min(3, iterations);
        for (int k = 0; k < parts; k++) {
            int from = k * iterations / parts;
            int to = (k + 1) * iterations / parts;
            List<Candidate> cs = r.candidates().stream()
                    .filter(Candidate::succeeded)
                    .filter(c -> c.iteration() >= from && c.iteration() < to)
                    .toList();
            plot.series(
                    String.format(Locale.ROOT, "iterations %d-%d", from + 1, to),
                    cs.stream().mapToDouble(Candidate::latencyMs).toArray(),
                    cs.stream().mapToDouble(Candidate::accuracy).toArray(),
                    null,
                    false);
        }
        plot.write(file);
    }

    private static void plotPareto(
            Config config,
            List<Pick> picks,
            Map<String, Summary> byGroup,
            Map<String, Double> tableMs,
            double targetMs,
            Path file) {
        Plot plot = Plot.of(
                String.format(
                        Locale.ROOT,
                        "Searched vs MobileNetV2 widths (%d seeds, error bars: std; " + "T = %.3f ms)",
                        config.seeds().size(),
                        targetMs),
                "table latency (ms, batch 1, this machine)",
                "test top-1");
        for (String method : List.of("searched", "mobilenetv2")) {
            List<double[]> pts = new ArrayList<>();
            for (Pick p : picks) {
                Summary s = byGroup.get(group(method, p.level()));
                if (s != null) {
                    pts.add(new double[] {tableMs.get(group(method, p.level())), s.testMean(), s.testStd()});
                }
            }
            pts.sort(Comparator.comparingDouble(q -> q[0]));
            plot.series(
                    method.equals("searched") ? "searched (MnasNet space)" : "MobileNetV2 width family",
                    pts.stream().mapToDouble(q -> q[0]).toArray(),
                    pts.stream().mapToDouble(q -> q[1]).toArray(),
                    pts.stream().mapToDouble(q -> q[2]).toArray(),
                    true);
        }
        plot.write(file);
    }

    private static String extraMarkdown(
            Config config,
            double targetMs,
            NetworkSpec reference,
            List<SearchSummary> searches,
            List<Pick> picks,
            Map<String, Double> tableMs,
            Map<String, Double> measuredMs) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                Locale.ROOT,
                "Target T = %.4f ms: the lookup table's latency of %s. Soft reward "
                        + "ACC·(LAT/T)^-0.07. Each controller made %d proposals (%d iterations × %d); every candidate "
                        + "was trained %d epoch(s) on %d images of the train split (batch %d, learning rate %.3g) and scored on "
                        + "the held-out split. "
                        + "The final networks were trained %d epochs of the proxy schedule (the preset's 12 epochs "
                        + "for %d networks × %d seeds do not fit the time budget).%n%n",
                targetMs,
                reference.name(),
                config.iterations() * config.batchSize(),
                config.iterations(),
                config.batchSize(),
                config.searchEpochs(),
                config.searchTrainImages(),
                config.searchBatchSize(),
                config.searchLearningRate(),
                config.finalEpochs(),
                2 * picks.size(),
                config.seeds().size()));
        sb.append("## Searches\n\n| controller | seed | proposals | trained | failed | best reward | its proxy top-1 "
                + "| its latency (ms) | mean reward, first half | second half | within ±10 % of T |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (SearchSummary s : searches) {
            sb.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %d | %d | %d | %.4f | %.4f | %.4f | %.4f | %.4f | %.0f %% " + "|%n",
                    s.controller(),
                    s.seed(),
                    s.proposals(),
                    s.evaluated(),
                    s.failures(),
                    s.bestReward(),
                    s.bestAccuracy(),
                    s.bestLatencyMs(),
                    s.firstHalfReward(),
                    s.secondHalfReward(),
                    100 * s.nearTarget()));
        }
        sb.append("\n![reward per iteration](reward-per-iteration.png)\n\n");
        for (String c : CONTROLLERS) {
            sb.append("![candidates ")
                    .append(c)
                    .append("](candidates-")
                    .append(c)
                    .append(".png)\n");
        }
        sb.append("\n## Picks\n\n| level | target (ms) | window | found by | candidate | proxy top-1 | "
                + "MobileNetV2 match | table ms (searched / match) | measured ms (searched / match) |\n"
                + "|---|---:|---:|---|---|---:|---|---|---|\n");
        for (Pick p : picks) {
            String a = group("searched", p.level());
            String b = group("mobilenetv2", p.level());
            sb.append(String.format(
                    Locale.ROOT,
                    "| %.1f·T | %.4f | ±%.0f %% | %s | `%s` | %.4f | width %s | %.4f / " + "%.4f | %.4f / %.4f |%n",
                    p.level(),
                    p.targetMs(),
                    100 * p.window(),
                    p.controller(),
                    p.candidate().genotype(),
                    p.candidate().accuracy(),
                    p.match(),
                    tableMs.getOrDefault(a, Double.NaN),
                    tableMs.getOrDefault(b, Double.NaN),
                    measuredMs.getOrDefault(a, Double.NaN),
                    measuredMs.getOrDefault(b, Double.NaN)));
        }
        sb.append("\n![pareto](pareto.png)\n");
        return sb.toString();
    }
}
