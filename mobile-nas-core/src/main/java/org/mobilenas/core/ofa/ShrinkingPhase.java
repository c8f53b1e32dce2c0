package org.mobilenas.core.ofa;

import java.util.List;
import org.mobilenas.core.train.LrSchedule;

/**
 * One phase of progressive shrinking: which kernel, depth and expand choices subnets are sampled from, how many
 * subnets' gradients accumulate into each step, for how many epochs, at which learning-rate schedule, whether the
 * expanded channels are re-sorted by importance at the start, and whether the loss distils from the full network.
 *
 * <pre>{@code
 * var p = new ShrinkingPhase("depth-1", List.of(3, 5, 7), List.of(3, 4), List.of(6), 2, 25,
 *         LrSchedule.cosine(2.5e-3), false, true);
 * }</pre>
 */
public record ShrinkingPhase(
        String name,
        List<Integer> kernels,
        List<Integer> depths,
        List<Integer> expands,
        int subnetsPerStep,
        int epochs,
        LrSchedule schedule,
        boolean sortChannels,
        boolean distill) {
    /** Checks the components (a bad one is an error naming it). */
    public ShrinkingPhase {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("phase.name must be a non-blank string, got " + name);
        }
        kernels = nonEmpty(name, "kernels", kernels);
        depths = nonEmpty(name, "depths", depths);
        expands = nonEmpty(name, "expands", expands);
        if (subnetsPerStep < 1) {
            throw new IllegalArgumentException(
                    "phase " + name + ": subnetsPerStep = " + subnetsPerStep + ", expected >= 1");
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("phase " + name + ": epochs = " + epochs + ", expected >= 1");
        }
        if (schedule == null) {
            throw new IllegalArgumentException("phase " + name + ": schedule is missing");
        }
    }

    private static List<Integer> nonEmpty(String phase, String field, List<Integer> list) {
        if (list == null || list.isEmpty()) {
            throw new IllegalArgumentException(
                    "phase " + phase + ": " + field + " must be a non-empty list, got " + list);
        }
        return List.copyOf(list);
    }

    /** The same phase with another number of epochs. */
    public ShrinkingPhase withEpochs(int e) {
        return new ShrinkingPhase(name, kernels, depths, expands, subnetsPerStep, e, schedule, sortChannels, distill);
    }

    /** Checks the phase's choices against {@code space}. */
    void validate(ElasticSpace space) {
        check(space.kernels(), kernels, "kernels");
        check(space.depths(), depths, "depths");
        check(space.expands(), expands, "expands");
    }

    private void check(List<Integer> allowed, List<Integer> got, String field) {
        for (int v : got) {
            if (!allowed.contains(v)) {
                throw new IllegalArgumentException(
                        "phase " + name + ": " + field + " contains " + v + ", expected values from " + allowed);
            }
        }
    }
}
