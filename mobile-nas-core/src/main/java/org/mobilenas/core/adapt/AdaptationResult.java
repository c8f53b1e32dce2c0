package org.mobilenas.core.adapt;

import java.nio.file.Path;
import java.util.List;
import org.mobilenas.core.engine.Network;

/**
 * The adapted networks, one per iteration (index 0 is the initial network), the final network (long-term
 * fine-tuned when requested) and the report.
 *
 * <pre>{@code
 * AdaptationResult r = adapter.run();
 * r.finalNetwork().save(Path.of("adapted.mnas"));
 * }</pre>
 */
public record AdaptationResult(List<Network> networks, Network finalNetwork, AdaptationReport report) {
    /** Checks the components (a bad one is an error naming it). */
    public AdaptationResult {
        networks = List.copyOf(networks);
    }

    /** Saves network {@code i} (0 = initial) to {@code file}. */
    public void save(int i, Path file) {
        if (i < 0 || i >= networks.size()) {
            throw new IllegalArgumentException("network index " + i + " not in [0, " + (networks.size() - 1) + "]");
        }
        networks.get(i).save(file);
    }
}
