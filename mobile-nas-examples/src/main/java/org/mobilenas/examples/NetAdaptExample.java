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
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.mobilenas.core.adapt.AdaptationReport;
import org.mobilenas.core.adapt.AdaptationResult;
import org.mobilenas.core.adapt.NetAdapter;
import org.mobilenas.core.adapt.ReductionSchedule;
import org.mobilenas.core.adapt.ResourceConstraint;
import org.mobilenas.core.cost.Costs;
import org.mobilenas.core.data.FashionMnist;
import org.mobilenas.core.data.ImageDataset;
import org.mobilenas.core.data.SyntheticImages;
import org.mobilenas.core.engine.Network;
import org.mobilenas.core.json.Json;
import org.mobilenas.core.latency.LatencyModel;
import org.mobilenas.latency.measure.JvmLatencyMeasurer;
import org.mobilenas.latency.measure.MeasuredLatencyModel;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.train.Evaluation;
import org.mobilenas.core.train.LrSchedule;
import org.mobilenas.core.train.Optimizer;
import org.mobilenas.core.train.Trainer;
import org.mobilenas.spaces.catalog.MobileNets;

/**
 * NetAdapt on Fashion-MNIST: trains a small-input MobileNetV1, adapts it to half of its latency measured on this
 * machine (smallest of three medians of repeated batch-1 forwards of the realized spec), long-term fine-tunes the result, and compares
 * it on the test split with width-multiplier MobileNetV1s of the same measured latency trained from scratch with the
 * same number of epochs (pre-training plus long-term fine-tune). Proposals are chosen on a split held out from the
 * training images. Writes {@code netadapt-example.json}, {@code netadapt-report.json} and
 * {@code netadapt-example.png}.
 *
 * <pre>{@code
 * NetAdaptExample.Result r = NetAdaptExample.run(NetAdaptExample.Config.fashionMnist(Path.of("out")));
 * System.out.println(r.table());
 * }</pre>
 */
public final class NetAdaptExample {
    private NetAdaptExample() {
    }

    /**
     * Settings of a run.
     *
     * @param width           width multiplier of the initial MobileNetV1
     * @param trainImages     training images (the held-out split is taken from them)
     * @param heldOutFraction fraction of the training images held out for choosing proposals
     * @param testImages      test images for the final comparison
     * @param epochs          pre-training epochs (also the baselines' epochs, with {@code longTermEpochs})
     * @param longTermEpochs  long-term fine-tune epochs of the adapted network
     * @param shortTermImages images of each proposal's one-epoch short-term fine-tune
     * @param budget          latency budget as a fraction of the initial network's measured latency
     * @param initialReduction ΔR of the first iteration as a fraction of the initial latency
     * @param decay           ΔR decay per iteration
     * @param latencyRuns     timed forwards per latency measurement (median)
     * @param measuredLatency latency measured on this machine; otherwise an analytic model (MACs at 1 GMAC/s plus
     *                        memory traffic at 4 GB/s), deterministic, for tests
     * @param synthetic       synthetic images instead of Fashion-MNIST
     * @param seed            seed of data, initialisation and training
     * @param outDir          output directory
     */
    public record Config(double width, int trainImages, double heldOutFraction, int testImages, int epochs,
                         int longTermEpochs, int shortTermImages, double budget, double initialReduction, double decay,
                         int latencyRuns, boolean measuredLatency, int batchSize, double learningRate,
                         boolean synthetic, long seed, Path outDir) {
        public Config {
            if (!(width > 0) || trainImages < 2 || testImages < 1 || epochs < 1 || longTermEpochs < 0
                    || shortTermImages < 1 || latencyRuns < 1 || batchSize < 1) {
                throw new IllegalArgumentException("config: width " + width + " must be > 0, trainImages "
                        + trainImages + " >= 2, testImages " + testImages + ", epochs " + epochs + ", shortTermImages "
                        + shortTermImages + ", latencyRuns " + latencyRuns + ", batchSize " + batchSize
                        + " >= 1 and longTermEpochs " + longTermEpochs + " >= 0");
            }
            if (!(heldOutFraction > 0 && heldOutFraction < 1) || !(budget > 0 && budget <= 1)) {
                throw new IllegalArgumentException("config.heldOutFraction " + heldOutFraction + " must be in (0, 1) "
                        + "and config.budget " + budget + " in (0, 1]");
            }
            if (!(learningRate > 0)) {
                throw new IllegalArgumentException("config.learningRate " + learningRate + " must be > 0");
            }
            if (outDir == null) {
                throw new IllegalArgumentException("config.outDir is missing");
            }
        }

        /** The real run: MobileNetV1 0.5 (small input), 2,500 training images (20 % held out), 50 % latency. */
        public static Config fashionMnist(Path outDir) {
            return new Config(0.5, 2500, 0.2, 2000, 3, 2, 400, 0.5, 0.15, 0.9, 11, true, 64, 0.02, false, 42, outDir);
        }

        /** A tiny run on synthetic images for tests. */
        public static Config quick(Path outDir) {
            return new Config(0.25, 160, 0.25, 64, 1, 1, 32, 0.5, 0.3, 1.0, 3, false, 32, 0.02, true, 7, outDir);
        }
    }

    /** One network of the comparison. */
    public record Row(String method, String network, double latencyMs, long macs, long params, double testTop1) {
    }

    /** What a run produced. */
    public record Result(Config config, String latencyModel, double initialLatencyMs, double budgetMs, List<Row> rows,
                         AdaptationReport report, Path resultJson, Path reportJson, Path plot) {
        /** The comparison as text. */
        public String table() {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-22s %-26s %9s %10s %8s %8s%n",
                    "method", "network", "lat (ms)", "MACs", "params", "test top-1"));
            for (Row r : rows) {
                sb.append(String.format(Locale.ROOT, "%-22s %-26s %9.3f %10d %8d %8.4f%n", r.method(), r.network(),
                        r.latencyMs(), r.macs(), r.params(), r.testTop1()));
            }
            return sb.toString();
        }
    }

    /** Latency of a spec on this machine: median of repeated batch-1 forwards of the realized network, cached. */
    static LatencyModel measured(int runs) {
        return MeasuredLatencyModel.of(JvmLatencyMeasurer.builder().samples(runs).build());
    }

    /** Deterministic stand-in for tests: MACs at 1 GMAC/s plus memory traffic at 4 GB/s. */
    static LatencyModel analytic() {
        return LatencyModel.of("analytic:macs+memory", s -> {
            Costs c = Costs.of(s);
            return c.macs() / 1e6 + c.memoryAccessBytes() / 4e6;
        });
    }

    public static Result run(Config config) {
        ImageDataset[] data = data(config);
        ImageDataset.Split split = data[0].split(config.heldOutFraction(), config.seed());
        ImageDataset train = split.train();
        ImageDataset heldOut = split.validation();
        ImageDataset test = data[1];
        Trainer pretrain = trainer(config, config.epochs());
        NetworkSpec base = MobileNets.mobileNetV1Small(config.width(), 28, 10).withInputChannels(1);
        Network net = Network.realize(base, config.seed());
        pretrain.fit(net, train);

        LatencyModel latency = config.measuredLatency() ? measured(config.latencyRuns()) : analytic();
        double lat0 = latency.predictMs(base);
        Trainer shortTerm = Trainer.builder().optimizer(Optimizer.sgd(0.9, true))
                .schedule(LrSchedule.constant(config.learningRate() / 2)).epochs(1).batchSize(config.batchSize())
                .seed(config.seed()).build();
        NetAdapter.Builder adapter = NetAdapter.builder(net)
                .constraint(ResourceConstraint.latencyFraction(latency, config.budget()))
                .schedule(new ReductionSchedule(config.initialReduction(), config.decay()))
                .granularity(8)
                .shortTerm(shortTerm, config.shortTermImages())
                .data(train, heldOut)
                .parallelism(config.synthetic() ? 2 : 1)
                .evalBatchSize(config.batchSize())
                .checkpointDir(config.outDir().resolve("checkpoints"))
                .seed(config.seed());
        if (config.longTermEpochs() > 0) {
            adapter.longTerm(trainer(config, config.longTermEpochs()));
        }
        AdaptationResult adapted = adapter.build().run();
        Network fin = adapted.finalNetwork();
        double latFinal = latency.predictMs(fin.spec());

        List<Row> rows = new ArrayList<>();
        rows.add(row("initial", net, latency, test, config));
        rows.add(row("netadapt", fin, latency, test, config));
        // width multipliers whose measured latency is closest to the adapted network's (at most it, and the next above)
        double lo = 0.05;
        double below = Double.NaN;
        double above = Double.NaN;
        for (int step = 0; config.width() - step * 0.025 >= lo - 1e-9; step++) {
            double w = Math.round((config.width() - step * 0.025) * 1000) / 1000.0;
            double l = latency.predictMs(MobileNets.mobileNetV1Small(w, 28, 10).withInputChannels(1));
            if (l <= latFinal) {
                below = w;
                break;
            }
            above = w;
        }
        int baselineEpochs = config.epochs() + config.longTermEpochs();
        for (double w : new double[] {below, above}) {
            if (Double.isNaN(w)) {
                continue;
            }
            Network b = Network.realize(MobileNets.mobileNetV1Small(w, 28, 10).withInputChannels(1), config.seed());
            trainer(config, baselineEpochs).fit(b, train);
            rows.add(row(String.format(Locale.ROOT, "width x%.3f", w), b, latency, test, config));
        }
        try {
            Files.createDirectories(config.outDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + config.outDir() + ": " + e.getMessage(), e);
        }
        Path reportJson = config.outDir().resolve("netadapt-report.json");
        adapted.report().writeJson(reportJson);
        Path resultJson = config.outDir().resolve("netadapt-example.json");
        Path plot = config.outDir().resolve("netadapt-example.png");
        Result result = new Result(config, latency.name(), lat0, config.budget() * lat0, rows, adapted.report(),
                resultJson, reportJson, plot);
        try {
            Files.writeString(resultJson, Json.write(result));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + resultJson + ": " + e.getMessage(), e);
        }
        plot(adapted.report(), rows, plot);
        fin.save(config.outDir().resolve("netadapt-final.mnn"));
        return result;
    }

    private static Row row(String method, Network n, LatencyModel latency, ImageDataset test, Config config) {
        Costs c = Costs.of(n.spec());
        return new Row(method, n.spec().name(), latency.predictMs(n.spec()), c.macs(), c.params(),
                Evaluation.of(n, test, config.batchSize()).top1());
    }

    private static Trainer trainer(Config config, int epochs) {
        return Trainer.builder().optimizer(Optimizer.sgd(0.9, true))
                .schedule(LrSchedule.cosine(config.learningRate())).epochs(epochs).batchSize(config.batchSize())
                .seed(config.seed()).build();
    }

    private static ImageDataset[] data(Config config) {
        ImageDataset train;
        ImageDataset test;
        if (config.synthetic()) {
            ImageDataset all = SyntheticImages.builder().classes(10).size(28).channels(1)
                    .samples(config.trainImages() + config.testImages()).seed(config.seed()).build();
            ImageDataset.Split s = all.split((double) config.testImages() / all.size(), config.seed() + 1);
            train = s.train();
            test = s.validation();
        } else {
            FashionMnist fm = FashionMnist.load();
            train = fm.train().subset(config.trainImages(), config.seed());
            test = fm.test().subset(config.testImages(), config.seed() + 1);
        }
        ImageDataset.ChannelStats stats = train.channelStats();
        return new ImageDataset[] {train.normalize(stats), test.normalize(stats)};
    }

    private static void plot(AdaptationReport report, List<Row> rows, Path file) {
        String name = report.constraints().get(0).name();
        XYChart chart = new XYChartBuilder().width(760).height(480).title("NetAdapt on Fashion-MNIST: accuracy vs "
                + "measured latency").xAxisTitle("latency (ms, batch 1, this machine)").yAxisTitle("top-1").build();
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        x.add(report.constraints().get(0).initial());
        y.add(report.initialAccuracy());
        for (AdaptationReport.Iteration it : report.iterations()) {
            x.add(it.resources().get(name));
            y.add(it.accuracy());
        }
        chart.addSeries("iterations (held-out, short-term)", x, y);
        for (Row r : rows) {
            chart.addSeries(r.method() + " (test)", List.of(r.latencyMs()), List.of(r.testTop1()))
                    .setMarker(SeriesMarkers.DIAMOND);
        }
        try {
            BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    public static void main(String[] args) {
        Path out = Path.of(args.length > 0 ? args[0] : "target/netadapt-example");
        long t0 = System.nanoTime();
        Result r = run(Config.fashionMnist(out));
        System.out.println(r.report().table());
        System.out.println(r.table());
        System.out.printf(Locale.ROOT, "latency model %s: initial %.3f ms, budget %.3f ms; %.0f s%n", r.latencyModel(),
                r.initialLatencyMs(), r.budgetMs(), (System.nanoTime() - t0) / 1e9);
        System.out.println("wrote " + r.resultJson() + ", " + r.reportJson() + ", " + r.plot());
    }
}
