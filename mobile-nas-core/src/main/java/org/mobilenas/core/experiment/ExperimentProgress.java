package org.mobilenas.core.experiment;

import java.util.Locale;
import org.mobilenas.core.progress.Progress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress over a whole experiment, counted in epochs ({@link Progress}: a bar on a terminal, plain lines in logs,
 * nothing under {@code CI}), and one log line per finished job.
 */
final class ExperimentProgress implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExperimentRunner.class);
    private final Progress bar;
    private final int jobs;
    private final long t0 = System.nanoTime();

    private ExperimentProgress(Progress bar, int jobs) {
        this.bar = bar;
        this.jobs = jobs;
    }

    static ExperimentProgress open(boolean requested, int jobs, int epochsPerJob) {
        return new ExperimentProgress(
                Progress.open(requested && jobs > 0, "experiment", (long) jobs * epochsPerJob, "epochs"), jobs);
    }

    void epochDone(String network) {
        bar.step(1, network);
    }

    void jobDone(int finished, JobResult r) {
        bar.message(String.format(Locale.ROOT, "%d/%d jobs", finished, jobs));
        LOG.info(String.format(
                Locale.ROOT,
                "job %d/%d %s %s seed %d: %s held-out %.4f test %.4f (%.0f s, %.0f s in all)",
                finished,
                jobs,
                r.group(),
                r.network(),
                r.seed(),
                r.status(),
                r.heldOutTop1(),
                r.testTop1(),
                r.seconds(),
                (System.nanoTime() - t0) / 1e9));
    }

    @Override
    public void close() {
        bar.close();
    }
}
