package org.mobilenas.core.tiny;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.function.DoubleFunction;
import java.util.function.ToDoubleFunction;
import org.mobilenas.core.budget.InfeasibleBudgetException;
import org.mobilenas.core.cost.Costs;
import org.mobilenas.core.search.Evaluator;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.spec.Scaling;
import org.mobilenas.core.spec.SpecException;

/**
 * Downsizes (or enlarges) a base network by twisting its resolution r, depth d and width w — the "model Rubik's
 * cube". The scaler is immutable and reads every cost from one budget function (exact MACs by default, a latency
 * model when given), so rounding of channels, depths and resolutions is always accounted for.
 *
 * <ul>
 *   <li>{@link #scale(double, double, double)}: the base at (r, d, w) under the scaler's {@link Scaling.Rules}
 *       (resolution {@code floor(base·r)}, channels {@code make_divisible(c·w, 8)}, depths rounded per stage);</li>
 *   <li>{@link #giant(double)}: EfficientNet's giant formula {@code r = γ^φ, d = α^φ, w = β^φ};</li>
 *   <li>{@link #inverseGiant(double)}: the same with φ &lt; 0, the φ whose exact cost is nearest a budget c;</li>
 *   <li>{@link #widthOnly(double)}: r = d = 1, w solved for the budget;</li>
 *   <li>{@link #sample(double, int, long)}: random (r, d) with w solved so the cost lands within the tolerance
 *       of a budget;</li>
 *   <li>{@link #fit(List, int, Evaluator, long)}: evaluates samples at several budgets, keeps the Pareto-best,
 *       fits the tiny formula (Gaussian processes c → r and c → d) and reports Spearman correlations;</li>
 *   <li>{@link #tiny(double)}: the fitted tiny formula at budget c, {@code w = sqrt(c / (r²·d))} refined so the
 *       exact cost lands within the tolerance.</li>
 * </ul>
 * A fitted scaler saves to versioned JSON ({@link #save(Path)}) and loads without re-sampling.
 *
 * <pre>{@code
 * TinyScaler scaler = TinyScaler.builder(efficientNetB0).tolerance(0.03).build();
 * ScaledNetwork inv = scaler.inverseGiant(0.25);
 * TinyFit fit = scaler.fit(List.of(0.1, 0.25, 0.5), 16, Evaluator.of(myAccuracy), 7);
 * TinyScaler fitted = scaler.withFormula(fit.formula());
 * ScaledNetwork quarter = fitted.tiny(0.25);       // best-shaped network at 25 % of the base's FLOPs
 * fitted.save(Path.of("tiny-scaler.json"));
 * }</pre>
 */
public final class TinyScaler {
    /** Name of the default budget function: exact multiply-accumulates ({@code Costs.of(spec).macs()}). */
    public static final String MACS = "macs";

    private final NetworkSpec base;
    private final Scaling.Rules rules;
    private final CompoundCoefficients compound;
    private final String costName;
    private final ToDoubleFunction<NetworkSpec> cost;
    private final double tolerance;
    private final SamplingRanges ranges;
    private final double topFraction;
    private final TinyFormula formula;
    private final double baseCost;

    private TinyScaler(Builder b) {
        this.base = b.base;
        this.rules = b.rules;
        this.compound = b.compound;
        this.costName = b.costName;
        this.cost = b.cost;
        this.tolerance = b.tolerance;
        this.ranges = b.ranges;
        this.topFraction = b.topFraction;
        this.formula = b.formula;
        double c = cost.applyAsDouble(base);
        if (!Double.isFinite(c) || c <= 0) {
            throw new IllegalArgumentException("cost '" + costName + "' of the base network '" + base.name() + "' is "
                    + c + "; expected a finite number > 0");
        }
        this.baseCost = c;
    }

    /** A builder over {@code base}: tiny-net rules, EfficientNet's coefficients, exact MACs, tolerance 3 %. */
    public static Builder builder(NetworkSpec base) {
        return new Builder(base);
    }

    /** A builder with every setting of this scaler (formula included). */
    public Builder toBuilder() {
        Builder b = new Builder(base);
        b.rules = rules;
        b.compound = compound;
        b.costName = costName;
        b.cost = cost;
        b.tolerance = tolerance;
        b.ranges = ranges;
        b.topFraction = topFraction;
        b.formula = formula;
        return b;
    }

    /** This scaler with a fitted (or loaded) tiny formula. */
    public TinyScaler withFormula(TinyFormula f) {
        if (f == null) {
            throw new IllegalArgumentException("formula is missing");
        }
        return toBuilder().formula(f).build();
    }

    // ---------------------------------------------------------------------------------------------- scaling

    /** The base scaled by resolution {@code r}, depth {@code d} and width {@code w} (each a finite number > 0). */
    public ScaledNetwork scale(double r, double d, double w) {
        positive("r", r);
        positive("d", d);
        positive("w", w);
        int res = (int) Math.floor(base.resolution() * r + 1e-9);
        if (res < 1) {
            throw new IllegalArgumentException("r " + r + " gives resolution " + res + " for the base's "
                    + base.resolution() + " px; expected r >= " + 1.0 / base.resolution());
        }
        NetworkSpec spec = Scaling.scale(base, w, d, rules)
                .withResolution(res)
                .withName(String.format(Locale.ROOT, "%s_r%.3f_d%.3f_w%.3f", base.name(), r, d, w));
        double c = cost.applyAsDouble(spec);
        if (!Double.isFinite(c) || c < 0) {
            throw new IllegalArgumentException(
                    "cost '" + costName + "' of '" + spec.name() + "' is " + c + "; expected a finite number >= 0");
        }
        return new ScaledNetwork(r, d, w, spec, c, c / baseCost);
    }

    /** How far (relative) the inverse giant formula's network may miss its budget before it counts as infeasible. */
    public static final double MAX_INVERSE_GIANT_MISS = 0.25;
    /** The smallest compound coefficient {@link #giant} accepts. */
    public static final double MIN_PHI = -20;
    /** The largest compound coefficient {@link #giant} accepts. */
    public static final double MAX_PHI = 12;

    /** EfficientNet's giant formula: {@code scale(γ^φ, α^φ, β^φ)}, for φ in [{@value #MIN_PHI}, {@value #MAX_PHI}]. */
    public ScaledNetwork giant(double phi) {
        if (!Double.isFinite(phi) || phi < MIN_PHI || phi > MAX_PHI) {
            throw new IllegalArgumentException("phi " + phi + ": expected a finite number in [" + MIN_PHI + ", "
                    + MAX_PHI + "] (EfficientNet-B7 is phi = 6 of B0)");
        }
        return scale(Math.pow(compound.gamma(), phi), Math.pow(compound.alpha(), phi), Math.pow(compound.beta(), phi));
    }

    /**
     * The inverse giant formula at budget {@code c} in (0, 1]: starting at {@code φ = ln c / ln(α·β²·γ²)}, the
     * φ ≤ 0 whose exact cost is nearest {@code c} (by bisection on the monotone cost). The result may miss the
     * tolerance when rounding makes the cost jump; its {@link ScaledNetwork#fraction()} says by how much.
     *
     * @throws InfeasibleBudgetException when the nearest network misses the budget by more than
     *                                   {@value #MAX_INVERSE_GIANT_MISS} (relative), e.g. below the smallest network
     */
    public ScaledNetwork inverseGiant(double c) {
        checkBudget(c);
        if (c > 1) {
            throw new IllegalArgumentException("budget c " + c + " must be in (0, 1] for the inverse giant formula"
                    + " (use giant(phi) to enlarge)");
        }
        double phi0 = compound.phiForFlops(c);
        ScaledNetwork s = nearest(c, Math.max(MIN_PHI, phi0 - 4), 0, this::giantOrNull, "phi");
        if (s.relativeError(c) > Math.max(tolerance, MAX_INVERSE_GIANT_MISS)) {
            throw infeasible(c, s, "the inverse giant formula (phi in [" + Math.max(MIN_PHI, phi0 - 4) + ", 0])");
        }
        return s;
    }

    /** Width-only scaling: r = d = 1 and the width solved for budget {@code c}, within the tolerance. */
    public ScaledNetwork widthOnly(double c) {
        checkBudget(c);
        ScaledNetwork s = solveWidth(c, 1, 1);
        if (s.relativeError(c) > tolerance) {
            throw infeasible(c, s, "width alone (r = d = 1, w in [" + ranges.wMin() + ", " + ranges.wMax() + "])");
        }
        return s;
    }

    /**
     * The network at budget {@code c} with resolution {@code r} and depth {@code d}: the width is solved against
     * the exact cost; when channel rounding makes every width miss the tolerance, resolutions a few pixels
     * around {@code r} are tried as well.
     *
     * @throws InfeasibleBudgetException when no width (and no nearby resolution) lands within the tolerance
     */
    public ScaledNetwork atBudget(double c, double r, double d) {
        checkBudget(c);
        positive("r", r);
        positive("d", d);
        ScaledNetwork first = solveWidth(c, r, d);
        if (first.relativeError(c) <= tolerance) {
            return first;
        }
        int res = first.spec().resolution();
        int reach = Math.max(3, res / 10);
        ScaledNetwork nearest = first;
        for (int k = 1; k <= reach; k++) {
            for (int sign : new int[] {1, -1}) {
                int rr = res + sign * k;
                if (rr < 1) {
                    continue;
                }
                ScaledNetwork s = solveWidth(c, (rr + 0.5) / base.resolution(), d);
                if (s.relativeError(c) <= tolerance) {
                    return s;
                }
                if (s.relativeError(c) < nearest.relativeError(c)) {
                    nearest = s;
                }
            }
        }
        throw infeasible(
                c,
                nearest,
                String.format(
                        Locale.ROOT,
                        "r = %.3f (±%d px), d = %.3f, w in [%s, %s]",
                        r,
                        reach,
                        d,
                        ranges.wMin(),
                        ranges.wMax()));
    }

    /** The tiny formula at budget {@code c}: r, d from the fitted processes, w solved for the exact cost. */
    public ScaledNetwork tiny(double c) {
        checkBudget(c);
        if (formula == null) {
            throw new IllegalStateException("this scaler has no fitted tiny formula; call fit(...) and "
                    + "withFormula(fit.formula()), or load a fitted scaler with TinyScaler.load(path)");
        }
        TinyFormula.Point p = formula.predict(c);
        return atBudget(c, p.r(), p.d());
    }

    /**
     * Up to {@code n} distinct networks at budget {@code c}: r uniform in its range, d uniform in the part of its
     * range that keeps the nominal width {@code sqrt(c / (r²·d))} in range, w solved against the exact cost;
     * only networks whose cost lands within the tolerance are kept. At most {@code 30·n} draws are made.
     *
     * @throws InfeasibleBudgetException when no draw lands within the tolerance
     */
    public List<ScaledNetwork> sample(double c, int n, long seed) {
        checkBudget(c);
        if (n < 1) {
            throw new IllegalArgumentException("samples n " + n + " must be >= 1");
        }
        Random rnd = new Random(seed);
        Set<NetworkSpec> seen = new LinkedHashSet<>();
        List<ScaledNetwork> out = new ArrayList<>();
        ScaledNetwork nearest = null;
        double wMin2 = ranges.wMin() * ranges.wMin();
        double wMax2 = ranges.wMax() * ranges.wMax();
        for (int draw = 0; draw < 30 * n && out.size() < n; draw++) {
            double r = ranges.rMin() + rnd.nextDouble() * (ranges.rMax() - ranges.rMin());
            double dLo = Math.max(ranges.dMin(), c / (r * r * wMax2));
            double dHi = Math.min(ranges.dMax(), c / (r * r * wMin2));
            double d = dLo <= dHi ? dLo + rnd.nextDouble() * (dHi - dLo) : ranges.clampD(c / (r * r * wMin2));
            ScaledNetwork s;
            try {
                s = solveWidth(c, r, d);
            } catch (SpecException e) {
                continue;
            }
            if (nearest == null || s.relativeError(c) < nearest.relativeError(c)) {
                nearest = s;
            }
            if (s.relativeError(c) <= tolerance && seen.add(unnamed(s.spec()))) {
                out.add(s);
            }
        }
        if (out.isEmpty()) {
            if (nearest == null) {
                throw new InfeasibleBudgetException(
                        costName + " fraction",
                        c,
                        Double.NaN,
                        "budget c " + c + ": no network could be built for any of " + 30 * n + " draws within "
                                + ranges);
            }
            throw infeasible(c, nearest, 30 * n + " random draws within " + ranges);
        }
        return List.copyOf(out);
    }

    /**
     * Fits the tiny formula: for each budget, samples {@code samplesPerBudget} networks, evaluates them as one
     * batch, keeps the Pareto-best (lowest cost, highest accuracy) among the top {@code topFraction} by accuracy,
     * and fits Gaussian processes from {@code ln c} to r and to d on the kept models.
     *
     * @throws IllegalStateException when no candidate at all was evaluated successfully
     */
    public TinyFit fit(List<Double> budgets, int samplesPerBudget, Evaluator evaluator, long seed) {
        return TinyFitting.fit(this, budgets, samplesPerBudget, evaluator, seed);
    }

    /** See {@link TinyFitting#paretoBest}. */
    static List<Observation> paretoBest(List<Observation> obs, double fraction) {
        return TinyFitting.paretoBest(obs, fraction);
    }

    // ---------------------------------------------------------------------------------------------- solving

    /** The width in the range whose exact cost is nearest {@code c} at (r, d): bisection on the monotone cost. */
    private ScaledNetwork solveWidth(double c, double r, double d) {
        return nearest(c, ranges.wMin(), ranges.wMax(), w -> scale(r, d, w), "w");
    }

    /**
     * Bisection over a parameter on which the cost is non-decreasing: the value in [lo, hi] whose cost is
     * nearest {@code c}.
     */
    private ScaledNetwork nearest(double c, double lo, double hi, DoubleFunction<ScaledNetwork> at, String what) {
        ScaledNetwork sLo = at.apply(lo);
        if (sLo != null && sLo.fraction() >= c) {
            return sLo;
        }
        ScaledNetwork sHi = at.apply(hi);
        if (sHi == null) {
            throw new IllegalArgumentException(what + " = " + hi + " gives no valid network for '" + base.name() + "'");
        }
        if (sHi.fraction() <= c) {
            return sHi;
        }
        for (int i = 0; i < 48 && hi - lo > 1e-7 * Math.max(1, Math.abs(hi)); i++) {
            double mid = 0.5 * (lo + hi);
            ScaledNetwork s = at.apply(mid);
            if (s == null || s.fraction() < c) {
                lo = mid;
                sLo = s == null ? sLo : s;
            } else {
                hi = mid;
                sHi = s;
            }
        }
        if (sLo == null) {
            return sHi;
        }
        return sLo.relativeError(c) <= sHi.relativeError(c) ? sLo : sHi;
    }

    private ScaledNetwork giantOrNull(double phi) {
        try {
            return giant(phi);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private InfeasibleBudgetException infeasible(double c, ScaledNetwork nearest, String tried) {
        String why;
        ScaledNetwork narrowest = scale(nearest.r(), nearest.d(), ranges.wMin());
        ScaledNetwork widest = scale(nearest.r(), nearest.d(), ranges.wMax());
        if (narrowest.fraction() > c * (1 + tolerance)) {
            why = String.format(
                    Locale.ROOT,
                    "at the smallest width w = %s it still costs %.4f (layers that do not "
                            + "shrink with w and the minimum of 8 channels set a floor)",
                    ranges.wMin(),
                    narrowest.fraction());
        } else if (widest.fraction() < c * (1 - tolerance)) {
            why = String.format(
                    Locale.ROOT, "at the largest width w = %s it costs only %.4f", ranges.wMax(), widest.fraction());
        } else {
            why = "channel rounding makes the cost jump over the tolerance band";
        }
        return new InfeasibleBudgetException(
                costName + " fraction",
                c,
                nearest.fraction(),
                String.format(
                        Locale.ROOT,
                        "budget c = %s of '%s' (%s = %.6g) cannot be met within ±%.1f%% by %s: the nearest network "
                                + "(r = %.3f, d = %.3f, w = %.3f, %d px) costs %.4f of the base; %s",
                        c,
                        base.name(),
                        costName,
                        c * baseCost,
                        100 * tolerance,
                        tried,
                        nearest.r(),
                        nearest.d(),
                        nearest.w(),
                        nearest.spec().resolution(),
                        nearest.fraction(),
                        why));
    }

    private static NetworkSpec unnamed(NetworkSpec s) {
        return s.withName("");
    }

    static void checkBudget(double c) {
        if (!Double.isFinite(c) || c <= 0) {
            throw new IllegalArgumentException("budget c " + c + " must be a finite fraction of the base cost > 0");
        }
    }

    private static void positive(String field, double v) {
        if (!Double.isFinite(v) || v <= 0) {
            throw new IllegalArgumentException(field + " " + v + " must be a finite number > 0");
        }
    }

    // ---------------------------------------------------------------------------------------------- accessors

    /** The base network that is scaled down. */
    public NetworkSpec base() {
        return base;
    }

    /** The base's cost under the budget function. */
    public double baseCost() {
        return baseCost;
    }

    /** Name of the budget function (e.g. {@code flops}), recorded in reports. */
    public String costName() {
        return costName;
    }

    /** The budget function. */
    public ToDoubleFunction<NetworkSpec> cost() {
        return cost;
    }

    /** How width, depth and resolution factors are applied to the base. */
    public Scaling.Rules rules() {
        return rules;
    }

    /** The inverse giant formula's compound coefficients, for comparison. */
    public CompoundCoefficients compound() {
        return compound;
    }

    /** Relative tolerance within which a scaled network meets the budget. */
    public double tolerance() {
        return tolerance;
    }

    /** Ranges from which candidate scalings are sampled. */
    public SamplingRanges ranges() {
        return ranges;
    }

    /** Share of the best sampled models the tiny formula is fitted to. */
    public double topFraction() {
        return topFraction;
    }

    /** The fitted formula, or {@code null} when the scaler has none yet. */
    public TinyFormula formula() {
        return formula;
    }

    // ---------------------------------------------------------------------------------------------- persistence

    /** Versioned JSON of this scaler (base network, rules, settings and fitted formula). */
    public String toJson() {
        return TinyScalerJson.write(this);
    }

    /** Writes {@link #toJson()} to {@code file}. */
    public void save(Path file) {
        TinyScalerJson.save(this, file);
    }

    /** A scaler read from JSON that was fitted with the default budget function (exact MACs). */
    public static TinyScaler fromJson(String json) {
        return TinyScalerJson.read(json, MACS, null);
    }

    /** A scaler read from JSON fitted with the budget function named {@code costName}. */
    public static TinyScaler fromJson(String json, String costName, ToDoubleFunction<NetworkSpec> cost) {
        return TinyScalerJson.read(json, costName, cost);
    }

    /** Loads a scaler saved with {@link #save(Path)} (exact-MACs budget). */
    public static TinyScaler load(Path file) {
        return TinyScalerJson.read(TinyScalerJson.text(file), MACS, null);
    }

    /** Loads a scaler saved with {@link #save(Path)} whose budget function is {@code costName}. */
    public static TinyScaler load(Path file, String costName, ToDoubleFunction<NetworkSpec> cost) {
        return TinyScalerJson.read(TinyScalerJson.text(file), costName, cost);
    }

    @Override
    public String toString() {
        return "TinyScaler[base=" + base.name() + ", cost=" + costName + ", tolerance=" + tolerance + ", fitted="
                + (formula != null) + "]";
    }

    /** Fluent configuration of a {@link TinyScaler}. */
    public static final class Builder {
        private final NetworkSpec base;
        private Scaling.Rules rules = Scaling.Rules.tinyNet();
        private CompoundCoefficients compound = CompoundCoefficients.efficientNet();
        private String costName = MACS;
        private ToDoubleFunction<NetworkSpec> cost = s -> Costs.of(s).macs();
        private double tolerance = 0.03;
        private SamplingRanges ranges = SamplingRanges.defaults();
        private double topFraction = 0.25;
        private TinyFormula formula;

        private Builder(NetworkSpec base) {
            if (base == null) {
                throw new IllegalArgumentException("base network is missing");
            }
            this.base = base;
        }

        /** Rounding rules of width and depth (default {@link Scaling.Rules#tinyNet()}). */
        public Builder rules(Scaling.Rules rules) {
            if (rules == null) {
                throw new IllegalArgumentException("rules is missing");
            }
            this.rules = rules;
            return this;
        }

        /** Coefficients of the giant formula (default α=1.2, β=1.1, γ=1.15). */
        public Builder compound(CompoundCoefficients compound) {
            if (compound == null) {
                throw new IllegalArgumentException("compound is missing");
            }
            this.compound = compound;
            return this;
        }

        /**
         * The budget function, e.g. a latency model's prediction, under a name that is saved with the scaler
         * (default {@value #MACS}: exact MACs).
         */
        public Builder cost(String name, ToDoubleFunction<NetworkSpec> fn) {
            if (name == null || name.isBlank() || fn == null) {
                throw new IllegalArgumentException("cost needs a non-blank name and a function; got name '" + name
                        + "' and " + (fn == null ? "no function" : "a function"));
            }
            this.costName = name;
            this.cost = fn;
            return this;
        }

        /** Relative tolerance of a budget, in (0, 0.5] (default 0.03). */
        public Builder tolerance(double tolerance) {
            if (!(tolerance > 0 && tolerance <= 0.5)) {
                throw new IllegalArgumentException("tolerance " + tolerance + " must be in (0, 0.5]");
            }
            this.tolerance = tolerance;
            return this;
        }

        /** Ranges of r, d and w (default {@link SamplingRanges#defaults()}). */
        public Builder ranges(SamplingRanges ranges) {
            if (ranges == null) {
                throw new IllegalArgumentException("ranges is missing");
            }
            this.ranges = ranges;
            return this;
        }

        /** Fraction of each budget's models, by accuracy, the Pareto front is taken from: (0, 1] (default 0.25). */
        public Builder topFraction(double topFraction) {
            if (!(topFraction > 0 && topFraction <= 1)) {
                throw new IllegalArgumentException("topFraction " + topFraction + " must be in (0, 1]");
            }
            this.topFraction = topFraction;
            return this;
        }

        /** A fitted tiny formula ({@code null}: none). */
        public Builder formula(TinyFormula formula) {
            this.formula = formula;
            return this;
        }

        /** Builds the scaler from these settings. */
        public TinyScaler build() {
            return new TinyScaler(this);
        }
    }
}
