package org.mobilenas.core.adapt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.mobilenas.core.engine.Network;
import org.mobilenas.core.io.AtomicFiles;

/**
 * The checkpoint directory of a {@link NetAdapter} run: the report so far ({@value #STATE_FILE}, which carries the
 * settings' fingerprint), the network chosen by every iteration ({@code network-0001.mnas}, ...) and the
 * long-term fine-tuned result ({@value #FINAL_FILE}). Every file is written atomically, the networks before the
 * report that lists them, so a run killed at any point resumes from its last finished iteration.
 */
final class AdaptationStore {
    static final String STATE_FILE = "netadapt-state.json";
    static final String FINAL_FILE = "final.mnas";

    private final Path dir;

    AdaptationStore(Path dir) {
        this.dir = dir;
    }

    static String networkFile(int iteration) {
        return String.format(Locale.ROOT, "network-%04d.mnas", iteration);
    }

    Path finalFile() {
        return dir.resolve(FINAL_FILE);
    }

    /**
     * The report of a checkpointed run with the same settings, its iterations' networks appended to
     * {@code networks}; {@code null} when the directory holds none. A run with other settings is refused.
     */
    AdaptationReport resume(String fingerprint, List<Network> networks) {
        Path state = dir.resolve(STATE_FILE);
        if (!Files.exists(state)) {
            return null;
        }
        AdaptationReport r;
        try {
            r = AdaptationReport.fromJson(Files.readString(state));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + state + ": " + e.getMessage(), e);
        }
        if (!r.fingerprint().equals(fingerprint)) {
            throw new IllegalStateException("checkpoint " + state + " was written by an adaptation with settings "
                    + r.fingerprint() + ", but this one has " + fingerprint
                    + "; expected the same settings (or use an empty checkpoint directory)");
        }
        for (AdaptationReport.Iteration it : r.iterations()) {
            Path f = dir.resolve(it.networkFile());
            if (!Files.exists(f)) {
                throw new IllegalStateException("checkpoint " + state + " lists " + f + ", which is missing");
            }
            networks.add(Network.load(f));
        }
        return r;
    }

    /** Saves iteration {@code iteration}'s network (none for the start) and then the report listing it. */
    void save(AdaptationReport report, Network network, int iteration) {
        if (network != null) {
            network.save(dir.resolve(networkFile(iteration)));
        }
        writeState(report);
    }

    void writeState(AdaptationReport report) {
        AtomicFiles.writeString(dir.resolve(STATE_FILE), report.toJson());
    }
}
