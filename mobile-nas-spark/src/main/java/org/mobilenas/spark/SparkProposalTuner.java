package org.mobilenas.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.broadcast.Broadcast;
import org.mobilenas.core.adapt.ProposalTuner;
import org.mobilenas.core.adapt.ProposalWork;
import org.mobilenas.core.engine.Network;

/**
 * NetAdapt's proposals on Spark: each iteration's work (the current network's bytes, the fine-tuning schedule and
 * images) is broadcast once, and every proposal is one task that cuts, fine-tunes, recalibrates and scores it —
 * the same numbers as {@link ProposalTuner#local(int)}.
 *
 * <pre>{@code
 * try (SparkJobs jobs = SparkJobs.local()) {
 *     AdaptationResult r = NetAdapter.builder(network).proposals(SparkProposalTuner.on(jobs))...build().run();
 * }
 * }</pre>
 */
public final class SparkProposalTuner implements ProposalTuner {

    /** Per executor thread: the current network of the latest broadcast it served. */
    private static final ThreadLocal<Object[]> CURRENT = new ThreadLocal<>();

    private final SparkJobs jobs;

    private SparkProposalTuner(SparkJobs jobs) {
        this.jobs = jobs;
    }

    /** Proposals as tasks of {@code jobs}. */
    public static SparkProposalTuner on(SparkJobs jobs) {
        if (jobs == null) {
            throw new IllegalArgumentException("jobs is missing: pass SparkJobs.local() or SparkJobs.of(context)");
        }
        return new SparkProposalTuner(jobs);
    }

    @Override
    public List<ProposalWork.Tuned> tune(ProposalWork work) {
        if (work == null) {
            throw new IllegalArgumentException("work is missing");
        }
        Broadcast<ProposalWork> shared = jobs.broadcast(work);
        try {
            List<Integer> indices =
                    IntStream.range(0, work.cuts().size()).boxed().toList();
            List<SparkJobs.Result<ProposalWork.Tuned>> r = jobs.map(new ArrayList<>(indices), k -> tuneOne(shared, k));
            List<ProposalWork.Tuned> out = new ArrayList<>(r.size());
            for (int k = 0; k < r.size(); k++) {
                if (!r.get(k).succeeded()) {
                    throw new IllegalStateException("fine-tuning the proposal " + work.describe(k) + " failed: "
                            + r.get(k).failure());
                }
                out.add(r.get(k).value());
            }
            return out;
        } finally {
            shared.destroy();
        }
    }

    private static ProposalWork.Tuned tuneOne(Broadcast<ProposalWork> shared, int k) {
        ProposalWork w = shared.value();
        Object[] mine = CURRENT.get();
        Network current;
        if (mine != null && (long) mine[0] == shared.id()) {
            current = (Network) mine[1];
        } else {
            current = w.current();
            CURRENT.set(new Object[] {shared.id(), current});
        }
        return w.tune(k, current);
    }
}
