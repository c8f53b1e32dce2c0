package org.mobilenas.core.tiny;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import org.apache.commons.math3.exception.MathIllegalArgumentException;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.SimplexOptimizer;

/**
 * One-dimensional Gaussian-process regression with a constant mean (the mean of the targets) and an
 * {@link RbfKernel} (squared exponential plus white noise). {@link #fit(double[], double[])} chooses the kernel's
 * three hyperparameters by maximising the log marginal likelihood
 * <pre>
 *   log p(y | x, θ) = −½ (y − m)ᵀ K⁻¹ (y − m) − ½ log |K| − (n/2) log 2π,   K = k(x, x) + noise · I
 * </pre>
 * over a log-spaced grid followed by a Nelder–Mead refinement in log space; the linear algebra (Cholesky) is
 * commons-math3's. Instances are immutable.
 *
 * <pre>{@code
 * GaussianProcess gp = GaussianProcess.fit(x, y);
 * double mean = gp.mean(0.4);
 * double sd = Math.sqrt(gp.variance(0.4));
 * RbfKernel fitted = gp.kernel();
 * }</pre>
 */
public final class GaussianProcess {
    private final double[] x;
    private final double[] y;
    private final RbfKernel kernel;
    private final double offset;
    private final double[] alpha;
    private final CholeskyDecomposition cholesky;
    private final double logMarginalLikelihood;

    private GaussianProcess(double[] x, double[] y, RbfKernel kernel) {
        this.x = x;
        this.y = y;
        this.kernel = kernel;
        this.offset = mean(y);
        Fit f = decompose(x, y, offset, kernel);
        if (f == null) {
            throw new IllegalArgumentException("kernel " + kernel + " gives a covariance matrix that is not positive "
                    + "definite for these " + x.length + " points; use a larger noiseVariance");
        }
        this.cholesky = f.cholesky;
        this.alpha = f.alpha;
        this.logMarginalLikelihood = f.lml;
    }

    /** Fits the kernel hyperparameters by maximum marginal likelihood; needs at least one point. */
    public static GaussianProcess fit(double[] x, double[] y) {
        check(x, y);
        double[] xs = x.clone();
        double[] ys = y.clone();
        return new GaussianProcess(xs, ys, optimise(xs, ys));
    }

    /** A process over the data with a given kernel (no hyperparameter search), e.g. one restored from JSON. */
    public static GaussianProcess withKernel(double[] x, double[] y, RbfKernel kernel) {
        check(x, y);
        if (kernel == null) {
            throw new IllegalArgumentException("kernel is missing");
        }
        return new GaussianProcess(x.clone(), y.clone(), kernel);
    }

    private static void check(double[] x, double[] y) {
        if (x == null || y == null) {
            throw new IllegalArgumentException("x and y must not be null");
        }
        if (x.length != y.length) {
            throw new IllegalArgumentException(
                    "x has " + x.length + " points but y has " + y.length + "; expected equal lengths");
        }
        if (x.length == 0) {
            throw new IllegalArgumentException("x and y are empty; expected at least one point");
        }
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
                throw new IllegalArgumentException("point " + i + " (" + x[i] + ", " + y[i] + ") is not finite");
            }
        }
    }

    /** Posterior mean at {@code at}. */
    public double mean(double at) {
        double m = offset;
        for (int i = 0; i < x.length; i++) {
            m += kernel.covariance(at, x[i]) * alpha[i];
        }
        return m;
    }

    /** Posterior variance of the latent function at {@code at} (without the observation noise). */
    public double variance(double at) {
        double[] k = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            k[i] = kernel.covariance(at, x[i]);
        }
        // v = L^-1 k; variance = k(at, at) - v·v
        RealMatrix l = cholesky.getL();
        double[] v = new double[k.length];
        for (int i = 0; i < k.length; i++) {
            double s = k[i];
            for (int j = 0; j < i; j++) {
                s -= l.getEntry(i, j) * v[j];
            }
            v[i] = s / l.getEntry(i, i);
        }
        double dot = 0;
        for (double e : v) {
            dot += e * e;
        }
        return Math.max(0, kernel.signalVariance() - dot);
    }

    /** The fitted (or given) kernel hyperparameters. */
    @JsonProperty
    public RbfKernel kernel() {
        return kernel;
    }

    /** Log marginal likelihood of the training targets under {@link #kernel()}. */
    @JsonProperty
    public double logMarginalLikelihood() {
        return logMarginalLikelihood;
    }

    /** The constant prior mean (mean of the targets). */
    @JsonProperty
    public double priorMean() {
        return offset;
    }

    /** The training inputs (a copy), for serialisation. */
    @JsonProperty
    public double[] x() {
        return x.clone();
    }

    /** The training targets (a copy), for serialisation. */
    @JsonProperty
    public double[] y() {
        return y.clone();
    }

    @Override
    public String toString() {
        return String.format(
                java.util.Locale.ROOT,
                "GaussianProcess[n=%d, lengthScale=%.4g, signalVariance=%.4g, noiseVariance=%.4g, logML=%.4f]",
                x.length,
                kernel.lengthScale(),
                kernel.signalVariance(),
                kernel.noiseVariance(),
                logMarginalLikelihood);
    }

    private record Fit(CholeskyDecomposition cholesky, double[] alpha, double lml) {}

    private static Fit decompose(double[] x, double[] y, double offset, RbfKernel k) {
        int n = x.length;
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double c = k.covariance(x[i], x[j]);
                m[i][j] = c;
                m[j][i] = c;
            }
            m[i][i] += k.noiseVariance();
        }
        CholeskyDecomposition ch;
        try {
            ch = new CholeskyDecomposition(new Array2DRowRealMatrix(m, false), 1e-12, 1e-14);
        } catch (MathIllegalArgumentException e) {
            return null;
        }
        double[] centred = new double[n];
        for (int i = 0; i < n; i++) {
            centred[i] = y[i] - offset;
        }
        RealVector a = ch.getSolver().solve(new ArrayRealVector(centred, false));
        double fitTerm = a.dotProduct(new ArrayRealVector(centred, false));
        double logDet = 0;
        RealMatrix l = ch.getL();
        for (int i = 0; i < n; i++) {
            logDet += 2 * Math.log(l.getEntry(i, i));
        }
        double lml = -0.5 * fitTerm - 0.5 * logDet - 0.5 * n * Math.log(2 * Math.PI);
        return Double.isFinite(lml) ? new Fit(ch, a.toArray(), lml) : null;
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(0);
    }

    /**
     * Grid over (lengthScale, signalVariance, noiseVariance) relative to the input span and target variance,
     * then Nelder–Mead in log space from the best grid point. Bounds keep the search well conditioned:
     * lengthScale in [span/100, span·100], signalVariance in [var/1000, var·1000], noiseVariance in
     * [var·1e-8, var·10].
     */
    private static RbfKernel optimise(double[] x, double[] y) {
        double span =
                Arrays.stream(x).max().getAsDouble() - Arrays.stream(x).min().getAsDouble();
        if (!(span > 1e-12)) {
            span = 1.0;
        }
        double m = mean(y);
        double var = 0;
        for (double v : y) {
            var += (v - m) * (v - m);
        }
        var /= y.length;
        if (!(var > 1e-12)) {
            var = 1e-6;
        }
        double[] lo = {Math.log(span / 100), Math.log(var / 1000), Math.log(var * 1e-8)};
        double[] hi = {Math.log(span * 100), Math.log(var * 1000), Math.log(var * 10)};
        if (x.length < 3) {
            return new RbfKernel(span, var, var * 1e-2);
        }
        double best = Double.NEGATIVE_INFINITY;
        double[] start = null;
        for (double l : new double[] {0.05, 0.1, 0.2, 0.5, 1, 2, 5}) {
            for (double s : new double[] {0.1, 1, 10}) {
                for (double nz : new double[] {1e-4, 1e-3, 1e-2, 0.1, 0.5}) {
                    double[] p = {Math.log(span * l), Math.log(var * s), Math.log(var * nz)};
                    double v = objective(x, y, m, p, lo, hi);
                    if (v > best) {
                        best = v;
                        start = p;
                    }
                }
            }
        }
        if (start == null) {
            return new RbfKernel(span, var, var * 0.1);
        }
        final double fm = m;
        double[] p = start;
        try {
            SimplexOptimizer opt = new SimplexOptimizer(1e-10, 1e-10);
            PointValuePair r = opt.optimize(
                    new MaxEval(2000),
                    new MaxIter(2000),
                    new ObjectiveFunction(q -> objective(x, y, fm, q, lo, hi)),
                    GoalType.MAXIMIZE,
                    new InitialGuess(start),
                    new NelderMeadSimplex(new double[] {0.5, 0.5, 0.5}));
            if (r.getValue() > best) {
                p = r.getPoint();
            }
        } catch (org.apache.commons.math3.exception.TooManyEvaluationsException e) {
            // keep the best grid point: the refinement is an improvement, not a requirement
        }
        return new RbfKernel(Math.exp(p[0]), Math.exp(p[1]), Math.exp(p[2]));
    }

    private static double objective(double[] x, double[] y, double offset, double[] p, double[] lo, double[] hi) {
        for (int i = 0; i < 3; i++) {
            if (!(p[i] >= lo[i] && p[i] <= hi[i])) {
                return -1e300;
            }
        }
        Fit f = decompose(x, y, offset, new RbfKernel(Math.exp(p[0]), Math.exp(p[1]), Math.exp(p[2])));
        return f == null ? -1e300 : f.lml;
    }
}
