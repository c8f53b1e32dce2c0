package org.mobilenas.core.search;

import java.util.List;

/**
 * One iteration of a {@link Search}: the batch the controller proposed, with its evaluated candidates.
 *
 * <pre>{@code
 * search.stream().limit(10).forEach(s -> System.out.println(s.iteration() + " " + s.meanReward()));
 * }</pre>
 *
 * @param iteration      0-based iteration
 * @param candidates     the batch in proposal order (a repeated genotype appears with its first evaluation)
 * @param newEvaluations how many candidates were evaluated in this step (0 when all came from the journal)
 * @param evaluated      distinct candidates evaluated so far
 * @param best           best feasible candidate so far, or {@code null}
 * @param elapsedSeconds wall time since the stream started
 */
public record SearchStep(
        int iteration,
        List<Candidate> candidates,
        int newEvaluations,
        int evaluated,
        Candidate best,
        double elapsedSeconds) {
    /** Checks the components (a bad one is an error naming it). */
    public SearchStep {
        if (candidates == null) {
            throw new IllegalArgumentException("step.candidates are missing");
        }
        candidates = List.copyOf(candidates);
    }

    /** True when no candidate of this step needed a new evaluation (replayed from the journal or cache). */
    public boolean replayed() {
        return newEvaluations == 0;
    }

    /** Mean reward of the batch. */
    public double meanReward() {
        return candidates.stream().mapToDouble(Candidate::reward).average().orElse(0);
    }
}
