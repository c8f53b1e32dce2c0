package org.mobilenas.core.adapt;

/** How the proposal that becomes the next network is chosen among an iteration's fine-tuned proposals. */
public enum Selection {
    /** The paper's rule: the highest held-out accuracy after the short-term fine-tune. */
    HIGHEST_ACCURACY,
    /**
     * The public code's rule: the smallest accuracy drop per unit of the first constraint's resource saved
     * (relative to the current network).
     */
    SMALLEST_DROP_PER_RESOURCE
}
