package org.mobilenas.core.spec;

import java.util.Arrays;

/** Field checks of the spec records, with messages naming the field, the value and what was allowed (internal). */
final class Checks {
    private Checks() {}

    static final int[] KERNELS = {1, 3, 5, 7};
    static final int[] STRIDES = {1, 2};

    static void oneOf(String field, int value, int... allowed) {
        for (int a : allowed) {
            if (a == value) {
                return;
            }
        }
        throw new SpecException(field + " " + value + " not in " + Arrays.toString(allowed));
    }

    /** A channel count in 1..{@link Shape#MAX_CHANNELS}. */
    static void channels(String field, int value) {
        if (value <= 0 || value > Shape.MAX_CHANNELS) {
            throw new SpecException(field + " " + value + ": expected 1.." + Shape.MAX_CHANNELS);
        }
    }

    static void positive(String field, int value) {
        if (value <= 0) {
            throw new SpecException(field + " " + value + " must be > 0");
        }
    }

    static void atLeast(String field, int value, int min) {
        if (value < min) {
            throw new SpecException(field + " " + value + " must be >= " + min);
        }
    }

    static void finiteAtLeast(String field, double value, double min) {
        if (!Double.isFinite(value) || value < min) {
            throw new SpecException(field + " " + value + " must be a finite number >= " + min);
        }
    }

    static void fraction(String field, double value) {
        if (!Double.isFinite(value) || value < 0 || value >= 1) {
            throw new SpecException(field + " " + value + " must be in [0, 1)");
        }
    }

    public static <T> T notNull(String field, T value) {
        if (value == null) {
            throw new SpecException(field + " is missing");
        }
        return value;
    }
}
