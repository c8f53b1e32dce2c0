package org.mobilenas.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mobilenas.core.cost.Costs;
import org.mobilenas.core.data.FashionMnist;
import org.mobilenas.core.data.ImageDataset;
import org.mobilenas.core.data.SyntheticImages;
import org.mobilenas.core.engine.Network;
import org.mobilenas.core.experiment.Plot;
import org.mobilenas.core.json.Json;
import org.mobilenas.core.json.SpecJson;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.train.EpochStats;
import org.mobilenas.core.train.Evaluation;
import org.mobilenas.core.train.LrSchedule;
import org.mobilenas.core.train.Sgd;
import org.mobilenas.core.train.Trainer;
import org.mobilenas.core.train.TrainingResult;
import org.mobilenas.spaces.catalog.Catalog;
import org.mobilenas.spaces.catalog.MobileNets;

/**
 * The first thing to run: prints the cost table of the reference catalogue, then trains a width-scaled
 * MobileNetV2 (torchvision layout at 32x32 input) on Fashion-MNIST (padded to 32x32, replicated to 3 channels), or on a
 * synthetic image task when the dataset is not installed, and reports validation accuracy.
 * Writes {@code report.json}, {@code network.json}, {@code model.bin} and {@code training.png} to the output
 * directory.
 *
 * <pre>{@code
 * QuickStart.Result r = QuickStart.run(QuickStart.Options.defaults().withEpochs(1).withTrainImages(2000));
 * System.out.println(r.validation().top1());
 * }</pre>
 */
public final class QuickStart {
    private QuickStart() {}

    /**
     * Options of a run.
     *
     * @param epochs       training epochs
     * @param trainImages  training images used (a stratified subset when smaller than the data)
     * @param width        width multiplier of MobileNetV2
     * @param batchSize    training batch size
     * @param learningRate peak learning rate (SGD, Nesterov momentum 0.9, cosine with one warm-up epoch)
     * @param seed         seed of data order, initialisation and dropout
     * @param synthetic    use the synthetic task even when Fashion-MNIST is installed
     * @param output       directory for the report, the model and the plot
     * @param progress     show a progress bar
     */
    public record Options(
            int epochs,
            int trainImages,
            double width,
            int batchSize,
            double learningRate,
            long seed,
            boolean synthetic,
            Path output,
            boolean progress) {
        public Options {
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs " + epochs + " must be >= 1");
            }
            if (trainImages < 100) {
                throw new IllegalArgumentException("trainImages " + trainImages + " must be >= 100");
            }
            if (!(width > 0) || width > 4) {
                throw new IllegalArgumentException("width " + width + " must be in (0, 4]");
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize " + batchSize + " must be >= 1");
            }
            if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
                throw new IllegalArgumentException("learningRate " + learningRate + " must be a finite number > 0");
            }
            if (output == null) {
                throw new IllegalArgumentException("output directory is missing");
            }
        }

        public static Options defaults() {
            return new Options(3, 12_000, 0.5, 64, 0.1, 42, false, Path.of("target", "quickstart"), true);
        }

        public Options withEpochs(int e) {
            return new Options(e, trainImages, width, batchSize, learningRate, seed, synthetic, output, progress);
        }

        public Options withTrainImages(int n) {
            return new Options(epochs, n, width, batchSize, learningRate, seed, synthetic, output, progress);
        }

        public Options withWidth(double w) {
            return new Options(epochs, trainImages, w, batchSize, learningRate, seed, synthetic, output, progress);
        }

        public Options withLearningRate(double lr) {
            return new Options(epochs, trainImages, width, batchSize, lr, seed, synthetic, output, progress);
        }

        public Options withSeed(long s) {
            return new Options(epochs, trainImages, width, batchSize, learningRate, s, synthetic, output, progress);
        }

        public Options withSynthetic(boolean s) {
            return new Options(epochs, trainImages, width, batchSize, learningRate, seed, s, output, progress);
        }

        public Options withOutput(Path p) {
            return new Options(epochs, trainImages, width, batchSize, learningRate, seed, synthetic, p, progress);
        }

        public Options withProgress(boolean p) {
            return new Options(epochs, trainImages, width, batchSize, learningRate, seed, synthetic, output, p);
        }

        /** Parses {@code --epochs N --train N --width W --batch N --lr X --seed N --synthetic --out DIR --quiet}. */
        public static Options parse(String... args) {
            Options o = defaults();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                String v = i + 1 < args.length ? args[i + 1] : null;
                switch (a) {
                    case "--synthetic" -> o = o.withSynthetic(true);
                    case "--quiet" -> o = o.withProgress(false);
                    case "--epochs", "--train", "--width", "--batch", "--lr", "--seed", "--out" -> {
                        if (v == null) {
                            throw new IllegalArgumentException(a + " needs a value");
                        }
                        i++;
                        try {
                            o = switch (a) {
                                case "--epochs" -> o.withEpochs(Integer.parseInt(v));
                                case "--train" -> o.withTrainImages(Integer.parseInt(v));
                                case "--width" -> o.withWidth(Double.parseDouble(v));
                                case "--batch" ->
                                    new Options(
                                            o.epochs,
                                            o.trainImages,
                                            o.width,
                                            Integer.parseInt(v),
                                            o.learningRate,
                                            o.seed,
                                            o.synthetic,
                                            o.output,
                                            o.progress);
                                case "--lr" ->
                                    new Options(
                                            o.epochs,
                                            o.trainImages,
                                            o.width,
                                            o.batchSize,
                                            Double.parseDouble(v),
                                            o.seed,
                                            o.synthetic,
                                            o.output,
                                            o.progress);
                                case "--seed" -> o.withSeed(Long.parseLong(v));
                                default -> o.withOutput(Path.of(v));
                            };
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException(a + ": '" + v + "' is not a number");
                        }
                    }
                    default ->
                        throw new IllegalArgumentException("unknown option " + a + "; options: --epochs N "
                                + "--train N --width W --batch N --lr X --seed N --synthetic --out DIR --quiet");
                }
            }
            return o;
        }
    }

    /** What a run produced. */
    public record Result(
            List<Costs> catalogue,
            String dataset,
            NetworkSpec network,
            Costs networkCosts,
            TrainingResult training,
            Evaluation validation,
            double imagesPerSecond,
            Path output) {
        public Result {
            catalogue = List.copyOf(catalogue);
        }
    }

    public static Result run(Options o) {
        return run(o, null);
    }

    /** Runs the example; when {@code log} is given, the catalogue's costs are printed there first. */
    public static Result run(Options o, java.io.PrintStream log) {
        List<Costs> catalogue = new ArrayList<>();
        for (String name : Catalog.names()) {
            Costs c = Costs.of(Catalog.get(name));
            catalogue.add(c);
            if (log != null) {
                log.println("  " + c.summary());
            }
        }

        String dataset;
        ImageDataset train;
        ImageDataset validation;
        if (!o.synthetic() && FashionMnist.isAvailable()) {
            dataset = "fashion-mnist";
            ImageDataset all = FashionMnist.load().train();
            ImageDataset.Split split = all.split(1.0 / 12, o.seed(), true);
            train = prepare(
                    split.train().subset(Math.min(o.trainImages(), split.train().size()), o.seed()));
            validation = prepare(split.validation());
        } else {
            dataset = "synthetic";
            if (log != null) {
                log.println("*** NOT Fashion-MNIST: "
                        + (o.synthetic() ? "--synthetic was given" : "the dataset is " + "not installed")
                        + ", so this trains on generated images (noisy class patterns); "
                        + "its accuracy says nothing about real data. Get the real set with "
                        + "`sudo apt-get install dataset-fashion-mnist`, or point -D" + FashionMnist.DIR_PROPERTY
                        + "=DIR at the four IDX files. ***");
            }
            // noise 0.6: hard enough that a run does not reach 100 % (noise 0.3 is learnt perfectly)
            ImageDataset all = SyntheticImages.builder()
                    .classes(10)
                    .size(32)
                    .channels(3)
                    .noise(0.6)
                    .samples(o.trainImages() + o.trainImages() / 5)
                    .seed(o.seed())
                    .build();
            ImageDataset.Split split = all.split(1.0 / 6, o.seed(), true);
            train = split.train();
            validation = split.validation();
        }
        ImageDataset.ChannelStats stats = train.channelStats();
        train = train.normalize(stats);
        validation = validation.normalize(stats);

        NetworkSpec spec = MobileNets.mobileNetV2(o.width(), 32, 10);
        Costs costs = Costs.of(spec);
        Network net = Network.realize(spec, o.seed());
        Trainer trainer = Trainer.builder()
                .optimizer(new Sgd(0.9, true))
                .schedule(LrSchedule.cosine(o.learningRate()).withWarmup(Math.min(1.0, o.epochs() / 3.0)))
                .epochs(o.epochs())
                .batchSize(o.batchSize())
                .weightDecay(4e-5)
                .labelSmoothing(0.1)
                .batchNormRecalibration(Math.min(1000, train.size()))
                .seed(o.seed())
                .progress(o.progress())
                .build();
        TrainingResult result = trainer.fit(net, train, validation);
        Evaluation eval = trainer.evaluate(net, validation);
        double ips = result.history().stream()
                .mapToDouble(EpochStats::imagesPerSecond)
                .average()
                .orElse(0);

        write(o.output(), spec, net, result, eval, costs, dataset, ips);
        return new Result(catalogue, dataset, spec, costs, result, eval, ips, o.output());
    }

    private static ImageDataset prepare(ImageDataset d) {
        return d.padTo(32, 32).replicateChannels(3);
    }

    private static void write(
            Path dir,
            NetworkSpec spec,
            Network net,
            TrainingResult result,
            Evaluation eval,
            Costs costs,
            String dataset,
            double ips) {
        try {
            Files.createDirectories(dir);
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("dataset", dataset);
            report.put("network", spec.name());
            report.put("macs", costs.macs());
            report.put("params", costs.params());
            report.put("validation", eval);
            report.put("imagesPerSecond", ips);
            report.put("training", Json.mapper().readTree(result.toJson()));
            Files.writeString(dir.resolve("report.json"), Json.write(report));
            SpecJson.write(spec, dir.resolve("network.json"));
            net.save(dir.resolve("model.bin"));
            plot(result, dir.resolve("training.png"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results to " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void plot(TrainingResult result, Path file) {
        List<EpochStats> h = result.history();
        if (h.isEmpty()) {
            return;
        }
        double[] epochs = h.stream().mapToDouble(e -> e.epoch() + 1).toArray();
        Plot.of("Training", "epoch", "accuracy")
                .series(
                        "train",
                        epochs,
                        h.stream().mapToDouble(EpochStats::trainAccuracy).toArray(),
                        null,
                        true)
                .series(
                        "validation",
                        epochs,
                        h.stream()
                                .mapToDouble(e -> e.valTop1() == null ? Double.NaN : e.valTop1())
                                .toArray(),
                        null,
                        true)
                .write(file);
    }

    /** The usage text. */
    static final String USAGE = "usage: QuickStart [--epochs N] [--train N] [--width W] [--batch N] [--lr X] [--seed N]"
            + " [--synthetic] [--out DIR] [--quiet] [--help]\n  a catalogue cost table, then MobileNetV2 (width W, 32 px) "
            + "trained on N Fashion-MNIST images (generated images with --synthetic or without the dataset)";

    public static void main(String[] args) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(USAGE);
            return;
        }
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        System.out.println("Reference catalogue (224x224 unless named otherwise, 1000 classes):");
        Result r = run(o, System.out);
        System.out.printf(
                Locale.ROOT,
                "%nTrained %s (%.1f M MACs, %,d params) on %s: %s, validation top-1 %.2f %%, "
                        + "top-5 %.2f %%, %.0f images/s%nReport, model and plot in %s%n",
                r.network().name(),
                r.networkCosts().macs() / 1e6,
                r.networkCosts().params(),
                r.dataset(),
                r.training().status(),
                100 * r.validation().top1(),
                100 * r.validation().top5(),
                r.imagesPerSecond(),
                r.output().toAbsolutePath());
    }
}
