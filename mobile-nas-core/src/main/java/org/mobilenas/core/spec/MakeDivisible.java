package org.mobilenas.core.spec;

/** The channel rounding rule used by MobileNet V2/V3, MnasNet and EfficientNet. */
public final class MakeDivisible {
    /** The most channels a layer may have (the spec's bound). */
    static final int MAX_CHANNELS = 65_536;

    private MakeDivisible() {}

    /**
     * Rounds {@code value} to the nearest multiple of {@code divisor}, at least {@code divisor},
     * and never below 90 % of {@code value}.
     */
    public static int of(double value, int divisor) {
        return of(value, divisor, divisor);
    }

    /** {@code value} rounded to the nearest multiple of {@code divisor}, at least {@code min} and never more than 10 % below {@code value}. */
    public static int of(double value, int divisor, int min) {
        if (divisor <= 0) {
            throw new IllegalArgumentException("divisor " + divisor + " must be > 0");
        }
        if (!(value >= 0) || value > MAX_CHANNELS) {
            throw new SpecException("channels " + value + " after scaling: expected 0.." + MAX_CHANNELS);
        }
        int v = Math.max(min, (int) (value + divisor / 2.0) / divisor * divisor);
        if (v < 0.9 * value) {
            v += divisor;
        }
        return v;
    }

    /** {@code of(value, 8)}. */
    public static int of8(double value) {
        return of(value, 8);
    }
}
