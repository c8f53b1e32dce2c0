package org.mobilenas.core.experiment;

import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress over a whole experiment, counted in epochs: a terminal bar when requested on a terminal (and the
 * {@code CI} variable is unset), one plain log line per finished job otherwise.
 */
final class ExperimentProgress implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExperimentRunner.class);
    private final ProgressBar bar;
    private final int jobs;
    private final long t0 = System.nanoTime();

    private ExperimentProgress(ProgressBar bar, int jobs) {
        this.bar = bar;
        this.jobs = jobs;
    }

    static ExperimentProgress open(boolean requested, int jobs, int epochsPerJob) {
        boolean terminal = requested && System.console() != null && System.getenv("CI") == null;
        if (!terminal || jobs == 0) {
            return new ExperimentProgress(null, jobs);
        }
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName("experiment")
                .setInitialMax((long) jobs * epochsPerJob)
                .setUnit(" epochs", 1)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(1000)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .build();
        return new ExperimentProgress(bar, jobs);
    }

    synchronized void epochDone(String network) {
        if (bar != null) {
            bar.step();
            bar.setExtraMessage(network);
        }
    }

    synchronized void jobDone(int finished, JobResult r) {
        if (bar != null) {
            bar.setExtraMessage(String.format(Locale.ROOT, "%d/%d jobs", finished, jobs));
            return;
        }
        LOG.info(String.format(Locale.ROOT, "job %d/%d %s %s seed %d: %s held-out %.4f test %.4f (%.0f s, %.0f s in all)",
                finished, jobs, r.group(), r.network(), r.seed(), r.status(), r.heldOutTop1(), r.testTop1(),
                r.seconds(), (System.nanoTime() - t0) / 1e9));
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
