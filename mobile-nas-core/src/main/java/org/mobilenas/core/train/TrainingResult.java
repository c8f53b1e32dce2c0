package org.mobilenas.core.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outcome of {@link Trainer#fit}: status, per-epoch history, best and final validation metrics, the divergence
 * (if any), and the settings that produced it. Exportable as JSON.
 *
 * <pre>{@code
 * TrainingResult r = trainer.fit(model, split.train(), split.validation());
 * if (r.status() == TrainingResult.Status.DIVERGED) System.err.println(r.divergence());
 * Files.writeString(Path.of("run.json"), r.toJson());
 * }</pre>
 *
 * @param status            how the run ended
 * @param history           one entry per finished epoch (including epochs restored from a checkpoint)
 * @param bestEpoch         epoch with the highest validation top-1, or null without validation or epochs
 * @param bestValTop1       that accuracy, or null
 * @param finalValidation   validation metrics after the last finished epoch, or null
 * @param divergence        where and why the run diverged, or null
 * @param resumedAfterEpoch the checkpointed epoch this run resumed after, or null for a fresh run
 * @param seed              the trainer's seed
 * @param settings          the trainer's settings as text (optimizer, schedule, batch size, ...)
 */
public record TrainingResult(
        Status status,
        List<EpochStats> history,
        Integer bestEpoch,
        Double bestValTop1,
        Evaluation finalValidation,
        Divergence divergence,
        Integer resumedAfterEpoch,
        long seed,
        Map<String, String> settings) {
    /** How a run ended. */
    public enum Status {
        /** All epochs ran. */
        COMPLETED,
        /** A non-finite or exploding loss or gradient stopped the run; the model holds the last good epoch. */
        DIVERGED
    }

    /**
     * Where a run diverged.
     *
     * @param epoch  0-based epoch
     * @param step   0-based global step (or -1 when found during validation)
     * @param reason what was observed
     */
    public record Divergence(int epoch, long step, String reason) {
        /** Checks the components (a bad one is an error naming it). */
        public Divergence {
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("divergence reason must not be blank");
            }
        }
    }

    /** The library's one strict mapper: unknown fields, coercions and duplicate keys are errors. */
    private static final ObjectMapper JSON = org.mobilenas.core.json.Json.mapper();

    /** Checks the components (a bad one is an error naming it). */
    public TrainingResult {
        if (status == null) {
            throw new IllegalArgumentException("status must not be null");
        }
        history = List.copyOf(history == null ? List.of() : history);
        settings = settings == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(settings));
        if ((status == Status.DIVERGED) != (divergence != null)) {
            throw new IllegalArgumentException("status " + status + " with divergence " + divergence
                    + ": expected a divergence exactly when DIVERGED");
        }
    }

    /** The last finished epoch's statistics, or null when none finished. */
    public EpochStats lastEpoch() {
        return history.isEmpty() ? null : history.get(history.size() - 1);
    }

    /** Pretty-printed JSON. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise training result: " + e.getMessage(), e);
        }
    }

    /** Writes {@link #toJson()} to a file, atomically. */
    public void writeJson(Path file) {
        org.mobilenas.core.io.AtomicFiles.writeString(file, toJson());
    }

    /** Parses the output of {@link #toJson()}. */
    public static TrainingResult fromJson(String json) {
        try {
            return JSON.readValue(json, TrainingResult.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a training result: " + e.getOriginalMessage(), e);
        }
    }

    static ObjectMapper mapper() {
        return JSON;
    }
}
