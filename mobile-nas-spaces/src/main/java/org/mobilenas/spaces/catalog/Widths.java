package org.mobilenas.spaces.catalog;

import java.math.BigDecimal;
import org.mobilenas.core.spec.SpecException;

/** Small helpers shared by the catalogue builders: argument checks and multiplier formatting. */
final class Widths {
    private Widths() {}

    /** {@code 1.0 -> "1.0"}, {@code 0.75 -> "0.75"}, {@code 2 -> "2.0"}: the form used in catalogue names. */
    static String format(double multiplier) {
        BigDecimal d = BigDecimal.valueOf(multiplier).stripTrailingZeros();
        if (d.scale() < 1) {
            d = d.setScale(1);
        }
        return d.toPlainString();
    }

    /** Largest width or depth multiplier a catalogue builder takes. */
    static final double MAX_MULTIPLIER = 64;

    /** A multiplier in (0, {@value #MAX_MULTIPLIER}], or an error naming the field. */
    static void checkPositive(String field, double value) {
        if (!Double.isFinite(value) || value <= 0 || value > MAX_MULTIPLIER) {
            throw new SpecException(field + " " + value + ": expected a finite number in (0, " + MAX_MULTIPLIER + "]");
        }
    }

    /** One of {@code allowed} (compared exactly), or an error naming the field and the allowed values. */
    static void checkOneOf(String field, double value, double... allowed) {
        StringBuilder sb = new StringBuilder();
        for (double a : allowed) {
            if (a == value) {
                return;
            }
            sb.append(sb.length() == 0 ? "" : ", ").append(format(a));
        }
        throw new SpecException(field + " " + value + " not in [" + sb + "]");
    }
}
