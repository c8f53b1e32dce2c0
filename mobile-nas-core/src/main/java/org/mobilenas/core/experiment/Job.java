package org.mobilenas.core.experiment;

import java.nio.file.Files;
import java.nio.file.Path;
import org.mobilenas.core.engine.Network;
import org.mobilenas.core.spec.NetworkSpec;

/**
 * One training run of an experiment: a network, the seed of its initialisation and training, and the group it
 * belongs to in the report (e.g. {@code "tiny c=0.50"}); optionally trained on from saved weights (a fine-tune)
 * instead of a fresh initialisation.
 *
 * <pre>{@code
 * Job job = new Job("width-only c=0.25", spec, 2);
 * Job fineTune = Job.fineTune("netadapt 50%", Path.of("adapt/iteration-7.mnas"), 2);
 * }</pre>
 *
 * @param group   label that jobs of the same network and method share across seeds
 * @param spec    the network
 * @param seed    seed of initialisation, shuffling, dropout and augmentation
 * @param initial a saved network ({@link Network#save}) of this spec to start from, or {@code null} for a fresh
 *                initialisation; its content is part of the job's identity
 */
public record Job(String group, NetworkSpec spec, long seed, Path initial) {
    /** Checks the components (a bad one is an error naming it). */
    public Job {
        if (group == null || group.isBlank()) {
            throw new IllegalArgumentException("job.group is missing: expected a label such as \"tiny c=0.5\"");
        }
        if (spec == null) {
            throw new IllegalArgumentException("job.spec of group '" + group + "' is missing");
        }
        if (initial != null && !Files.isRegularFile(initial)) {
            throw new IllegalArgumentException(
                    "job.initial " + initial + " of group '" + group + "': expected a saved network file");
        }
    }

    /** A job trained from a fresh initialisation. */
    public Job(String group, NetworkSpec spec, long seed) {
        this(group, spec, seed, null);
    }

    /** A job that goes on training the network saved in {@code network}. */
    public static Job fineTune(String group, Path network, long seed) {
        if (network == null || !Files.isRegularFile(network)) {
            throw new IllegalArgumentException(
                    "network " + network + " of group '" + group + "': expected a saved network file");
        }
        return new Job(group, Network.load(network).spec(), seed, network);
    }
}
