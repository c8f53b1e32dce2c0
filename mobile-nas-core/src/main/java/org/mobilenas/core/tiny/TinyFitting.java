package org.mobilenas.core.tiny;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.mobilenas.core.search.Evaluator;
import org.mobilenas.core.search.Outcome;

/**
 * Fitting the tiny formula of a {@link TinyScaler}: sampled networks per budget are evaluated, the Pareto-best
 * of the most accurate are kept, and Gaussian processes from {@code ln c} to resolution and depth are fitted to
 * them.
 */
final class TinyFitting {
    private TinyFitting() {}

    /** See {@link TinyScaler#fit}. */
    static TinyFit fit(TinyScaler scaler, List<Double> budgets, int samplesPerBudget, Evaluator evaluator, long seed) {
        if (budgets == null || budgets.isEmpty()) {
            throw new IllegalArgumentException(
                    "budgets must be a non-empty list of fractions in (0, 1]; got " + budgets);
        }
        for (Double c : budgets) {
            if (c == null) {
                throw new IllegalArgumentException("budgets contains a missing value: " + budgets);
            }
            TinyScaler.checkBudget(c);
            if (c > 1) {
                throw new IllegalArgumentException("budget c " + c + ": expected a fraction in (0, 1] for the fit");
            }
        }
        if (evaluator == null) {
            throw new IllegalArgumentException("evaluator is missing");
        }
        List<Observation> all = new ArrayList<>();
        List<Observation> best = new ArrayList<>();
        List<Correlations> perBudget = new ArrayList<>();
        for (int i = 0; i < budgets.size(); i++) {
            double c = budgets.get(i);
            List<ScaledNetwork> cands = scaler.sample(c, samplesPerBudget, seed + 1_000_003L * i);
            List<Outcome> outcomes =
                    evaluator.evaluate(cands.stream().map(ScaledNetwork::spec).toList());
            if (outcomes == null || outcomes.size() != cands.size()) {
                throw new IllegalStateException(
                        "evaluator returned " + (outcomes == null ? "null" : outcomes.size() + " outcomes") + " for "
                                + cands.size() + " candidates");
            }
            List<Observation> obs = new ArrayList<>();
            for (int k = 0; k < cands.size(); k++) {
                Outcome o =
                        outcomes.get(k) == null ? Outcome.failure("evaluator returned no outcome") : outcomes.get(k);
                obs.add(Observation.of(c, cands.get(k), o));
            }
            all.addAll(obs);
            best.addAll(paretoBest(obs, scaler.topFraction()));
            perBudget.add(Correlations.of(String.format(Locale.ROOT, "c=%s", c), obs));
        }
        if (best.isEmpty()) {
            String first = all.isEmpty() ? "none sampled" : all.get(0).outcome().failure();
            throw new IllegalStateException(
                    "no candidate was evaluated successfully (" + all.size() + " failures; first: " + first + ")");
        }
        double[] x = best.stream().mapToDouble(o -> Math.log(o.budget())).toArray();
        GaussianProcess gr =
                GaussianProcess.fit(x, best.stream().mapToDouble(Observation::r).toArray());
        GaussianProcess gd =
                GaussianProcess.fit(x, best.stream().mapToDouble(Observation::d).toArray());
        return new TinyFit(
                budgets,
                all,
                best,
                new TinyFormula(gr, gd, scaler.ranges()),
                perBudget,
                Correlations.of("all", all),
                seed);
    }

    /**
     * The Pareto front (no other model is at most as costly and more accurate) among the successful
     * observations in the top {@code fraction} by accuracy (at least one).
     */
    static List<Observation> paretoBest(List<Observation> obs, double fraction) {
        List<Observation> ok = new ArrayList<>(
                obs.stream().filter(o -> o.outcome().succeeded()).toList());
        if (ok.isEmpty()) {
            return List.of();
        }
        ok.sort(Comparator.comparingDouble((Observation o) -> -o.outcome().accuracy()));
        List<Observation> top = ok.subList(0, Math.max(1, (int) Math.ceil(fraction * ok.size())));
        List<Observation> front = new ArrayList<>();
        for (Observation a : top) {
            boolean dominated = false;
            for (Observation b : top) {
                if (b != a
                        && b.fraction() <= a.fraction()
                        && b.outcome().accuracy() >= a.outcome().accuracy()
                        && (b.fraction() < a.fraction()
                                || b.outcome().accuracy() > a.outcome().accuracy())) {
                    dominated = true;
                    break;
                }
            }
            if (!dominated) {
                front.add(a);
            }
        }
        return front;
    }
}
