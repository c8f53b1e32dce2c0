package org.mobilenas.core.adapt;

/** A resource budget that filter pruning cannot reach; the message names the constraint and the values. */
public class InfeasibleConstraintException extends IllegalArgumentException {
    private final String constraint;

    public InfeasibleConstraintException(String constraint, String message) {
        super(message);
        this.constraint = constraint;
    }

    /** Name of the constraint that cannot be met. */
    public String constraint() {
        return constraint;
    }
}
