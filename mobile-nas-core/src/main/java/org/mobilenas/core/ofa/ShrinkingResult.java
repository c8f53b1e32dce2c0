package org.mobilenas.core.ofa;

import java.util.List;

/**
 * The outcome of {@link ProgressiveShrinking#fit}: one result per phase in order (phases restored from a
 * checkpoint included) and how many phases were restored rather than trained. Training stops at a phase that
 * diverges, which is then the last result ({@link #diverged()}).
 *
 * <pre>{@code
 * ShrinkingResult r = shrinking.fit(supernet, train, validation);
 * double minTop1 = r.last().minAccuracy();
 * }</pre>
 *
 * @param phases         per-phase results
 * @param resumedPhases  phases taken from a checkpoint
 * @param seconds        wall-clock time of this run
 */
public record ShrinkingResult(List<PhaseResult> phases, int resumedPhases, double seconds) {
    /** Checks the components (a bad one is an error naming it). */
    public ShrinkingResult {
        phases = List.copyOf(phases);
        if (resumedPhases < 0 || resumedPhases > phases.size()) {
            throw new IllegalArgumentException(
                    "resumedPhases = " + resumedPhases + ", expected in [0, " + phases.size() + "]");
        }
    }

    /** Whether training stopped on a diverged phase (the last one); later phases did not run. */
    public boolean diverged() {
        return !phases.isEmpty() && last().diverged();
    }

    /** The last phase's result. */
    public PhaseResult last() {
        return phases.get(phases.size() - 1);
    }
}
