package org.mobilenas.spark;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkContext;
import org.mobilenas.core.experiment.ProxyData;
import org.mobilenas.core.experiment.ProxyTask;
import org.mobilenas.core.json.SpecJson;
import org.mobilenas.core.search.Evaluator;
import org.mobilenas.core.search.Outcome;
import org.mobilenas.core.spec.NetworkSpec;

/**
 * An {@link Evaluator} whose candidates are scored on Apache Spark executors: one task per candidate, the spec
 * sent as JSON, every candidate scored with the same seed, so an outcome does not depend on where or in which
 * order it ran. Outcomes come back in the candidates' order. A task failure is retried by Spark; a candidate whose
 * task still fails is recorded as failed with the reason, and the rest of the batch completes.
 *
 * <pre>{@code
 * ProxyData data = ProxyTask.fashionMnist().withEpochs(1).load();
 * try (SparkEvaluator spark = SparkEvaluator.builder().training(data, 42).build()) {   // embedded local[*]
 *     Search.builder(space).evaluator(spark)...run(10);
 * }
 * // on a cluster: the context spark-submit made; the data read where every executor reaches it
 * SparkEvaluator onCluster = SparkEvaluator.builder()
 *         .context(SparkContext.getOrCreate())
 *         .training(ProxyTask.fashionMnist().withDataDir(Path.of("/shared/fashion-mnist")), data.fingerprint(), 42)
 *         .build();
 * }</pre>
 */
public final class SparkEvaluator implements Evaluator, AutoCloseable {

    /** Scores one candidate on an executor; it and everything it captures must be serializable. */
    @FunctionalInterface
    public interface Scorer extends Serializable {
        /**
         * The candidate's outcome. Return {@link Outcome#failure} for a failure of the candidate itself (it is not
         * retried); an exception fails the task, which Spark retries.
         */
        Outcome score(NetworkSpec spec) throws Exception;
    }

    private final SparkJobs jobs;
    private final boolean ownsJobs;
    private final Scorer scorer;

    private SparkEvaluator(SparkJobs jobs, boolean ownsJobs, Scorer scorer) {
        this.jobs = jobs;
        this.ownsJobs = ownsJobs;
        this.scorer = scorer;
    }

    /** A builder; give a scorer or training data, and optionally where Spark runs. */
    public static Builder builder() {
        return new Builder();
    }

    /** Options of a {@link SparkEvaluator}. */
    public static final class Builder {
        private SparkJobs jobs;
        private SparkContext context;
        private String master;
        private Scorer scorer;
        private ProxyData shippedData;
        private ProxyTask pathTask;
        private String pathFingerprint;
        private long seed;

        private Builder() {}

        /** Run on this context (a cluster's, or a session's {@code sparkContext()}); it is not stopped on close. */
        public Builder context(SparkContext c) {
            if (c == null) {
                throw new IllegalArgumentException("context is missing: pass spark.sparkContext(), or leave it out "
                        + "for an embedded local[*] context");
            }
            this.context = c;
            return this;
        }

        /** Start an embedded context on this master (default {@code local[*]}); stopped on close. */
        public Builder master(String m) {
            if (m == null || m.isBlank()) {
                throw new IllegalArgumentException("master is missing: expected e.g. local[*] or local[2]");
            }
            this.master = m;
            return this;
        }

        /** Run on these jobs (shared with other distributed work); not closed by this evaluator. */
        public Builder jobs(SparkJobs j) {
            if (j == null) {
                throw new IllegalArgumentException("jobs is missing");
            }
            this.jobs = j;
            return this;
        }

        /** Score candidates with a custom scorer. */
        public Builder scorer(Scorer s) {
            if (s == null) {
                throw new IllegalArgumentException("scorer is missing");
            }
            this.scorer = s;
            return this;
        }

        /**
         * Proxy training on {@code data} (train split, held-out top-1) with {@code seed}; the train and held-out
         * images travel to the executors in a broadcast.
         */
        public Builder training(ProxyData data, long seed) {
            if (data == null) {
                throw new IllegalArgumentException("data is missing: expected the task's loaded ProxyData");
            }
            this.shippedData = data;
            this.seed = seed;
            return this;
        }

        /**
         * Proxy training on data every executor loads itself from {@code task}'s data directory (a path every
         * executor reaches, e.g. a shared mount); {@code fingerprint} ({@link ProxyData#fingerprint()} of the
         * driver's copy, or {@code null} to skip the check) must match the executor's.
         */
        public Builder training(ProxyTask task, String fingerprint, long seed) {
            if (task == null) {
                throw new IllegalArgumentException(
                        "task is missing: expected a ProxyTask whose dataDir every " + "executor can read");
            }
            if (task.source() == ProxyTask.Source.FASHION_MNIST && task.dataDir() == null) {
                throw new IllegalArgumentException("task.dataDir is missing: executors load the data from it, so "
                        + "give a directory every executor reaches (task.withData(...))");
            }
            this.pathTask = task;
            this.pathFingerprint = fingerprint;
            this.seed = seed;
            return this;
        }

        /** The evaluator; starts the embedded context when none was given. */
        public SparkEvaluator build() {
            int ways = (scorer != null ? 1 : 0) + (shippedData != null ? 1 : 0) + (pathTask != null ? 1 : 0);
            if (ways != 1) {
                throw new IllegalArgumentException("sparkEvaluator needs exactly one of scorer(...), "
                        + "training(data, seed) or training(task, fingerprint, seed); got " + ways);
            }
            int where = (jobs != null ? 1 : 0) + (context != null ? 1 : 0) + (master != null ? 1 : 0);
            if (where > 1) {
                throw new IllegalArgumentException(
                        "sparkEvaluator takes at most one of jobs(...), context(...) " + "and master(...)");
            }
            boolean owns = jobs == null;
            SparkJobs j = jobs != null
                    ? jobs
                    : context != null
                            ? SparkJobs.of(context)
                            : SparkJobs.embedded(master == null ? "local[*]" : master);
            Scorer s = scorer;
            if (shippedData != null) {
                s = new ProxyTraining(
                        shippedData.task(),
                        j.broadcast(ProxyTraining.ShippedData.of(shippedData)),
                        shippedData.fingerprint(),
                        seed);
            } else if (pathTask != null) {
                s = new ProxyTraining(pathTask, null, pathFingerprint, seed);
            }
            return new SparkEvaluator(j, owns, s);
        }
    }

    /** The Spark jobs this evaluator runs on. */
    public SparkJobs jobs() {
        return jobs;
    }

    @Override
    public List<Outcome> evaluate(List<NetworkSpec> candidates) {
        if (candidates == null) {
            throw new IllegalArgumentException("candidates is missing; expected a list of network specs");
        }
        Outcome[] out = new Outcome[candidates.size()];
        List<Task> tasks = new ArrayList<>();
        List<Integer> where = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            NetworkSpec s = candidates.get(i);
            if (s == null) {
                out[i] = Outcome.failure("candidate is missing (null)");
            } else {
                tasks.add(new Task(s.name(), SpecJson.toJson(s)));
                where.add(i);
            }
        }
        Scorer sc = scorer;
        List<SparkJobs.Result<Outcome>> results = jobs.map(tasks, t -> t.score(sc));
        for (int k = 0; k < results.size(); k++) {
            SparkJobs.Result<Outcome> r = results.get(k);
            out[where.get(k)] = r.succeeded()
                    ? r.value()
                    : Outcome.failure("'" + tasks.get(k).name() + "': " + r.failure());
        }
        return List.of(out);
    }

    /** Stops the embedded context, if this evaluator started it. */
    @Override
    public void close() {
        if (ownsJobs) {
            jobs.close();
        }
    }

    /** One candidate on the wire. */
    record Task(String name, String specJson) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        Outcome score(Scorer scorer) throws Exception {
            NetworkSpec spec = SpecJson.fromJson(specJson);
            Outcome o = scorer.score(spec);
            return o == null ? Outcome.failure("'" + name + "': scorer returned no outcome") : o;
        }
    }
}
