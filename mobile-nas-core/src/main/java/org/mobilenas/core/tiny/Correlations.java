package org.mobilenas.core.tiny;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;

/**
 * Spearman rank correlations of resolution r, depth d and width w with accuracy over a set of models (one
 * budget, or all of them): the importance ranking of the three dimensions. A coefficient is {@code NaN} when
 * it is undefined (fewer than three models, or a dimension that does not vary).
 *
 * <pre>{@code
 * Correlations c = fit.pooled();
 * System.out.println(c.ranking());    // e.g. [resolution, depth, width]
 * }</pre>
 *
 * @param scope  which models: {@code "c=0.25"} or {@code "all"}
 * @param models how many successfully evaluated models entered
 */
public record Correlations(String scope, int models, double resolution, double depth, double width) {
    /** Checks the components (a bad one is an error naming it). */
    public Correlations {
        if (scope == null || models < 0) {
            throw new IllegalArgumentException("correlations.scope must be present and models " + models + " >= 0");
        }
    }

    /** Correlations over the successful observations in {@code list}. */
    static Correlations of(String scope, List<Observation> list) {
        List<Observation> ok =
                list.stream().filter(o -> o.outcome().succeeded()).toList();
        int n = ok.size();
        double[] acc = new double[n];
        double[] r = new double[n];
        double[] d = new double[n];
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            Observation o = ok.get(i);
            acc[i] = o.outcome().accuracy();
            r[i] = o.r();
            d[i] = o.d();
            w[i] = o.w();
        }
        return new Correlations(scope, n, spearman(r, acc), spearman(d, acc), spearman(w, acc));
    }

    private static double spearman(double[] a, double[] b) {
        if (a.length < 3 || constant(a) || constant(b)) {
            return Double.NaN;
        }
        return new SpearmansCorrelation().correlation(a, b);
    }

    private static boolean constant(double[] v) {
        for (double e : v) {
            if (e != v[0]) {
                return false;
            }
        }
        return true;
    }

    /** Dimension names ordered by |ρ|, largest first; undefined coefficients last. */
    public List<String> ranking() {
        List<String> names = new ArrayList<>(List.of("resolution", "depth", "width"));
        double[] v = {resolution, depth, width};
        names.sort(Comparator.comparingDouble(s -> {
            double x = v[List.of("resolution", "depth", "width").indexOf(s)];
            return Double.isNaN(x) ? 1 : -Math.abs(x);
        }));
        return List.copyOf(names);
    }
}
