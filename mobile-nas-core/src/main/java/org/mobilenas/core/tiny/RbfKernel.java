package org.mobilenas.core.tiny;

/**
 * The squared-exponential (RBF) covariance with additive white noise used by {@link GaussianProcess}:
 * <pre>
 *   k(x, x') = signalVariance · exp(−(x − x')² / (2 · lengthScale²)) + noiseVariance · [x and x' are the same sample]
 * </pre>
 * {@code lengthScale} is how far apart (in input units) two inputs may be and still be strongly correlated,
 * {@code signalVariance} the prior variance of the function around its mean, {@code noiseVariance} the variance
 * of the observation noise.
 *
 * <pre>{@code
 * RbfKernel k = new RbfKernel(0.5, 1.0, 1e-3);
 * double cov = k.covariance(0.1, 0.3);   // without the noise term
 * }</pre>
 */
public record RbfKernel(double lengthScale, double signalVariance, double noiseVariance) {
    /** Checks the components (a bad one is an error naming it). */
    public RbfKernel {
        positive("lengthScale", lengthScale);
        positive("signalVariance", signalVariance);
        positive("noiseVariance", noiseVariance);
    }

    private static void positive(String field, double v) {
        if (!Double.isFinite(v) || v <= 0) {
            throw new IllegalArgumentException("kernel." + field + " " + v + " must be a finite number > 0");
        }
    }

    /** The noise-free covariance {@code signalVariance · exp(−(a − b)² / (2 · lengthScale²))}. */
    public double covariance(double a, double b) {
        double d = (a - b) / lengthScale;
        return signalVariance * Math.exp(-0.5 * d * d);
    }
}
