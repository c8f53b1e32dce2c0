package org.mobilenas.core.ofa;

import java.util.List;

/**
 * The outcome of {@link ProgressiveShrinking#fit}: one result per phase in order (phases restored from a
 * checkpoint included) and how many phases were restored rather than trained.
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
    public ShrinkingResult {
        phases = List.copyOf(phases);
        if (resumedPhases < 0 || resumedPhases > phases.size()) {
            throw new IllegalArgumentException("resumedPhases = " + resumedPhases + ", expected in [0, "
                    + phases.size() + "]");
        }
    }

    /** The last phase's result. */
    public PhaseResult last() {
        return phases.get(phases.size() - 1);
    }
}
