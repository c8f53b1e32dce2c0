package org.mobilenas.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mobilenas.core.cost.Costs;
import org.mobilenas.core.data.FashionMnist;
import org.mobilenas.core.data.ImageDataset;
import org.mobilenas.core.data.SyntheticImages;
import org.mobilenas.core.engine.Network;
import org.mobilenas.core.json.Json;
import org.mobilenas.core.latency.LatencyModel;
import org.mobilenas.latency.measure.JvmLatencyMeasurer;
import org.mobilenas.latency.measure.MeasuredLatencyModel;
import org.mobilenas.core.search.Candidate;
import org.mobilenas.core.search.Evaluator;
import org.mobilenas.core.search.Outcome;
import org.mobilenas.core.search.RewardFunction;
import org.mobilenas.core.search.RlController;
import org.mobilenas.core.search.Search;
import org.mobilenas.core.search.SearchResult;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.train.LrSchedule;
import org.mobilenas.core.train.Optimizer;
import org.mobilenas.core.train.Trainer;
import org.mobilenas.spaces.catalog.MobileNets;
import org.mobilenas.spaces.search.MnasNetSpace;

/**
 * A latency-targeted MnasNet search on Fashion-MNIST with this machine's latency: the small-input MnasNet
 * space, the RL controller (PPO), the soft (or hard) reward around a target T equal to the measured latency of a
 * MobileNetV2 baseline, and proxy training of every candidate. The best candidate is then trained longer and
 * compared side by side with the width-scaled MobileNetV2 family under the same training. Latency is measured
 * directly: each network is realized and its batch-1 forward pass timed (median of several runs) by
 * {@link #measuredLatency(int)}. Writes the search journal, the search result with its Pareto plot and
 * {@code mnasnet-example.json}.
 *
 * <pre>{@code
 * MnasNetExample.Result r = MnasNetExample.run(MnasNetExample.Config.fashionMnist(Path.of("out")));
 * System.out.println(r.table());
 * }</pre>
 */
public final class MnasNetExample {
    private MnasNetExample() {
    }

    /**
     * Settings of a run.
     *
     * @param spaceWidth        width multiplier of the small-input MnasNet skeleton
     * @param targetWidth       width of the MobileNetV2 baseline whose measured latency is the target T
     * @param baselineWidths    widths of the MobileNetV2 family trained for the comparison
     * @param hard              hard reward (α = 0, β = −1) instead of soft (α = β = −0.07)
     * @param iterations        controller iterations
     * @param batchSize         candidates per iteration
     * @param learningRate      controller learning rate
     * @param trainImages       training images per proxy run
     * @param validationImages  validation images
     * @param proxyEpochs       epochs of each proxy run
     * @param finalTrainImages  training images of the final runs
     * @param finalEpochs       epochs of the final runs
     * @param synthetic         synthetic images instead of Fashion-MNIST
     * @param seed              seed of everything
     * @param outDir            output directory
     */
    public record Config(double spaceWidth, double targetWidth, List<Double> baselineWidths, boolean hard,
                         int iterations, int batchSize, double learningRate, int trainImages, int validationImages,
                         int proxyEpochs, int finalTrainImages, int finalEpochs, boolean synthetic, long seed,
                         Path outDir) {
        public Config {
            positive("spaceWidth", spaceWidth);
            positive("targetWidth", targetWidth);
            if (baselineWidths == null || baselineWidths.isEmpty()) {
                throw new IllegalArgumentException("config.baselineWidths must be a non-empty list");
            }
            baselineWidths.forEach(w -> positive("baselineWidths", w));
            baselineWidths = List.copyOf(baselineWidths);
            atLeast("iterations", iterations, 1);
            atLeast("batchSize", batchSize, 1);
            positive("learningRate", learningRate);
            atLeast("trainImages", trainImages, 10);
            atLeast("validationImages", validationImages, 10);
            atLeast("proxyEpochs", proxyEpochs, 1);
            atLeast("finalTrainImages", finalTrainImages, 10);
            atLeast("finalEpochs", finalEpochs, 1);
            if (outDir == null) {
                throw new IllegalArgumentException("config.outDir is missing");
            }
        }

        private static void positive(String f, double v) {
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("config." + f + " " + v + " must be a finite number > 0");
            }
        }

        private static void atLeast(String f, int v, int min) {
            if (v < min) {
                throw new IllegalArgumentException("config." + f + " " + v + " must be >= " + min);
            }
        }

        /**
         * The real run, sized for about 10 minutes on a busy 2-core machine: 5 iterations of 3 candidates, each
         * proxy-trained for 2 epochs on 500 images; the best and the MobileNetV2 0.25/0.35 baselines trained for
         * 2 epochs on 2,000 images.
         */
        public static Config fashionMnist(Path outDir) {
            return new Config(0.25, 0.25, List.of(0.25, 0.35), false, 5, 3, 0.02, 500, 300, 2, 2000, 2, false,
                    42, outDir);
        }

        /** A tiny synthetic run for tests. */
        public static Config quick(Path outDir) {
            return new Config(0.25, 0.25, List.of(0.25, 0.35), false, 2, 3, 0.02, 60, 30, 1, 60, 1, true, 7,
                    outDir);
        }

        public Config withHard(boolean h) {
            return new Config(spaceWidth, targetWidth, baselineWidths, h, iterations, batchSize, learningRate,
                    trainImages, validationImages, proxyEpochs, finalTrainImages, finalEpochs, synthetic, seed,
                    outDir);
        }
    }

    /** One network of the side-by-side comparison. */
    public record Row(String network, double latencyMs, long macs, long params, double accuracy, String note) {
    }

    /**
     * What a run gave.
     *
     * @param targetMs          latency target T (measured latency of the target-width baseline)
     * @param search            the search result (candidates, best, Pareto front, provenance)
     * @param rows              searched best first, then the MobileNetV2 family, each trained the same way
     * @param belowTarget       fraction of successful candidates at or below T
     * @param meanAbsLogRatio   mean |ln(LAT/T)| of the candidates: how tightly the samples spread around T
     * @param budgetSeconds     time budget the run announces
     * @param seconds           wall time of the run
     */
    public record Result(double targetMs, SearchResult search, List<Row> rows, double belowTarget,
                         double meanAbsLogRatio, double budgetSeconds, double seconds, Path journal,
                         Path searchJson, Path plot, Path resultJson) {
        public String table() {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-34s %9s %8s %9s %8s%n", "network",
                    "lat (ms)", "MMACs", "params", "top-1"));
            for (Row r : rows) {
                sb.append(String.format(Locale.ROOT, "%-34s %9.3f %8.2f %9d %8s%n", r.network(), r.latencyMs(),
                        r.macs() / 1e6, r.params(), Double.isNaN(r.accuracy()) ? "n/a"
                                : String.format(Locale.ROOT, "%.4f", r.accuracy())));
            }
            return sb.toString();
        }
    }

    /**
     * A latency model measured on this JVM: the median of {@code samples} timed batch-1 EVAL forward passes of the
     * realized network after a warm-up, measured once per network.
     */
    public static LatencyModel measuredLatency(int samples) {
        return MeasuredLatencyModel.of(JvmLatencyMeasurer.builder().samples(samples).build());
    }

    public static Result run(Config config) {
        long start = System.nanoTime();
        double budget = estimateBudgetSeconds(config);
        System.out.printf(Locale.ROOT, "MnasNet example: time budget %.0f s (%d iterations x %d candidates)%n",
                budget, config.iterations(), config.batchSize());
        ImageDataset[] data = data(config);
        int res = data[0].height();
        int channels = data[0].channels();
        MnasNetSpace space = MnasNetSpace.smallInput(res, channels, 10, config.spaceWidth());
        LatencyModel latency = measuredLatency(7);
        NetworkSpec targetNet = MobileNets.mobileNetV2Small(config.targetWidth(), res, 10).withInputChannels(channels);
        double target = latency.predictMs(targetNet);
        RewardFunction reward = config.hard() ? RewardFunction.hard(target) : RewardFunction.soft(target);

        Trainer proxy = trainer(config.proxyEpochs(), config.seed());
        Evaluator evaluator = Evaluator.training(proxy, data[0], data[1], Network::realize, config.seed());
        try {
            Files.createDirectories(config.outDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + config.outDir(), e);
        }
        Path journal = config.outDir().resolve("mnasnet-search.jsonl");
        Search search = Search.builder(space)
                .controller(RlController.builder().learningRate(config.learningRate()).build())
                .reward(reward).latency(latency).evaluator(evaluator)
                .batchSize(config.batchSize()).evaluationBatch(1).journal(journal).seed(config.seed())
                .progress(!config.synthetic())
                .build();
        SearchResult sr = search.run(config.iterations());
        Path searchJson = config.outDir().resolve("mnasnet-search.json");
        Path plot = config.outDir().resolve("mnasnet-pareto.png");
        sr.writeJson(searchJson);
        sr.writeParetoPlot(plot);

        // longer training of the best candidate and of the MobileNetV2 family
        ImageDataset finalTrain = data[2];
        Trainer longer = trainer(config.finalEpochs(), config.seed());
        Evaluator finalEval = Evaluator.training(longer, finalTrain, data[1], Network::realize, config.seed());
        List<NetworkSpec> nets = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Candidate best = sr.best();
        if (best != null) {
            nets.add(space.decode(best.toGenotype()));
            notes.add("searched (proxy top-1 " + String.format(Locale.ROOT, "%.4f", best.accuracy()) + ")");
        }
        for (double w : config.baselineWidths()) {
            nets.add(MobileNets.mobileNetV2Small(w, res, 10).withInputChannels(channels));
            notes.add("baseline");
        }
        List<Outcome> outcomes = finalEval.evaluate(nets);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < nets.size(); i++) {
            NetworkSpec n = nets.get(i);
            Costs c = Costs.of(n);
            Outcome o = outcomes.get(i);
            rows.add(new Row(i == 0 && best != null ? "searched " + best.genotype().substring(0, 11) + "…" : n.name(),
                    latency.predictMs(n), c.macs(), c.params(), o.succeeded() ? o.accuracy() : Double.NaN,
                    o.succeeded() ? notes.get(i) : o.failure()));
        }
        List<Candidate> ok = sr.candidates().stream().filter(Candidate::succeeded).toList();
        double below = ok.stream().filter(c -> c.latencyMs() <= target).count() / (double) Math.max(1, ok.size());
        double spread = ok.stream().mapToDouble(c -> Math.abs(Math.log(c.latencyMs() / target))).average().orElse(0);
        double seconds = (System.nanoTime() - start) / 1e9;
        Path resultJson = config.outDir().resolve("mnasnet-example.json");
        Result r = new Result(target, sr, rows, below, spread, budget, seconds, journal, searchJson, plot,
                resultJson);
        try {
            Files.writeString(resultJson, Json.write(Map.of("config", config.toString(), "targetMs", target,
                    "reward", reward.toString(), "rows", rows, "belowTarget", below, "meanAbsLogRatio", spread,
                    "budgetSeconds", budget, "seconds", seconds, "best", best == null ? "none" : best)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + resultJson, e);
        }
        return r;
    }

    /** A rough upper bound of the run time, printed before the run. */
    static double estimateBudgetSeconds(Config c) {
        double perProxyImage = 0.03;
        double search = c.iterations() * c.batchSize() * (c.trainImages() * c.proxyEpochs() + c.validationImages())
                * perProxyImage;
        double fin = (1 + c.baselineWidths().size()) * (c.finalTrainImages() * c.finalEpochs() + c.validationImages())
                * perProxyImage;
        return 30 + search + fin;
    }

    private static Trainer trainer(int epochs, long seed) {
        return Trainer.builder().optimizer(Optimizer.sgd(0.9, true)).schedule(LrSchedule.cosine(0.05))
                .epochs(epochs).batchSize(32).seed(seed).build();
    }

    /** train (proxy), validation, train (final). */
    private static ImageDataset[] data(Config config) {
        ImageDataset train;
        ImageDataset finalTrain;
        ImageDataset val;
        if (config.synthetic()) {
            int n = Math.max(config.trainImages(), config.finalTrainImages());
            ImageDataset all = SyntheticImages.builder().classes(10).size(28).channels(1)
                    .samples(n + config.validationImages()).seed(config.seed()).build();
            ImageDataset.Split split = all.split((double) config.validationImages() / all.size(), config.seed());
            finalTrain = split.train().subset(config.finalTrainImages(), config.seed());
            train = split.train().subset(config.trainImages(), config.seed());
            val = split.validation();
        } else {
            FashionMnist fm = FashionMnist.load();
            train = fm.train().subset(config.trainImages(), config.seed());
            finalTrain = fm.train().subset(config.finalTrainImages(), config.seed() + 2);
            val = fm.test().subset(config.validationImages(), config.seed() + 1);
        }
        ImageDataset.ChannelStats stats = train.channelStats();
        return new ImageDataset[] {train.normalize(stats), val.normalize(stats), finalTrain.normalize(stats)};
    }

    public static void main(String[] args) {
        Path out = Path.of(args.length > 0 ? args[0] : "target/mnasnet-example");
        Config config = Config.fashionMnist(out);
        if (args.length > 1 && args[1].equals("hard")) {
            config = config.withHard(true);
        }
        Result r = run(config);
        System.out.printf(Locale.ROOT, "target T = %.3f ms; %d candidates (%d failed); %.0f%% at or below T; "
                        + "mean |ln(LAT/T)| = %.3f%n", r.targetMs(), r.search().candidates().size(),
                r.search().failures(), 100 * r.belowTarget(), r.meanAbsLogRatio());
        System.out.print(r.table());
        System.out.printf(Locale.ROOT, "finished in %.0f s (budget %.0f s); outputs in %s%n", r.seconds(),
                r.budgetSeconds(), out);
    }
}
