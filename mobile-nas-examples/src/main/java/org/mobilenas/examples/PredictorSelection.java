package org.mobilenas.examples;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.mobilenas.core.json.Json;
import org.mobilenas.core.ofa.AccuracyPredictor;
import org.mobilenas.core.ofa.AccuracySample;
import org.mobilenas.core.ofa.ElasticSpace;
import org.mobilenas.core.ofa.SubnetConfig;

/**
 * Chooses the accuracy predictor's size and training length by 5-fold cross-validation on the training part of a
 * predictor-samples journal only, then reports the chosen setting's Spearman on the held-out part (the same
 * 3/4 : 1/4 split as the experiment) — so the held-out figure is not used to choose.
 *
 * <pre>
 * scripts/run-example.sh PredictorSelection docs/results/ofa/predictor-samples.jsonl
 * </pre>
 */
public final class PredictorSelection {
    private PredictorSelection() {}

    /** The grid the OFA experiment chooses its predictor from. */
    static final List<Integer> GRID_LAYERS = List.of(1, 2, 3);

    static final List<Integer> GRID_UNITS = List.of(32, 128, 400);
    static final List<Integer> GRID_EPOCHS = List.of(50, 200);

    static List<AccuracySample> read(Path journal) {
        List<AccuracySample> out = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(journal);
            for (String line : lines.subList(1, lines.size())) {
                if (!line.isBlank()) {
                    JsonNode n = Json.mapper().readTree(line);
                    out.add(new AccuracySample(
                            Json.mapper().treeToValue(n.get("config"), SubnetConfig.class),
                            n.get("accuracy").asDouble()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + journal + ": " + e.getMessage(), e);
        }
        return out;
    }

    static double spearman(AccuracyPredictor p, List<AccuracySample> s) {
        double[] pred = p.predict(s.stream().map(AccuracySample::config).toList());
        return new SpearmansCorrelation()
                .correlation(
                        pred, s.stream().mapToDouble(AccuracySample::accuracy).toArray());
    }

    public static void main(String[] args) {
        if (args.length < 1 || args[0].equals("--help")) {
            System.out.println(
                    "usage: PredictorSelection JOURNAL [SEED]  (the OFA experiment's predictor-samples.jsonl)");
            return;
        }
        List<AccuracySample> samples = read(Path.of(args[0]));
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 42;
        ElasticSpace space = OfaExperiment.space(OfaExperiment.Config.full(Path.of("unused"), null, 1));
        // the experiment's split (the predictor's own)
        List<List<AccuracySample>> parts = AccuracyPredictor.split(samples, 0.25, seed);
        List<AccuracySample> train = parts.get(0);
        List<AccuracySample> held = parts.get(1);
        List<AccuracyPredictor.Setting> results =
                AccuracyPredictor.crossValidate(space, samples, 0.25, GRID_LAYERS, GRID_UNITS, GRID_EPOCHS, 5, seed);
        results.forEach(r -> System.out.printf(
                Locale.ROOT,
                "layers %d units %3d epochs %3d: CV Spearman %.3f%n",
                r.layers(),
                r.units(),
                r.epochs(),
                r.cvSpearman()));
        AccuracyPredictor.Setting best = results.get(0);
        AccuracyPredictor p = AccuracyPredictor.builder(space)
                .layers(best.layers())
                .units(best.units())
                .epochs(best.epochs())
                .seed(seed)
                .build();
        p.fit(samples, 0.25);
        AccuracyPredictor def = AccuracyPredictor.builder(space).seed(seed).build();
        def.fit(samples, 0.25);
        System.out.printf(
                Locale.ROOT,
                "chosen by CV: layers %d units %d epochs %d; held-out Spearman %.3f "
                        + "(defaults 3x400, 200 epochs: %.3f)%n",
                best.layers(),
                best.units(),
                best.epochs(),
                spearman(p, held),
                spearman(def, held));
        // the spread that training randomness alone gives, and an ensemble of those predictors
        double[] sum = new double[held.size()];
        List<String> each = new ArrayList<>();
        for (long s = 0; s < 5; s++) {
            AccuracyPredictor q =
                    AccuracyPredictor.builder(space).seed(seed + s).build();
            q.fit(train, 0);
            double[] pred = q.predict(held.stream().map(AccuracySample::config).toList());
            for (int i = 0; i < pred.length; i++) {
                sum[i] += pred[i] / 5;
            }
            each.add(String.format(Locale.ROOT, "%.3f", spearman(q, held)));
        }
        System.out.printf(
                Locale.ROOT,
                "defaults with 5 training seeds: held-out Spearman %s; their ensemble %.3f%n",
                each,
                new SpearmansCorrelation()
                        .correlation(
                                sum,
                                held.stream()
                                        .mapToDouble(AccuracySample::accuracy)
                                        .toArray()));
    }
}
