package org.mobilenas.core.tiny;

/**
 * EfficientNet's compound-scaling coefficients: depth {@code alpha^φ}, width {@code beta^φ}, resolution
 * {@code gamma^φ}; FLOPs grow about {@code (alpha·beta²·gamma²)^φ}.
 *
 * <pre>{@code
 * CompoundCoefficients c = CompoundCoefficients.efficientNet();   // 1.2, 1.1, 1.15
 * double phi = c.phiForFlops(0.25);                                // about -2
 * }</pre>
 */
public record CompoundCoefficients(double alpha, double beta, double gamma) {
    /** Checks the components (a bad one is an error naming it). */
    public CompoundCoefficients {
        atLeastOne("alpha", alpha);
        atLeastOne("beta", beta);
        atLeastOne("gamma", gamma);
        if (alpha * beta * beta * gamma * gamma <= 1) {
            throw new IllegalArgumentException(
                    "compound alpha·beta²·gamma² " + alpha * beta * beta * gamma * gamma + " must be > 1");
        }
    }

    private static void atLeastOne(String field, double v) {
        if (!Double.isFinite(v) || v < 1) {
            throw new IllegalArgumentException("compound." + field + " " + v + " must be a finite number >= 1");
        }
    }

    /** α=1.2, β=1.1, γ=1.15 (the EfficientNet paper's grid-search result). */
    public static CompoundCoefficients efficientNet() {
        return new CompoundCoefficients(1.2, 1.1, 1.15);
    }

    /** {@code alpha·beta²·gamma²}: the nominal FLOPs factor per unit of φ. */
    public double flopsBase() {
        return alpha * beta * beta * gamma * gamma;
    }

    /** The φ whose nominal FLOPs factor is {@code flops}: {@code ln(flops) / ln(alpha·beta²·gamma²)}. */
    public double phiForFlops(double flops) {
        if (!Double.isFinite(flops) || flops <= 0) {
            throw new IllegalArgumentException("flops factor " + flops + " must be a finite number > 0");
        }
        return Math.log(flops) / Math.log(flopsBase());
    }
}
