package org.mobilenas.core.adapt;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.mobilenas.core.engine.Network;

/**
 * Runs the proposals of one NetAdapt iteration: fine-tunes and scores every cut of a {@link ProposalWork}. The
 * default runs them on a local thread pool; {@code mobile-nas-spark} runs each on an executor.
 *
 * <pre>{@code
 * NetAdapter adapter = NetAdapter.builder(network).proposals(ProposalTuner.local(2))...build();
 * }</pre>
 */
@FunctionalInterface
public interface ProposalTuner {

    /**
     * Tunes every cut of {@code work}; one result per cut, in order.
     *
     * @throws IllegalStateException naming the proposal when one cannot be tuned
     */
    List<ProposalWork.Tuned> tune(ProposalWork work);

    /** Proposals on {@code threads} local threads, the current network loaded once and shared read-only. */
    static ProposalTuner local(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads " + threads + ": expected >= 1");
        }
        return work -> {
            Network current = work.current();
            int n = work.cuts().size();
            ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, n)), r -> {
                Thread t = new Thread(r, "netadapt-proposal");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<ProposalWork.Tuned>> futures = new ArrayList<>(n);
                for (int k = 0; k < n; k++) {
                    int kk = k;
                    futures.add(pool.submit(() -> work.tune(kk, current)));
                }
                List<ProposalWork.Tuned> out = new ArrayList<>(n);
                for (int k = 0; k < n; k++) {
                    try {
                        out.add(futures.get(k).get());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while fine-tuning " + work.describe(k), e);
                    } catch (ExecutionException e) {
                        throw new IllegalStateException(
                                "fine-tuning the proposal " + work.describe(k) + " failed: "
                                        + e.getCause().getMessage(),
                                e.getCause());
                    }
                }
                return out;
            } finally {
                pool.shutdownNow();
            }
        };
    }
}
