package org.mobilenas.core.search;

/**
 * One evaluated candidate of a search, as written to the journal (one JSON line each).
 *
 * <pre>{@code
 * Candidate c = result.best();
 * System.out.println(c.genotype() + " " + c.accuracy() + " " + c.latencyMs() + " ms");
 * }</pre>
 *
 * @param index     0-based order of evaluation
 * @param iteration controller iteration that proposed it first
 * @param genotype  compact genotype ({@code 2-0-1-...})
 * @param name      decoded network name, or {@code null} when the genotype did not decode
 * @param accuracy  accuracy in [0, 1], or {@code null} for a failure
 * @param failure   why it failed, or {@code null}
 * @param latencyMs predicted latency, or {@code null} without a latency model or decode
 * @param params    parameters (0 when it did not decode)
 * @param macs      multiply-accumulates (0 when it did not decode)
 * @param reward    reward (0 for a failure)
 * @param feasible  whether all hard constraints are met (false for a failure)
 * @param seconds   evaluation wall time in seconds
 */
public record Candidate(
        int index,
        int iteration,
        String genotype,
        String name,
        Double accuracy,
        String failure,
        Double latencyMs,
        long params,
        long macs,
        double reward,
        boolean feasible,
        double seconds) {
    /** Checks the components (a bad one is an error naming it). */
    public Candidate {
        if (index < 0) {
            throw new IllegalArgumentException("candidate.index " + index + " must be >= 0");
        }
        if (iteration < 0) {
            throw new IllegalArgumentException("candidate.iteration " + iteration + " must be >= 0");
        }
        if (genotype == null || genotype.isBlank()) {
            throw new IllegalArgumentException("candidate.genotype is missing");
        }
        if ((accuracy == null) == (failure == null)) {
            throw new IllegalArgumentException("candidate " + genotype + ": exactly one of accuracy and failure "
                    + "must be present, got accuracy " + accuracy + " and failure " + failure);
        }
        if (accuracy != null && !(accuracy >= 0 && accuracy <= 1)) {
            throw new IllegalArgumentException("candidate.accuracy " + accuracy + " must be in [0, 1]");
        }
        if (!Double.isFinite(reward)) {
            throw new IllegalArgumentException("candidate.reward " + reward + " must be finite");
        }
    }

    /** Whether the candidate was evaluated without failure. */
    public boolean succeeded() {
        return failure == null;
    }

    /** The genotype as a value. */
    public Genotype toGenotype() {
        return Genotype.parse(genotype);
    }

    /** The measures the reward saw (latency 0 when there was no latency model). */
    public RewardFunction.Measures measures() {
        return new RewardFunction.Measures(latencyMs == null ? 0 : latencyMs, params, macs);
    }
}
