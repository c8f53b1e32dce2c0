package org.mobilenas.core.search;

import java.util.OptionalDouble;

/**
 * What evaluating one candidate network gave: an accuracy in [0, 1], or a failure with a reason (the candidate
 * could not be built, trained or scored). Exactly one of the two is present.
 *
 * <pre>{@code
 * Outcome ok = Outcome.accuracy(0.71);
 * Outcome bad = Outcome.failure("training diverged at epoch 2");
 * if (ok.succeeded()) { double a = ok.value(); }
 * }</pre>
 *
 * <p>Serializable (its constructor checks every deserialized instance), so a distributed evaluator can return it
 * from a worker.
 *
 * @param accuracy top-1 accuracy in [0, 1]; {@code NaN} for a failure
 * @param failure  why the candidate failed; {@code null} for a success
 */
public record Outcome(double accuracy, String failure) implements java.io.Serializable {
    /** Checks the components (a bad one is an error naming it). */
    public Outcome {
        if (failure == null) {
            if (!(accuracy >= 0 && accuracy <= 1)) {
                throw new IllegalArgumentException("outcome.accuracy " + accuracy + " must be in [0, 1]");
            }
        } else {
            if (failure.isBlank()) {
                throw new IllegalArgumentException("outcome.failure must not be blank; give the reason");
            }
            if (!Double.isNaN(accuracy)) {
                throw new IllegalArgumentException("outcome.accuracy " + accuracy + " must be NaN for a failure");
            }
        }
    }

    /** A successful evaluation. */
    public static Outcome accuracy(double accuracy) {
        return new Outcome(accuracy, null);
    }

    /** A failed evaluation with its reason. */
    public static Outcome failure(String reason) {
        return new Outcome(Double.NaN, reason == null || reason.isBlank() ? "unknown failure" : reason);
    }

    /** Whether the candidate trained and was evaluated (no failure). */
    public boolean succeeded() {
        return failure == null;
    }

    /** The accuracy, or empty for a failure. */
    public OptionalDouble value() {
        return succeeded() ? OptionalDouble.of(accuracy) : OptionalDouble.empty();
    }
}
