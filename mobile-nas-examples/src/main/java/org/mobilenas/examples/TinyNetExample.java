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
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.mobilenas.core.cost.Costs;
import org.mobilenas.core.data.FashionMnist;
import org.mobilenas.core.data.ImageDataset;
import org.mobilenas.core.data.SyntheticImages;
import org.mobilenas.core.engine.Model;
import org.mobilenas.core.json.Json;
import org.mobilenas.core.search.Evaluator;
import org.mobilenas.core.search.Outcome;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.tiny.Correlations;
import org.mobilenas.core.tiny.InfeasibleBudgetException;
import org.mobilenas.core.tiny.SamplingRanges;
import org.mobilenas.core.tiny.ScaledNetwork;
import org.mobilenas.core.tiny.TinyFit;
import org.mobilenas.core.tiny.TinyScaler;
import org.mobilenas.core.train.LrSchedule;
import org.mobilenas.core.train.Optimizer;
import org.mobilenas.core.train.Trainer;
import org.mobilenas.spaces.tiny.TinyNetSetup;

/**
 * TinyNet on Fashion-MNIST: fits the tiny formula for a small EfficientNet-like base (28 px) at a few FLOPs
 * budgets by proxy training, then trains, at equal FLOPs, the tiny-formula network, the inverse-giant-formula
 * network and the width-only network for each budget, and prints the side-by-side table. Writes the fitted scaler
 * ({@code tiny-scaler.json}), the result ({@code tinynet-example.json}) and a plot ({@code tinynet-example.png}).
 *
 * <pre>{@code
 * TinyNetExample.Result r = TinyNetExample.run(TinyNetExample.Config.fashionMnist(Path.of("out")));
 * System.out.println(r.table());
 * }</pre>
 */
public final class TinyNetExample {
    private TinyNetExample() {
    }

    /**
     * Settings of a run.
     *
     * @param budgets          FLOPs budgets, fractions of the base
     * @param samplesPerBudget sampled (r, d, w) networks per budget for the fit
     * @param trainImages      training images per proxy run
     * @param validationImages validation images
     * @param epochs           epochs per proxy run
     * @param synthetic        synthetic images instead of Fashion-MNIST
     * @param seed             seed of sampling, initialisation and training
     * @param outDir           where the JSON and PNG files go
     */
    public record Config(List<Double> budgets, int samplesPerBudget, int trainImages, int validationImages, int epochs,
                         int batchSize, double learningRate, boolean synthetic, long seed, Path outDir) {
        public Config {
            if (budgets == null || budgets.isEmpty()) {
                throw new IllegalArgumentException("config.budgets must be a non-empty list; got " + budgets);
            }
            budgets = List.copyOf(budgets);
            if (samplesPerBudget < 1 || trainImages < 1 || validationImages < 1 || epochs < 1 || batchSize < 1) {
                throw new IllegalArgumentException("config.samplesPerBudget " + samplesPerBudget + ", trainImages "
                        + trainImages + ", validationImages " + validationImages + ", epochs " + epochs
                        + ", batchSize " + batchSize + " must all be >= 1");
            }
            if (!(learningRate > 0)) {
                throw new IllegalArgumentException("config.learningRate " + learningRate + " must be > 0");
            }
            if (outDir == null) {
                throw new IllegalArgumentException("config.outDir is missing");
            }
        }

        /** The real run: Fashion-MNIST, budgets 0.25 / 0.4 / 0.6, 4 samples each, 2,000 training images, 2 epochs. */
        public static Config fashionMnist(Path outDir) {
            return new Config(List.of(0.25, 0.4, 0.6), 4, 2000, 1000, 2, 64, 0.01, false, 42, outDir);
        }

        /** A tiny run on synthetic images for tests. */
        public static Config quick(Path outDir) {
            return new Config(List.of(0.3, 0.6), 2, 128, 64, 1, 32, 0.01, true, 7, outDir);
        }
    }

    /** One line of the side-by-side table; accuracy is NaN (with a note) when the method could not be built or trained. */
    public record Row(double budget, String method, double r, double d, double w, int resolution, long macs,
                      double fraction, double accuracy, String note) {
    }

    /** What a run produced. */
    public record Result(Config config, long baseMacs, List<Row> rows, String formula, Correlations pooled,
                         List<Correlations> perBudget, int sampledModels, int failedModels, Path scalerJson,
                         Path resultJson, Path plot) {
        /** The side-by-side table as text. */
        public String table() {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-7s %-13s %6s %6s %6s %4s %9s %7s %8s%n",
                    "budget", "method", "r", "d", "w", "px", "MACs", "frac", "top-1"));
            for (Row r : rows) {
                sb.append(String.format(Locale.ROOT, "%-7.2f %-13s %6.3f %6.3f %6.3f %4d %9d %7.3f %8s%n",
                        r.budget(), r.method(), r.r(), r.d(), r.w(), r.resolution(), r.macs(), r.fraction(),
                        Double.isNaN(r.accuracy()) ? "n/a" : String.format(Locale.ROOT, "%.4f", r.accuracy())));
                if (r.note() != null) {
                    sb.append("        (").append(r.note()).append(")\n");
                }
            }
            return sb.toString();
        }
    }

    /** Runs with the realization engine ({@code org.mobilenas.core.engine.Network.realize}). */
    public static Result run(Config config) {
        return run(config, engineRealizer());
    }

    /** Runs with a given way of building trainable models from specs. */
    public static Result run(Config config, Evaluator.Realizer realizer) {
        ImageDataset[] data = data(config);
        int res = data[0].height();
        TinyScaler scaler = TinyNetSetup.smallInput(10, data[0].channels(), res)
                .ranges(new SamplingRanges(0.5, 1.3, 0.3, 1.3, 0.2, 1.5))
                .topFraction(0.4)
                .build();
        Trainer trainer = Trainer.builder()
                .optimizer(Optimizer.sgd(0.9, true))
                .schedule(LrSchedule.cosine(config.learningRate()))
                .epochs(config.epochs()).batchSize(config.batchSize())
                .seed(config.seed())
                .build();
        Evaluator evaluator = Evaluator.training(trainer, data[0], data[1], realizer, config.seed());

        TinyFit fit = scaler.fit(config.budgets(), config.samplesPerBudget(), evaluator, config.seed());
        TinyScaler fitted = scaler.withFormula(fit.formula());
        try {
            Files.createDirectories(config.outDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + config.outDir() + ": " + e.getMessage(), e);
        }
        Path scalerJson = config.outDir().resolve("tiny-scaler.json");
        fitted.save(scalerJson);

        List<Row> rows = new ArrayList<>();
        for (double c : config.budgets()) {
            Map<String, Object> methods = new LinkedHashMap<>();
            methods.put("tiny", attempt(() -> fitted.tiny(c)));
            methods.put("inverse-giant", attempt(() -> scaler.inverseGiant(c)));
            methods.put("width-only", attempt(() -> scaler.widthOnly(c)));
            List<NetworkSpec> specs = new ArrayList<>();
            for (Object m : methods.values()) {
                if (m instanceof ScaledNetwork s) {
                    specs.add(s.spec());
                }
            }
            List<Outcome> outcomes = evaluator.evaluate(specs);
            int k = 0;
            for (Map.Entry<String, Object> e : methods.entrySet()) {
                if (e.getValue() instanceof ScaledNetwork s) {
                    Outcome o = outcomes.get(k++);
                    rows.add(new Row(c, e.getKey(), s.r(), s.d(), s.w(), s.spec().resolution(),
                            Costs.of(s.spec()).macs(), s.fraction(), o.succeeded() ? o.accuracy() : Double.NaN,
                            o.succeeded() ? null : o.failure()));
                } else {
                    rows.add(new Row(c, e.getKey(), Double.NaN, Double.NaN, Double.NaN, 0, 0, Double.NaN, Double.NaN,
                            (String) e.getValue()));
                }
            }
        }
        Path resultJson = config.outDir().resolve("tinynet-example.json");
        Path plot = config.outDir().resolve("tinynet-example.png");
        Result result = new Result(config, (long) scaler.baseCost(), rows, fit.formula().describe(), fit.pooled(),
                fit.perBudget(), fit.observations().size(), fit.failures().size(), scalerJson, resultJson, plot);
        try {
            Files.writeString(resultJson, Json.write(result));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + resultJson + ": " + e.getMessage(), e);
        }
        plot(rows, plot);
        return result;
    }

    private interface Attempt {
        ScaledNetwork get();
    }

    /** The network, or the reason it cannot be built as a string. */
    private static Object attempt(Attempt a) {
        try {
            return a.get();
        } catch (InfeasibleBudgetException e) {
            return e.getMessage();
        }
    }

    private static ImageDataset[] data(Config config) {
        ImageDataset train;
        ImageDataset val;
        if (config.synthetic()) {
            ImageDataset all = SyntheticImages.builder().classes(10).size(28).channels(1)
                    .samples(config.trainImages() + config.validationImages()).seed(config.seed()).build();
            ImageDataset.Split split = all.split((double) config.validationImages() / all.size(), config.seed());
            train = split.train();
            val = split.validation();
        } else {
            FashionMnist fm = FashionMnist.load();
            train = fm.train().subset(config.trainImages(), config.seed());
            val = fm.test().subset(config.validationImages(), config.seed() + 1);
        }
        ImageDataset.ChannelStats stats = train.channelStats();
        return new ImageDataset[] {train.normalize(stats), val.normalize(stats)};
    }

    private static void plot(List<Row> rows, Path file) {
        XYChart chart = new XYChartBuilder().width(720).height(480).title("Fashion-MNIST: equal-FLOPs downsizing")
                .xAxisTitle("MACs (fraction of the base)").yAxisTitle("validation top-1").build();
        for (String method : List.of("tiny", "inverse-giant", "width-only")) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (Row r : rows) {
                if (r.method().equals(method) && !Double.isNaN(r.accuracy())) {
                    x.add(r.fraction());
                    y.add(r.accuracy());
                }
            }
            if (!x.isEmpty()) {
                chart.addSeries(method, x, y);
            }
        }
        try {
            BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The realization engine's {@code Network.realize(spec, seed)}. */
    public static Evaluator.Realizer engineRealizer() {
        return org.mobilenas.core.engine.Network::realize;
    }

    public static void main(String[] args) {
        Path out = Path.of(args.length > 0 ? args[0] : "target/tinynet-example");
        Result r = run(Config.fashionMnist(out));
        System.out.println(r.table());
        System.out.println("fitted formula: " + r.formula());
        System.out.println("Spearman with accuracy (all budgets): resolution " + r.pooled().resolution() + ", depth "
                + r.pooled().depth() + ", width " + r.pooled().width() + " -> " + r.pooled().ranking());
        System.out.println("wrote " + r.scalerJson() + ", " + r.resultJson() + ", " + r.plot());
    }
}
