package org.mobilenas.examples;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
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
    private PredictorSelection() {
    }

    /** One setting's cross-validated Spearman. */
    record Result(int layers, int units, int epochs, double cvSpearman) {
    }

    static List<AccuracySample> read(Path journal) {
        List<AccuracySample> out = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(journal);
            for (String line : lines.subList(1, lines.size())) {
                if (!line.isBlank()) {
                    JsonNode n = Json.mapper().readTree(line);
                    out.add(new AccuracySample(Json.mapper().treeToValue(n.get("config"), SubnetConfig.class),
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
        return new SpearmansCorrelation().correlation(pred, s.stream().mapToDouble(AccuracySample::accuracy)
                .toArray());
    }

    /** Cross-validated Spearman of one setting on {@code train}. */
    static double crossValidate(ElasticSpace space, List<AccuracySample> train, int layers, int units, int epochs,
                                long seed) {
        int k = 5;
        double sum = 0;
        for (int f = 0; f < k; f++) {
            List<AccuracySample> fit = new ArrayList<>();
            List<AccuracySample> check = new ArrayList<>();
            for (int i = 0; i < train.size(); i++) {
                (i % k == f ? check : fit).add(train.get(i));
            }
            AccuracyPredictor p = AccuracyPredictor.builder(space).layers(layers).units(units).epochs(epochs)
                    .seed(seed).build();
            p.fit(fit, 0);
            sum += spearman(p, check);
        }
        return sum / k;
    }

    public static void main(String[] args) {
        if (args.length < 1 || args[0].equals("--help")) {
            System.out.println("usage: PredictorSelection JOURNAL [SEED]  (the OFA experiment's predictor-samples.jsonl)");
            return;
        }
        List<AccuracySample> samples = read(Path.of(args[0]));
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 42;
        ElasticSpace space = OfaExperiment.space(OfaExperiment.Config.full(Path.of("unused"), null, 1));
        // the experiment's split: shuffled with the seed, the first quarter held out
        List<AccuracySample> shuffled = new ArrayList<>(samples);
        Collections.shuffle(shuffled, new Random(seed));
        int nVal = (int) Math.round(samples.size() * 0.25);
        List<AccuracySample> held = shuffled.subList(0, nVal);
        List<AccuracySample> train = shuffled.subList(nVal, shuffled.size());
        List<Result> results = new ArrayList<>();
        for (int layers : List.of(1, 2, 3)) {
            for (int units : List.of(32, 128, 400)) {
                for (int epochs : List.of(50, 200)) {
                    results.add(new Result(layers, units, epochs, crossValidate(space, train, layers, units, epochs,
                            seed)));
                }
            }
        }
        results.sort((a, b) -> Double.compare(b.cvSpearman(), a.cvSpearman()));
        results.forEach(r -> System.out.printf(Locale.ROOT, "layers %d units %3d epochs %3d: CV Spearman %.3f%n",
                r.layers(), r.units(), r.epochs(), r.cvSpearman()));
        Result best = results.get(0);
        AccuracyPredictor p = AccuracyPredictor.builder(space).layers(best.layers()).units(best.units())
                .epochs(best.epochs()).seed(seed).build();
        p.fit(train, 0);
        AccuracyPredictor def = AccuracyPredictor.builder(space).seed(seed).build();
        def.fit(train, 0);
        System.out.printf(Locale.ROOT, "chosen by CV: layers %d units %d epochs %d; held-out Spearman %.3f "
                + "(defaults 3x400, 200 epochs: %.3f)%n", best.layers(), best.units(), best.epochs(),
                spearman(p, held), spearman(def, held));
        // the spread that training randomness alone gives, and an ensemble of those predictors
        double[] sum = new double[held.size()];
        List<String> each = new ArrayList<>();
        for (long s = 0; s < 5; s++) {
            AccuracyPredictor q = AccuracyPredictor.builder(space).seed(seed + s).build();
            q.fit(train, 0);
            double[] pred = q.predict(held.stream().map(AccuracySample::config).toList());
            for (int i = 0; i < pred.length; i++) {
                sum[i] += pred[i] / 5;
            }
            each.add(String.format(Locale.ROOT, "%.3f", spearman(q, held)));
        }
        System.out.printf(Locale.ROOT, "defaults with 5 training seeds: held-out Spearman %s; their ensemble %.3f%n",
                each, new SpearmansCorrelation().correlation(sum, held.stream()
                        .mapToDouble(AccuracySample::accuracy).toArray()));
    }
}
