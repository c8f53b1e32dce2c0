package org.mobilenas.examples;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.mobilenas.core.data.ImageDataset;
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
import org.mobilenas.core.io.Hashing;
import org.mobilenas.core.json.Json;
import org.mobilenas.core.ofa.AccuracyPredictor;
import org.mobilenas.core.ofa.AccuracySample;
import org.mobilenas.core.ofa.ElasticSpace;
import org.mobilenas.core.ofa.ElasticSupernet;
import org.mobilenas.core.ofa.EvolutionResult;
import org.mobilenas.core.ofa.EvolutionSearch;
import org.mobilenas.core.ofa.PhaseResult;
import org.mobilenas.core.ofa.PredictorReport;
import org.mobilenas.core.ofa.ProgressiveShrinking;
import org.mobilenas.core.ofa.ShrinkingPhase;
import org.mobilenas.core.ofa.ShrinkingResult;
import org.mobilenas.core.ofa.SubnetConfig;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.train.Evaluation;
import org.mobilenas.latency.measure.JvmLatencyMeasurer;
import org.mobilenas.latency.measure.LatencyMeasurer;
import org.mobilenas.latency.table.Interpolation;
import org.mobilenas.latency.table.LatencyTable;
import org.mobilenas.latency.table.LatencyTableBuilder;
import org.mobilenas.latency.table.TableLatencyModel;
import org.mobilenas.onnx.OnnxExport;
import org.mobilenas.spaces.catalog.MobileNets;
import org.mobilenas.spaces.ofa.OfaSpaces;

/**
 * Once-for-All's claim on the proxy task: does a subnet specialized for a latency budget, taken from a supernet
 * trained once by progressive shrinking, match the same architecture trained from scratch, and the MobileNetV3
 * width family at the same latency?
 *
 * <p>Steps: (1) this machine's latency lookup table holding every layer of the small-input OFA MobileNetV3 space
 * ({@link ElasticSpace#coveringConfigs()}) and of the MobileNetV3 family of the same layout (batch 1, single-thread CPU-time clock); the budgets lie between the smallest and the
 * largest subnet's latency; (2) progressive shrinking on the full train split (full network, then elastic kernel,
 * depth and expand, distilling from the full network), checkpointed after every phase — meanwhile, on the other
 * core, the MobileNetV3 widths nearest each budget are trained from scratch; (3) subnets sampled at random,
 * BN-recalibrated and measured on the held-out split (journalled), an accuracy predictor fitted on three quarters
 * of them and checked on the rest (RMSE, Spearman); (4) per budget, evolution on the predictor picks a subnet —
 * timed, no training — which is evaluated as extracted, after a short fine-tune, and against the same
 * architecture trained from scratch with several seeds, and written as an ONNX model ({@code onnx/}; {@code
 * model.onnx} for the middle budget); (5) report and plot.
 *
 * <pre>
 * scripts/run-example.sh OfaExperiment --preset full --parallel 2 --out docs/results/ofa
 * </pre>
 */
public final class OfaExperiment {
    private OfaExperiment() {}

    /**
     * Settings of a run.
     *
     * @param preset            {@code quick} or {@code full}
     * @param task              the proxy task (data, schedule of the from-scratch and family trainings)
     * @param width             width multiplier of the small-input OFA MobileNetV3 space
     * @param resolutions       input resolutions of the space
     * @param phaseEpochs       epochs of the six shrinking phases (full, kernel, depth-1, depth-2, expand-1, expand-2)
     * @param maxStepsPerEpoch  steps per shrinking epoch at most
     * @param shrinkBatchSize   batch size of progressive shrinking
     * @param baseLr            learning rate of the full phase (the others are the paper's fractions of it)
     * @param calibrationImages training images that recalibrate BN of an extracted subnet
     * @param predictorSamples  subnets measured for the predictor
     * @param sampleImages      held-out images each predictor sample is measured on
     * @param budgets           latency budgets as fractions of the way from the smallest to the largest subnet
     * @param population        evolution population
     * @param generations       evolution generations
     * @param fineTuneEpochs    epochs of the short fine-tune of each specialized subnet
     * @param fineTuneLr        learning rate of that fine-tune
     * @param scratchEpochs     epochs of the from-scratch and MobileNetV3 trainings (the proxy schedule's shape)
     * @param seeds             seeds of the trained networks
     * @param seed              seed of the supernet, sampling, predictor and evolution
     * @param latencySamples    timed samples per latency measurement
     * @param out               output directory
     * @param parallel          trainings at once
     */
    public record Config(
            String preset,
            ProxyTask task,
            double width,
            List<Integer> resolutions,
            List<Integer> phaseEpochs,
            int maxStepsPerEpoch,
            int shrinkBatchSize,
            double baseLr,
            int calibrationImages,
            int predictorSamples,
            int sampleImages,
            List<Double> budgets,
            int population,
            int generations,
            int fineTuneEpochs,
            double fineTuneLr,
            int scratchEpochs,
            List<Long> seeds,
            long seed,
            int latencySamples,
            Path out,
            int parallel) {
        public Config {
            if (task == null || out == null) {
                throw new IllegalArgumentException("config.task and config.out are required");
            }
            if (resolutions == null
                    || resolutions.isEmpty()
                    || budgets == null
                    || budgets.isEmpty()
                    || seeds == null
                    || seeds.isEmpty()) {
                throw new IllegalArgumentException(
                        "config.resolutions, config.budgets and config.seeds: expected " + "non-empty lists");
            }
            if (phaseEpochs == null
                    || phaseEpochs.size() != 6
                    || phaseEpochs.stream().anyMatch(e -> e < 1)) {
                throw new IllegalArgumentException("config.phaseEpochs " + phaseEpochs + ": expected 6 values >= 1 "
                        + "(full, kernel, depth-1, depth-2, expand-1, expand-2)");
            }
            for (double b : budgets) {
                if (!(b > 0 && b < 1)) {
                    throw new IllegalArgumentException("config.budgets contains " + b + ": expected fractions in "
                            + "(0, 1) of the way from the smallest to the largest subnet");
                }
            }
            if (!(width > 0) || !(baseLr > 0) || !(fineTuneLr > 0)) {
                throw new IllegalArgumentException("config.width " + width + ", baseLr " + baseLr + ", fineTuneLr "
                        + fineTuneLr + ": expected > 0");
            }
            if (maxStepsPerEpoch < 1
                    || shrinkBatchSize < 2
                    || calibrationImages < 2
                    || predictorSamples < 8
                    || sampleImages < 1
                    || population < 4
                    || generations < 1
                    || fineTuneEpochs < 1
                    || scratchEpochs < 1
                    || latencySamples < 1
                    || parallel < 1) {
                throw new IllegalArgumentException("config: maxStepsPerEpoch " + maxStepsPerEpoch
                        + ", shrinkBatchSize " + shrinkBatchSize + " (>= 2), calibrationImages " + calibrationImages
                        + " (>= 2), predictorSamples " + predictorSamples + " (>= 8), sampleImages " + sampleImages
                        + ", population " + population + " (>= 4), generations " + generations + ", fineTuneEpochs "
                        + fineTuneEpochs + ", scratchEpochs " + scratchEpochs + ", latencySamples " + latencySamples
                        + ", parallel " + parallel + ": expected >= 1");
            }
            resolutions = List.copyOf(resolutions);
            phaseEpochs = List.copyOf(phaseEpochs);
            budgets = List.copyOf(budgets);
            seeds = List.copyOf(seeds);
        }

        /**
         * The biggest run that fits about two hours here: Fashion-MNIST, the space at width 0.25 and 20/24/28 px;
         * shrinking with batch 128 over whole epochs of the train split: 5 epochs of the full network, then one of
         * each elastic phase (measured here: 0.64 s per full-network step, 0.8–1.5 s per elastic step, about an
         * hour in all); 240 predictor samples on 2,000 held-out images; budgets at 25 / 50 / 75 % of the latency
         * range; paper-sized evolution; a 1-epoch fine-tune; from-scratch and MobileNetV3 trainings of 3 epochs of
         * the proxy schedule with seeds 1 and 2.
         */
        public static Config full(Path out, Path data, int parallel) {
            ProxyTask t = ProxyTask.fashionMnist();
            return new Config(
                    "full",
                    data == null ? t : t.withData(data),
                    0.25,
                    List.of(20, 24, 28),
                    List.of(5, 1, 1, 1, 1, 1),
                    1_000_000,
                    128,
                    0.1,
                    2000,
                    240,
                    10_000,
                    List.of(0.25, 0.5, 0.75),
                    100,
                    500,
                    1,
                    0.01,
                    3,
                    List.of(1L, 2L),
                    42,
                    11,
                    out,
                    parallel);
        }

        /** About a minute: the quick synthetic task, tiny phases, 16 predictor samples, short evolution. */
        public static Config quick(Path out) {
            return new Config(
                    "quick",
                    ProxyTask.quick(),
                    0.25,
                    List.of(12, 16),
                    List.of(2, 1, 1, 1, 1, 1),
                    4,
                    32,
                    0.05,
                    64,
                    24,
                    64,
                    List.of(0.3, 0.7),
                    12,
                    5,
                    1,
                    0.01,
                    2,
                    List.of(1L, 2L),
                    7,
                    3,
                    out,
                    2);
        }
    }

    /**
     * One budget's specialized subnet.
     *
     * @param fraction          the budget as a fraction of the latency range
     * @param budgetMs          the budget in table milliseconds
     * @param config            the subnet evolution chose
     * @param tableMs           its table latency
     * @param predicted         the predictor's accuracy for it
     * @param heldOutTop1       held-out top-1 as extracted (BN recalibrated, no training)
     * @param testTop1          test top-1 as extracted
     * @param evolutionSeconds  wall time of the specialization (evolution on the predictor and the table)
     * @param family            MobileNetV3 width trained for this budget
     * @param familyMs          its table latency
     */
    public record Specialized(
            double fraction,
            double budgetMs,
            SubnetConfig config,
            double tableMs,
            double predicted,
            double heldOutTop1,
            double testTop1,
            double evolutionSeconds,
            double family,
            double familyMs) {}

    public static void main(String[] args) {
        if (System.getProperty("mobilenas.threads") == null) {
            // Before the engine first reads it: one kernel thread per training, and the CPU-time latency clock.
            System.setProperty("mobilenas.threads", "1");
        }
        ExperimentArgs.main(
                "OfaExperiment",
                args,
                Path.of("target", "ofa"),
                (a, out) ->
                        run(a.preset().equals("quick") ? Config.quick(out) : Config.full(out, a.data(), a.parallel())));
    }

    static String group(String method, double fraction) {
        return String.format(Locale.ROOT, "%s %.0f%%", method, 100 * fraction);
    }

    /** The elastic space of {@code config}: MobileNetV3 at its width, its resolutions, 10 classes. */
    static ElasticSpace space(Config config) {
        return space(config, config.task().channels(), 10);
    }

    private static ElasticSpace space(Config config, int ch, int classes) {
        ElasticSpace base = OfaSpaces.mobileNetV3Small(config.width(), ch, classes);
        return new ElasticSpace(
                base.name() + "_r"
                        + config.resolutions().stream()
                                .map(String::valueOf)
                                .reduce((x, y) -> x + "-" + y)
                                .orElseThrow(),
                ch,
                classes,
                config.resolutions(),
                base.stemChannels(),
                base.stemStride(),
                base.firstChannels(),
                base.stages(),
                base.depths(),
                base.kernels(),
                base.expands(),
                base.headChannels(),
                base.featureChannels(),
                base.dropout());
    }

    /** Runs (or resumes) the experiment and writes its report and plot into {@code config.out()}. */
    public static ExperimentReport run(Config config) {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        ProxyData data = config.task().load();
        int classes = data.train().numClasses();
        int ch = config.task().channels();
        Path out = config.out();
        ElasticSpace space = space(config, ch, classes);
        int familyRes = config.resolutions().get(config.resolutions().size() - 1);
        Map<Double, NetworkSpec> family = new LinkedHashMap<>();
        for (int i = 0; i <= 16; i++) {
            double w = Math.round((0.2 + 0.05 * i) * 100) / 100.0;
            family.put(
                    w, MobileNets.mobileNetV3LargeSmall(w, familyRes, classes).withInputChannels(ch));
        }

        // (1) latency table and budgets
        boolean cpuClock = Parallel.threads() == 1;
        LatencyMeasurer measurer = JvmLatencyMeasurer.forEngine(config.latencySamples());
        List<NetworkSpec> fixed = new ArrayList<>(family.values());
        fixed.add(space.spec(space.minConfig()));
        fixed.add(space.spec(space.maxConfig()));
        space.coveringConfigs().forEach(c -> fixed.add(space.spec(c)));
        System.out.printf(
                Locale.ROOT,
                "OFA experiment (%s): measuring the latency table (%s clock)%n",
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
        double minMs = latency.predictMs(space.spec(space.minConfig()));
        double maxMs = latency.predictMs(space.spec(space.maxConfig()));
        Map<Double, Double> budgetMs = new LinkedHashMap<>();
        Map<Double, Double> familyOf = new LinkedHashMap<>();
        for (double f : config.budgets()) {
            double ms = minMs + f * (maxMs - minMs);
            budgetMs.put(f, ms);
            double best = Double.NaN;
            double bestMs = 0;
            for (Map.Entry<Double, NetworkSpec> e : family.entrySet()) {
                double m = latency.predictMs(e.getValue());
                if (m <= ms && m > bestMs) {
                    best = e.getKey();
                    bestMs = m;
                }
            }
            familyOf.put(f, best);
        }
        System.out.printf(
                Locale.ROOT,
                "table: %d keys; subnets %.4f..%.4f ms; budgets %s ms; MobileNetV3 widths %s%n",
                table.size(),
                minMs,
                maxMs,
                budgetMs.values(),
                familyOf.values());

        // (2) progressive shrinking, and meanwhile the MobileNetV3 family from scratch on the other core
        ProxyTask scratchTask = config.task().withEpochs(config.scratchEpochs());
        List<Job> familyJobs = new ArrayList<>();
        for (long s : config.seeds()) {
            for (double f : config.budgets()) {
                Double w = familyOf.get(f);
                if (!Double.isNaN(w)) {
                    familyJobs.add(new Job(group("mobilenetv3", f), family.get(w), s));
                }
            }
        }
        CompletableFuture<List<JobResult>> familyRun =
                CompletableFuture.supplyAsync(() -> ExperimentRunner.builder(data)
                        .task(scratchTask)
                        .directory(out.resolve("family"))
                        .parallelism(1)
                        .progress(false)
                        .build()
                        .run(familyJobs));
        ElasticSupernet supernet = ElasticSupernet.create(space, config.seed());
        List<ShrinkingPhase> paper = ProgressiveShrinking.paperPhases(space, config.baseLr(), 1.0);
        List<ShrinkingPhase> phases = new ArrayList<>();
        for (int i = 0; i < paper.size(); i++) {
            phases.add(paper.get(i).withEpochs(config.phaseEpochs().get(i)));
        }
        ImageDataset validation = data.heldOut().size() <= config.sampleImages()
                ? data.heldOut()
                : data.heldOut().subset(config.sampleImages(), 17);
        ShrinkingResult shrinking = ProgressiveShrinking.builder()
                .phases(phases)
                .batchSize(config.shrinkBatchSize())
                .maxStepsPerEpoch(config.maxStepsPerEpoch())
                .calibrationImages(config.calibrationImages())
                .checkpointDir(out.resolve("supernet"))
                .seed(config.seed())
                .listener(p -> System.out.printf(
                        Locale.ROOT,
                        "phase %-9s %d epoch(s), %d steps, loss %.4f, held-out "
                                + "largest %.4f, smallest %.4f, %.0f s%s%n",
                        p.name(),
                        p.epochs(),
                        p.steps(),
                        p.meanLoss(),
                        p.maxAccuracy(),
                        p.minAccuracy(),
                        p.seconds(),
                        p.diverged() ? " DIVERGED: " + p.divergence() : ""))
                .build()
                .fit(supernet, data.train(), validation);
        if (shrinking.diverged()) {
            throw new IllegalStateException(
                    "progressive shrinking diverged: " + shrinking.last().divergence());
        }

        // (3) predictor samples (journalled) and the predictor
        List<AccuracySample> samples = measureSamples(config, supernet, data, validation, out);
        // the predictor's size and training length chosen by 5-fold cross-validation on its training subnets only
        // (the paper's 3 x 400 overfits a few hundred samples); the held-out quarter is reported, never chosen on
        List<AccuracyPredictor.Setting> settings = AccuracyPredictor.crossValidate(
                space,
                samples,
                0.25,
                PredictorSelection.GRID_LAYERS,
                PredictorSelection.GRID_UNITS,
                PredictorSelection.GRID_EPOCHS,
                5,
                config.seed());
        AccuracyPredictor.Setting chosen = settings.get(0);
        System.out.printf(
                Locale.ROOT,
                "predictor: %d x %d units, %d epochs chosen by cross-validation (Spearman " + "%.3f over the folds)%n",
                chosen.layers(),
                chosen.units(),
                chosen.epochs(),
                chosen.cvSpearman());
        AccuracyPredictor predictor = AccuracyPredictor.builder(space)
                .layers(chosen.layers())
                .units(chosen.units())
                .epochs(chosen.epochs())
                .seed(config.seed())
                .build();
        PredictorReport predictorReport = predictor.fit(samples, 0.25);
        System.out.printf(
                Locale.ROOT,
                "predictor: %d train / %d held-out subnets, RMSE %.4f / %.4f, Spearman %.3f%n",
                predictorReport.trainSamples(),
                predictorReport.validationSamples(),
                predictorReport.trainRmse(),
                predictorReport.validationRmse(),
                predictorReport.validationSpearman());
        LabelNoise noise = LabelNoise.of(samples, validation.size());
        System.out.printf(
                Locale.ROOT,
                "samples: accuracy spread (std) %.4f, a measurement's binomial standard error " + "%.4f%n",
                noise.spread(),
                noise.standardError());

        // (4) specialize per budget (no training), then fine-tune and from-scratch trainings
        List<Specialized> picks = new ArrayList<>();
        List<Job> fineTunes = new ArrayList<>();
        List<Job> scratch = new ArrayList<>();
        for (double f : config.budgets()) {
            EvolutionResult evo = EvolutionSearch.builder(space)
                    .population(config.population())
                    .generations(config.generations())
                    .latency(latency, budgetMs.get(f))
                    .seed(config.seed())
                    .build()
                    .search(predictor);
            SubnetConfig c = evo.best().config();
            Network subnet = supernet.extractCalibrated(c, data.train(), config.calibrationImages(), config.seed());
            ImageDataset[] at = data.at(c.resolution());
            double held = Evaluation.of(subnet, at[1], 250).top1();
            double test = Evaluation.of(subnet, at[2], 250).top1();
            Path file = out.resolve("subnets").resolve(String.format(Locale.ROOT, "budget-%02.0f.mnas", 100 * f));
            subnet.save(file);
            // the specialized subnet as deployed, straight from the supernet (model.onnx: the middle budget)
            OnnxExport.write(
                    subnet, out.resolve("onnx").resolve(String.format(Locale.ROOT, "budget-%02.0f.onnx", 100 * f)));
            if (f == config.budgets().get(config.budgets().size() / 2)) {
                OnnxExport.write(subnet, out.resolve("model.onnx"));
            }
            Double w = familyOf.get(f);
            picks.add(new Specialized(
                    f,
                    budgetMs.get(f),
                    c,
                    evo.best().latencyMs(),
                    evo.best().predictedAccuracy(),
                    held,
                    test,
                    evo.seconds(),
                    w,
                    Double.isNaN(w) ? Double.NaN : latency.predictMs(family.get(w))));
            System.out.printf(
                    Locale.ROOT,
                    "budget %.0f%% (%.4f ms): %s at %.4f ms in %.2f s; predicted %.4f, held-out "
                            + "%.4f, test %.4f as extracted%n",
                    100 * f,
                    budgetMs.get(f),
                    c.key(),
                    evo.best().latencyMs(),
                    evo.seconds(),
                    evo.best().predictedAccuracy(),
                    held,
                    test);
            for (long s : config.seeds()) {
                fineTunes.add(Job.fineTune(group("ofa+fine-tune", f), file, s));
                scratch.add(new Job(group("scratch", f), subnet.spec(), s));
            }
        }
        List<JobResult> tuned = ExperimentRunner.builder(data)
                .task(config.task().withEpochs(config.fineTuneEpochs()).withLearningRate(config.fineTuneLr(), 0))
                .directory(out.resolve("fine-tune"))
                .parallelism(config.parallel())
                .progress(true)
                .build()
                .run(fineTunes);
        List<JobResult> scratched = ExperimentRunner.builder(data)
                .task(scratchTask)
                .directory(out.resolve("scratch"))
                .parallelism(config.parallel())
                .progress(true)
                .build()
                .run(scratch);
        List<JobResult> familyResults = familyRun.join();

        // (5) report
        List<JobResult> all = new ArrayList<>(tuned);
        all.addAll(scratched);
        all.addAll(familyResults);
        Map<String, Summary> byGroup = new LinkedHashMap<>();
        Summary.of(all).forEach(s -> byGroup.put(s.group(), s));
        List<Comparison> comparisons = new ArrayList<>();
        List<String> verdicts = new ArrayList<>();
        for (Specialized p : picks) {
            NetworkSpec spec = space.spec(p.config());
            var cost = org.mobilenas.core.cost.Costs.of(spec);
            Summary ofa = new Summary(
                    group("ofa", p.fraction()),
                    spec.name(),
                    1,
                    0,
                    p.heldOutTop1(),
                    Double.NaN,
                    p.testTop1(),
                    Double.NaN,
                    cost.macs(),
                    cost.params(),
                    p.config().resolution());
            String label = String.format(Locale.ROOT, "budget %.0f %% (%.3f ms)", 100 * p.fraction(), p.budgetMs());
            Summary sc = byGroup.get(group("scratch", p.fraction()));
            Summary ft = byGroup.get(group("ofa+fine-tune", p.fraction()));
            Summary fam = byGroup.get(group("mobilenetv3", p.fraction()));
            if (sc != null) {
                comparisons.add(Comparison.of(label, "OFA (no retraining)", ofa, "from scratch", sc, false));
                if (ft != null) {
                    comparisons.add(Comparison.of(label, "OFA + fine-tune", ft, "from scratch", sc, false));
                }
            }
            if (fam != null) {
                comparisons.add(
                        Comparison.of(label, "OFA (no retraining)", ofa, "MobileNetV3-" + p.family(), fam, false));
            }
        }
        comparisons.forEach(c -> verdicts.add(c.verdict()));
        verdicts.add(String.format(
                Locale.ROOT,
                "Predictor: Spearman %.3f and RMSE %.4f on %d subnets it did not see " + "(trained on %d).",
                predictorReport.validationSpearman(),
                predictorReport.validationRmse(),
                predictorReport.validationSamples(),
                predictorReport.trainSamples()));
        verdicts.add(String.format(
                Locale.ROOT,
                "Specialization took %s s per budget (evolution on the predictor and " + "the table; no training).",
                picks.stream()
                        .map(p -> String.format(Locale.ROOT, "%.1f", p.evolutionSeconds()))
                        .toList()));
        double shrinkSeconds =
                shrinking.phases().stream().mapToDouble(PhaseResult::seconds).sum();
        Map<String, Object> findings = new LinkedHashMap<>();
        findings.put("space", space.name());
        findings.put(
                "latencyTable",
                Map.of(
                        "keys",
                        table.size(),
                        "device",
                        table.device().name(),
                        "clock",
                        cpuClock ? "thread-cpu" : "wall"));
        findings.put("latencyRangeMs", List.of(minMs, maxMs));
        findings.put("phases", shrinking.phases());
        findings.put("shrinkingSeconds", shrinkSeconds);
        findings.put("predictor", predictorReport);
        findings.put("sampleLabelNoise", noise);
        findings.put("predictorSelection", settings);
        findings.put("specialized", picks);
        findings.put("comparisons", comparisons);
        Path plot = out.resolve("accuracy-vs-latency.png");
        plot(config, picks, byGroup, latency, family, plot);
        double wall = (System.nanoTime() - t0) / 1e9;
        ExperimentReport report = ExperimentReport.of(
                Provenance.of("ofa", config.preset(), config.task(), config.seeds(), started, wall),
                all,
                findings,
                verdicts);
        report.write(
                out,
                "Once-for-All: specialized subnets vs training from scratch",
                extraMarkdown(config, space, minMs, maxMs, shrinking, predictorReport, noise, picks));
        return report;
    }

    /**
     * How much of the predictor samples' spread is measurement noise: the standard deviation of the measured
     * accuracies against the binomial standard error of one measurement on {@code images} images. When the two are
     * close, the labels hardly rank the subnets and no predictor can.
     *
     * @param spread        standard deviation of the samples' accuracies
     * @param standardError {@code sqrt(a(1-a)/images)} at the mean accuracy a
     * @param images        images each sample was measured on
     */
    record LabelNoise(double spread, double standardError, int images) {
        static LabelNoise of(List<AccuracySample> samples, int images) {
            double mean = samples.stream()
                    .mapToDouble(AccuracySample::accuracy)
                    .average()
                    .orElse(0);
            double var = samples.stream()
                    .mapToDouble(s -> (s.accuracy() - mean) * (s.accuracy() - mean))
                    .average()
                    .orElse(0);
            return new LabelNoise(Math.sqrt(var), Math.sqrt(mean * (1 - mean) / Math.max(1, images)), images);
        }
    }

    /**
     * Measures {@code predictorSamples} distinct random subnets (BN recalibrated on training images, top-1 on the
     * validation images), appending each to {@code predictor-samples.jsonl}; a rerun continues the journal. The
     * journal's first line names the supernet's weights (SHA-256) and the measurement settings; a journal of other
     * weights or settings is refused.
     */
    static List<AccuracySample> measureSamples(
            Config config, ElasticSupernet supernet, ProxyData data, ImageDataset validation, Path out) {
        Path journal = out.resolve("predictor-samples.jsonl");
        Path params = out.resolve("supernet").resolve(ProgressiveShrinking.SUPERNET_FILE);
        String identity;
        try {
            Files.createDirectories(out);
            if (!Files.exists(params)) {
                supernet.save(params);
            }
            Map<String, Object> id = new java.util.TreeMap<>();
            id.put("supernet", Hashing.sha256Hex(Files.readAllBytes(params), 64));
            id.put("calibrationImages", config.calibrationImages());
            id.put("validation", validation.size());
            id.put("data", data.fingerprint());
            id.put("seed", config.seed());
            identity = Json.write(id).replace('\n', ' ');
            Map<String, Double> known = new java.util.HashMap<>();
            if (Files.exists(journal)) {
                List<String> lines = Files.readAllLines(journal);
                if (lines.isEmpty() || !lines.get(0).equals(identity)) {
                    throw new IllegalStateException(journal + " was measured on another supernet or with other "
                            + "settings (" + (lines.isEmpty() ? "empty" : lines.get(0)) + ", now " + identity
                            + "); delete it to measure again");
                }
                for (String line : lines.subList(1, lines.size())) {
                    if (!line.isBlank()) {
                        JsonNode n = Json.mapper().readTree(line);
                        SubnetConfig c = Json.mapper().treeToValue(n.get("config"), SubnetConfig.class);
                        known.put(c.key(), n.get("accuracy").asDouble());
                    }
                }
            } else {
                Files.writeString(journal, identity + "\n");
            }
            SplittableRandom rng = new SplittableRandom(config.seed() * 31 + 5);
            Set<String> seen = new HashSet<>();
            List<SubnetConfig> plan = new ArrayList<>();
            for (int tries = 0;
                    plan.size() < config.predictorSamples() && tries < 100 * config.predictorSamples();
                    tries++) {
                SubnetConfig c = supernet.space().sample(rng);
                if (seen.add(c.key())) {
                    plan.add(c);
                }
            }
            List<SubnetConfig> todo =
                    plan.stream().filter(c -> !known.containsKey(c.key())).toList();
            // one supernet copy per worker (extraction sets the active subnet), the journal shared
            int workers = Math.max(1, Math.min(config.parallel(), todo.size()));
            java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
            List<CompletableFuture<Void>> running = new ArrayList<>();
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(workers);
            for (int w = 0; w < workers; w++) {
                ElasticSupernet copy = w == 0 ? supernet : ElasticSupernet.create(supernet.space(), config.seed());
                if (w > 0) {
                    copy.load(params);
                }
                running.add(CompletableFuture.runAsync(
                        () -> {
                            for (int i = next.getAndIncrement(); i < todo.size(); i = next.getAndIncrement()) {
                                SubnetConfig c = todo.get(i);
                                double acc = AccuracySample.measure(
                                        copy, c, data.train(), validation, config.calibrationImages(), config.seed());
                                Map<String, Object> line = new LinkedHashMap<>();
                                line.put("config", c);
                                line.put("accuracy", acc);
                                synchronized (known) {
                                    known.put(c.key(), acc);
                                    try {
                                        Files.writeString(
                                                journal,
                                                Json.write(line).replace('\n', ' ') + "\n",
                                                StandardOpenOption.APPEND);
                                    } catch (IOException e) {
                                        throw new UncheckedIOException(
                                                "appending to " + journal + ": " + e.getMessage(), e);
                                    }
                                    if (known.size() % 20 == 0) {
                                        System.out.printf(
                                                Locale.ROOT, "predictor samples: %d/%d%n", known.size(), plan.size());
                                    }
                                }
                            }
                        },
                        pool));
            }
            try {
                CompletableFuture.allOf(running.toArray(CompletableFuture[]::new))
                        .join();
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : e;
            } finally {
                pool.shutdownNow();
            }
            List<AccuracySample> samples = new ArrayList<>();
            for (SubnetConfig c : plan) {
                samples.add(new AccuracySample(c, known.get(c.key())));
            }
            return samples;
        } catch (IOException e) {
            throw new UncheckedIOException("predictor samples in " + journal + ": " + e.getMessage(), e);
        }
    }

    private static void plot(
            Config config,
            List<Specialized> picks,
            Map<String, Summary> byGroup,
            TableLatencyModel latency,
            Map<Double, NetworkSpec> family,
            Path file) {
        Plot plot = Plot.of(
                "Once-for-All on " + config.task().name() + " ("
                        + config.seeds().size() + " seeds for trained networks, error bars: std)",
                "table latency (ms, batch 1, this machine)",
                "test top-1");
        List<Specialized> sorted = picks.stream()
                .sorted(Comparator.comparingDouble(Specialized::tableMs))
                .toList();
        plot.series(
                "OFA subnet, no retraining",
                sorted.stream().mapToDouble(Specialized::tableMs).toArray(),
                sorted.stream().mapToDouble(Specialized::testTop1).toArray(),
                null,
                true);
        for (String method : List.of("ofa+fine-tune", "scratch", "mobilenetv3")) {
            List<double[]> pts = new ArrayList<>();
            for (Specialized p : sorted) {
                Summary s = byGroup.get(group(method, p.fraction()));
                if (s != null) {
                    double x = method.equals("mobilenetv3") ? latency.predictMs(family.get(p.family())) : p.tableMs();
                    pts.add(new double[] {x, s.testMean(), s.testStd()});
                }
            }
            plot.series(
                    switch (method) {
                        case "ofa+fine-tune" -> "OFA subnet + " + config.fineTuneEpochs() + "-epoch fine-tune";
                        case "scratch" -> "same architecture from scratch";
                        default -> "MobileNetV3 width family";
                    },
                    pts.stream().mapToDouble(q -> q[0]).toArray(),
                    pts.stream().mapToDouble(q -> q[1]).toArray(),
                    pts.stream().mapToDouble(q -> q[2]).toArray(),
                    true);
        }
        plot.write(file);
    }

    private static String extraMarkdown(
            Config config,
            ElasticSpace space,
            double minMs,
            double maxMs,
            ShrinkingResult shrinking,
            PredictorReport predictor,
            LabelNoise noise,
            List<Specialized> picks) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                Locale.ROOT,
                "Space `%s`: subnets from %.4f to %.4f ms in this machine's table. "
                        + "Progressive shrinking: batch %d, at most %d steps per epoch, phase epochs %s; from-scratch "
                        + "and MobileNetV3 networks: %d epochs of the proxy schedule (the preset's 12 do not fit the "
                        + "time budget).%n%n",
                space.name(),
                minMs,
                maxMs,
                config.shrinkBatchSize(),
                config.maxStepsPerEpoch(),
                config.phaseEpochs(),
                config.scratchEpochs()));
        sb.append("## Progressive shrinking\n\n| phase | epochs | steps | mean loss | held-out largest | "
                + "held-out smallest | seconds |\n|---|---:|---:|---:|---:|---:|---:|\n");
        for (PhaseResult p : shrinking.phases()) {
            sb.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %d | %.4f | %.4f | %.4f | %.0f |%n",
                    p.name(),
                    p.epochs(),
                    p.steps(),
                    p.meanLoss(),
                    p.maxAccuracy(),
                    p.minAccuracy(),
                    p.seconds()));
        }
        sb.append(String.format(
                Locale.ROOT,
                "%n## Accuracy predictor%n%n%d subnets for training, %d held out: RMSE "
                        + "%.4f (train %.4f), Spearman %.3f on the held-out subnets. Each subnet was measured on %d "
                        + "held-out images: the measured accuracies spread with a standard deviation of %.4f, one "
                        + "measurement's binomial standard error is %.4f.%n%n",
                predictor.trainSamples(),
                predictor.validationSamples(),
                predictor.validationRmse(),
                predictor.trainRmse(),
                predictor.validationSpearman(),
                noise.images(),
                noise.spread(),
                noise.standardError()));
        sb.append("## Specialized subnets\n\n| budget | ms | subnet | px | table ms | predicted | held-out as "
                + "extracted | test as extracted | specialization s | MobileNetV3 width (ms) |\n"
                + "|---|---:|---|---:|---:|---:|---:|---:|---:|---|\n");
        for (Specialized p : picks) {
            sb.append(String.format(
                    Locale.ROOT,
                    "| %.0f %% | %.4f | `%s` | %d | %.4f | %.4f | %.4f | %.4f | %.2f | " + "%s (%.4f) |%n",
                    100 * p.fraction(),
                    p.budgetMs(),
                    p.config().key(),
                    p.config().resolution(),
                    p.tableMs(),
                    p.predicted(),
                    p.heldOutTop1(),
                    p.testTop1(),
                    p.evolutionSeconds(),
                    p.family(),
                    p.familyMs()));
        }
        sb.append("\n![accuracy vs latency](accuracy-vs-latency.png)\n");
        return sb.toString();
    }
}
