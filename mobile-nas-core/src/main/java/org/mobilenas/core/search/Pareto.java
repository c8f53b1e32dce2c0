package org.mobilenas.core.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Pareto fronts of two objectives: one to maximise (e.g. accuracy) and one to minimise (e.g. latency).
 *
 * <pre>{@code
 * List<Candidate> front = Pareto.front(candidates, Candidate::accuracy, Candidate::latencyMs);
 * }</pre>
 */
public final class Pareto {
    private Pareto() {}

    /**
     * The items no other item dominates (at least as good in both objectives and better in one), sorted by
     * increasing cost. Items with a non-finite objective are ignored; of equal points the first is kept.
     */
    public static <T> List<T> front(List<T> items, ToDoubleFunction<T> maximise, ToDoubleFunction<T> minimise) {
        if (items == null || maximise == null || minimise == null) {
            throw new IllegalArgumentException("Pareto.front needs items and both objectives");
        }
        List<T> valid = new ArrayList<>();
        for (T t : items) {
            if (t != null && Double.isFinite(maximise.applyAsDouble(t)) && Double.isFinite(minimise.applyAsDouble(t))) {
                valid.add(t);
            }
        }
        List<T> sorted = new ArrayList<>(valid);
        sorted.sort(Comparator.<T>comparingDouble(minimise)
                .thenComparing(maximise::applyAsDouble, Comparator.reverseOrder()));
        List<T> front = new ArrayList<>();
        double best = Double.NEGATIVE_INFINITY;
        for (T t : sorted) {
            double v = maximise.applyAsDouble(t);
            if (v > best) {
                front.add(t);
                best = v;
            }
        }
        return List.copyOf(front);
    }

    /** True when {@code a} dominates {@code b}. */
    public static boolean dominates(double maxA, double minA, double maxB, double minB) {
        return maxA >= maxB && minA <= minB && (maxA > maxB || minA < minB);
    }
}
