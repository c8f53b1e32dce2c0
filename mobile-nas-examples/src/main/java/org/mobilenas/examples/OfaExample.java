package org.mobilenas.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.mobilenas.core.data.FashionMnist;
import org.mobilenas.core.data.ImageDataset;
import org.mobilenas.core.data.SyntheticImages;
import org.mobilenas.core.engine.Network;
import org.mobilenas.core.json.Json;
import org.mobilenas.core.ofa.AccuracyPredictor;
import org.mobilenas.core.ofa.AccuracySample;
import org.mobilenas.core.ofa.ElasticSpace;
import org.mobilenas.core.ofa.ElasticSupernet;
import org.mobilenas.core.ofa.EvolutionResult;
import org.mobilenas.core.ofa.EvolutionSearch;
import org.mobilenas.core.ofa.PredictorReport;
import org.mobilenas.core.ofa.ProgressiveShrinking;
import org.mobilenas.core.ofa.ShrinkingPhase;
import org.mobilenas.core.ofa.ShrinkingResult;
import org.mobilenas.core.ofa.SpecializedSubnet;
import org.mobilenas.core.train.Evaluation;
import org.mobilenas.core.train.LrSchedule;
import org.mobilenas.core.train.Optimizer;
import org.mobilenas.core.train.Trainer;
import org.mobilenas.core.train.TrainingResult;
import org.mobilenas.latency.measure.JvmLatencyMeasurer;
import org.mobilenas.latency.measure.LatencyMeasurer;
import org.mobilenas.latency.table.Interpolation;
import org.mobilenas.latency.table.LatencyTable;
import org.mobilenas.latency.table.LatencyTableBuilder;
import org.mobilenas.latency.table.TableLatencyModel;
import org.mobilenas.spaces.ofa.OfaSpaces;

/**
 * Once-for-All on Fashion-MNIST: trains a small elastic MobileNetV3 supernet by progressive shrinking, measures
 * the latency lookup table on this machine, measures subnets and trains the accuracy predictor, specialises for
 * three latency budgets by evolution (paper size by default: population 100, 500 generations) and compares each
 * specialised subnet, taken from the supernet without retraining, with the same architecture trained from scratch
 * for as many epochs as the supernet was trained in total. Writes {@code ofa-latency.json},
 * {@code ofa-example.json} and {@code ofa-example.png}.
 *
 * <pre>{@code
 * OfaExample.Result r = OfaExample.run(OfaExample.Config.fashionMnist(Path.of("out")));
 * System.out.println(r.table());
 * }</pre>
 */
public final class OfaExample {
    private OfaExample() {
    }

    /**
     * Settings of a run.
     *
     * @param width             width multiplier of the small-input space
     * @param trainImages       training images for the supernet and the from-scratch runs
     * @param heldOutImages     training-set images (disjoint from those) on which subnets are measured for the predictor
     * @param testImages        test images for the final comparison
     * @param batchSize         training batch size
     * @param baseLr            learning rate of the full-network phase and of from-scratch training
     * @param epochScale        multiplier of the paper's phase epochs (180/120/25/120/25/120)
     * @param calibrationImages images for BN recalibration of an extracted subnet
     * @param predictorSamples  measured subnets for the predictor
     * @param predictorUnits    hidden units per predictor layer (3 layers)
     * @param predictorEpochs   predictor training epochs
     * @param budgets           latency budgets as fractions of the way from the smallest to the largest subnet
     * @param population        evolution population
     * @param generations       evolution generations
     * @param scratchEpochs     from-scratch epochs (0: the supernet's total epochs)
     * @param latencyRepeats    timed runs per latency-table entry (median kept)
     * @param synthetic         synthetic images instead of Fashion-MNIST
     * @param seed              seed of everything
     * @param outDir            output directory (also holds the supernet checkpoints)
     */
    public record Config(double width, int trainImages, int heldOutImages, int testImages, int batchSize,
                         double baseLr, double epochScale, int calibrationImages, int predictorSamples,
                         int predictorUnits, int predictorEpochs, List<Double> budgets, int population,
                         int generations, int scratchEpochs, int latencyRepeats, boolean synthetic, long seed,
                         Path outDir) {
        public Config {
            if (!(width > 0) || !(baseLr > 0) || !(epochScale > 0)) {
                throw new IllegalArgumentException("config.width " + width + ", baseLr " + baseLr + " and epochScale "
                        + epochScale + " must be > 0");
            }
            if (trainImages < 2 || heldOutImages < 1 || testImages < 1 || batchSize < 2 || calibrationImages < 2
                    || predictorSamples < 4 || predictorUnits < 1 || predictorEpochs < 1 || population < 4
                    || generations < 1 || scratchEpochs < 0 || latencyRepeats < 1) {
                throw new IllegalArgumentException("config: trainImages " + trainImages + ", heldOutImages "
                        + heldOutImages + ", testImages " + testImages + ", batchSize " + batchSize
                        + ", calibrationImages " + calibrationImages + ", predictorSamples " + predictorSamples
                        + ", predictorUnits " + predictorUnits + ", predictorEpochs " + predictorEpochs
                        + ", population " + population + ", generations " + generations + ", scratchEpochs "
                        + scratchEpochs + ", latencyRepeats " + latencyRepeats
                        + ": expected positive sizes (batch, calibration >= 2, samples >= 4, population >= 4)");
            }
            if (budgets == null || budgets.isEmpty()) {
                throw new IllegalArgumentException("config.budgets must be a non-empty list; got " + budgets);
            }
            for (double b : budgets) {
                if (!(b >= 0 && b <= 1)) {
                    throw new IllegalArgumentException("config.budgets contains " + b + ", expected fractions in [0, 1]");
                }
            }
            budgets = List.copyOf(budgets);
            if (outDir == null) {
                throw new IllegalArgumentException("config.outDir is missing");
            }
        }

        /** The real run on Fashion-MNIST (see the class note for its cost on a 2-core machine). */
        public static Config fashionMnist(Path outDir) {
            return new Config(0.5, 2000, 500, 1000, 64, 0.05, 1.0 / 60, 300, 80, 400, 300,
                    List.of(0.2, 0.5, 0.8), 100, 500, 0, 9, false, 42, outDir);
        }

        /** A tiny run on synthetic images for tests. */
        public static Config quick(Path outDir) {
            return new Config(0.25, 64, 48, 48, 16, 0.05, 1.0 / 180, 32, 8, 32, 20,
                    List.of(0.2, 0.5, 0.8), 12, 5, 1, 1, true, 7, outDir);
        }
    }

    /**
     * One budget's comparison.
     *
     * @param budgetFraction   budget as a fraction between the smallest and largest subnet
     * @param budgetMs         budget in milliseconds (lookup table)
     * @param subnet           the specialised subnet's key
     * @param resolution       its input resolution
     * @param macs             its MACs
     * @param params           its trainable parameters
     * @param tableMs          its latency from the lookup table
     * @param measuredMs       its median batch-1 forward time measured as a whole network
     * @param predictedTop1    predictor's accuracy
     * @param ofaTop1          test top-1 of the subnet taken from the supernet (BN recalibrated, no retraining)
     * @param scratchTop1      test top-1 of the same architecture trained from scratch
     * @param scratchEpochs    epochs of the from-scratch run
     * @param evolutionSeconds wall-clock time of the evolution
     */
    public record Row(double budgetFraction, double budgetMs, String subnet, int resolution, long macs, long params,
                      double tableMs, double measuredMs, double predictedTop1, double ofaTop1, double scratchTop1,
                      int scratchEpochs, double evolutionSeconds) {
    }

    /** What a run produced. */
    public record Result(Config config, String space, ShrinkingResult supernet, int supernetEpochs,
                         String latencyTable, int latencyEntries, double smallestMs, double largestMs,
                         PredictorReport predictor, List<Row> rows, double seconds, Path resultJson, Path plot) {
        /** The side-by-side table as text. */
        public String table() {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                    "%-6s %8s %4s %9s %8s %8s %8s %8s %8s %8s %7s%n", "budget", "ms", "px", "MACs", "params",
                    "lut ms", "real ms", "pred", "OFA", "scratch", "evo s"));
            for (Row r : rows) {
                sb.append(String.format(Locale.ROOT, "%-6.2f %8.3f %4d %9d %8d %8.3f %8.3f %8.4f %8.4f %8.4f %7.2f%n",
                        r.budgetFraction(), r.budgetMs(), r.resolution(), r.macs(), r.params(), r.tableMs(),
                        r.measuredMs(), r.predictedTop1(), r.ofaTop1(), r.scratchTop1(), r.evolutionSeconds()));
                sb.append("       ").append(r.subnet()).append('\n');
            }
            return sb.toString();
        }
    }

    /** Runs the whole pipeline. */
    public static Result run(Config config) {
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(config.outDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + config.outDir() + ": " + e.getMessage(), e);
        }
        ImageDataset[] data = data(config);
        ImageDataset train = data[0];
        ImageDataset heldOut = data[1];
        ImageDataset test = data[2];
        ElasticSpace space = OfaSpaces.mobileNetV3Small(config.width(), train.channels(), train.numClasses());

        // 1. progressive shrinking
        ElasticSupernet supernet = ElasticSupernet.create(space, config.seed());
        List<ShrinkingPhase> phases = ProgressiveShrinking.paperPhases(space, config.baseLr(), config.epochScale());
        int supernetEpochs = phases.stream().mapToInt(ShrinkingPhase::epochs).sum();
        ShrinkingResult shrinking = ProgressiveShrinking.builder()
                .phases(phases).batchSize(config.batchSize()).calibrationImages(config.calibrationImages())
                .checkpointDir(config.outDir().resolve("supernet-checkpoint")).seed(config.seed())
                .listener(p -> System.out.printf(Locale.ROOT, "phase %-9s %2d epochs, loss %.4f, max %.4f, min %.4f,"
                        + " %.0f s%n", p.name(), p.epochs(), p.meanLoss(), p.maxAccuracy(), p.minAccuracy(),
                        p.seconds()))
                .build()
                .fit(supernet, train, heldOut);

        // 2. latency table of this machine
        LatencyMeasurer measurer = JvmLatencyMeasurer.builder().samples(config.latencyRepeats())
                .retries(config.latencyRepeats() < 5 ? 0 : 2).build();
        Path lut = config.outDir().resolve("ofa-latency.json");
        LatencyTable latencyTable = LatencyTableBuilder.with(measurer)
                .specs(List.of(space.spec(space.minConfig()), space.spec(space.maxConfig())))
                .sampled(rng -> space.spec(space.sample(rng)), 400, config.seed())
                .file(lut).progress(false).build();
        TableLatencyModel table = TableLatencyModel.builder(latencyTable).interpolation(Interpolation.CHANNELS)
                .build();
        double smallest = table.predictMs(space.spec(space.minConfig()));
        double largest = table.predictMs(space.spec(space.maxConfig()));

        // 3. accuracy predictor on measured subnets
        List<AccuracySample> samples = AccuracySample.measure(supernet, config.predictorSamples(), train, heldOut,
                config.calibrationImages(), config.seed());
        AccuracyPredictor predictor = AccuracyPredictor.builder(space).units(config.predictorUnits())
                .epochs(config.predictorEpochs()).seed(config.seed()).build();
        PredictorReport report = predictor.fit(samples, 0.2);

        // 4. specialise per budget; 5. compare with training from scratch
        int scratchEpochs = config.scratchEpochs() > 0 ? config.scratchEpochs() : supernetEpochs;
        List<Row> rows = new ArrayList<>();
        for (double f : config.budgets()) {
            double budget = smallest + f * (largest - smallest);
            EvolutionResult evo = EvolutionSearch.builder(space).population(config.population())
                    .generations(config.generations()).latency(table, budget).seed(config.seed()).build()
                    .search(predictor);
            SpecializedSubnet best = evo.best();
            Network subnet = supernet.extractCalibrated(best.config(), train, config.calibrationImages(),
                    config.seed());
            int r = best.config().resolution();
            ImageDataset testR = ElasticSupernet.atResolution(test, r);
            double ofa = Evaluation.of(subnet, testR, 250).top1();
            double measuredMs = measurer.measure(subnet.spec(), 1).medianMs();
            Network scratch = Network.realize(subnet.spec(), config.seed());
            TrainingResult tr = Trainer.builder().optimizer(Optimizer.sgd(0.9, true))
                    .schedule(LrSchedule.cosine(config.baseLr())).epochs(scratchEpochs)
                    .batchSize(config.batchSize()).labelSmoothing(0.1).weightDecay(3e-5).seed(config.seed())
                    .build().fit(scratch, ElasticSupernet.atResolution(train, r));
            double scratchTop1 = tr.status() == TrainingResult.Status.COMPLETED
                    ? Evaluation.of(scratch, testR, 250).top1() : Double.NaN;
            rows.add(new Row(f, budget, best.config().key(), r, best.macs(), subnet.parameters().trainableCount(),
                    best.latencyMs(), measuredMs, best.predictedAccuracy(), ofa, scratchTop1, scratchEpochs,
                    evo.seconds()));
        }
        Path resultJson = config.outDir().resolve("ofa-example.json");
        Path plot = config.outDir().resolve("ofa-example.png");
        Result result = new Result(config, space.name(), shrinking, supernetEpochs, lut.toString(),
                latencyTable.size(), smallest, largest, report, rows, (System.nanoTime() - t0) / 1e9,
                resultJson, plot);
        try {
            Files.writeString(resultJson, Json.write(result));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + resultJson + ": " + e.getMessage(), e);
        }
        plot(rows, plot);
        return result;
    }

    private static ImageDataset[] data(Config config) {
        ImageDataset train;
        ImageDataset heldOut;
        ImageDataset test;
        if (config.synthetic()) {
            ImageDataset all = SyntheticImages.builder().classes(10).size(28).channels(1)
                    .samples(config.trainImages() + config.heldOutImages() + config.testImages())
                    .seed(config.seed()).build().shuffled(config.seed());
            train = all.head(config.trainImages());
            ImageDataset rest = all.select(range(config.trainImages(), all.size()));
            heldOut = rest.head(config.heldOutImages());
            test = rest.select(range(config.heldOutImages(), rest.size()));
        } else {
            FashionMnist fm = FashionMnist.load();
            ImageDataset pool = fm.train().shuffled(config.seed());
            train = pool.head(config.trainImages());
            heldOut = pool.select(range(config.trainImages(), config.trainImages() + config.heldOutImages()));
            test = fm.test().subset(config.testImages(), config.seed() + 1);
        }
        ImageDataset.ChannelStats stats = train.channelStats();
        return new ImageDataset[] {train.normalize(stats), heldOut.normalize(stats), test.normalize(stats)};
    }

    private static int[] range(int from, int to) {
        int[] out = new int[to - from];
        for (int i = 0; i < out.length; i++) {
            out[i] = from + i;
        }
        return out;
    }

    private static void plot(List<Row> rows, Path file) {
        XYChart chart = new XYChartBuilder().width(720).height(480)
                .title("Fashion-MNIST: specialised OFA subnets vs from scratch")
                .xAxisTitle("latency (ms, lookup table)").yAxisTitle("test top-1").build();
        List<Double> x = rows.stream().map(Row::tableMs).toList();
        chart.addSeries("OFA (no retraining)", x, rows.stream().map(Row::ofaTop1).toList());
        List<Double> scratch = rows.stream().map(Row::scratchTop1).toList();
        if (scratch.stream().noneMatch(v -> Double.isNaN(v))) {
            chart.addSeries("from scratch", x, scratch);
        }
        try {
            BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    public static void main(String[] args) {
        Path out = Path.of(args.length > 0 ? args[0] : "target/ofa-example");
        Result r = run(Config.fashionMnist(out));
        System.out.println(r.table());
        PredictorReport p = r.predictor();
        System.out.printf(Locale.ROOT, "predictor: %d train / %d validation subnets, RMSE %.4f / %.4f, Spearman %.3f%n",
                p.trainSamples(), p.validationSamples(), p.trainRmse(), p.validationRmse(), p.validationSpearman());
        System.out.printf(Locale.ROOT, "latency table: %d entries, subnets from %.3f to %.3f ms; total %.0f s%n",
                r.latencyEntries(), r.smallestMs(), r.largestMs(), r.seconds());
        System.out.println("wrote " + r.latencyTable() + ", " + r.resultJson() + ", " + r.plot());
    }
}
