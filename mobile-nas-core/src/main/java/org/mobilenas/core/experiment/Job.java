package org.mobilenas.core.experiment;

import org.mobilenas.core.spec.NetworkSpec;

/**
 * One training run of an experiment: a network, the seed of its initialisation and training, and the group it
 * belongs to in the report (e.g. {@code "tiny c=0.50"}).
 *
 * <pre>{@code
 * Job job = new Job("width-only c=0.25", spec, 2);
 * }</pre>
 *
 * @param group label that jobs of the same network and method share across seeds
 * @param spec  the network
 * @param seed  seed of initialisation, shuffling, dropout and augmentation
 */
public record Job(String group, NetworkSpec spec, long seed) {
    public Job {
        if (group == null || group.isBlank()) {
            throw new IllegalArgumentException("job.group is missing: expected a label such as \"tiny c=0.5\"");
        }
        if (spec == null) {
            throw new IllegalArgumentException("job.spec of group '" + group + "' is missing");
        }
    }
}
