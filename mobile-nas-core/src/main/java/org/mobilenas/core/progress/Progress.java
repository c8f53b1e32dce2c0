package org.mobilenas.core.progress;

import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of a long job (training, search, table building, adaptation, experiments), one way everywhere: a bar
 * on standard error when attached to a terminal; plain periodic lines through SLF4J (logger
 * {@code org.mobilenas.progress}, INFO, at most one per {@link #LINE_INTERVAL_SECONDS} seconds and one at the end)
 * when not, so log files hold no control codes and an embedding application decides where they go; nothing when
 * the {@code CI} variable is set or progress was not requested.
 *
 * <pre>{@code
 * try (Progress p = Progress.open(true, "latency table", todo.size(), "keys")) {
 *     for (...) { ...; p.step(1, "conv 3x3 32->64"); }
 * }
 * }</pre>
 */
public final class Progress implements AutoCloseable {
    /** Seconds between two plain lines when not on a terminal. */
    public static final long LINE_INTERVAL_SECONDS = 30;

    private static final Logger LOG = LoggerFactory.getLogger("org.mobilenas.progress");

    private final String task;
    private final String unit;
    private final ProgressBar bar;
    private final boolean lines;
    private final long t0 = System.nanoTime();
    private long total;
    private long done;
    private long lastLine = System.nanoTime();
    private String message = "";

    private Progress(String task, long total, String unit, ProgressBar bar, boolean lines) {
        this.task = task;
        this.total = total;
        this.unit = unit;
        this.bar = bar;
        this.lines = lines;
    }

    /** How progress is shown here: a bar, plain lines, or nothing. */
    public enum Mode {
        /** A bar redrawn in place (an interactive terminal). */
        BAR,
        /** Plain lines at intervals (a log file or pipe). */
        LINES,
        /** Nothing (e.g. under CI). */
        OFF
    }

    /** What {@link #open} would show for a request: OFF when not requested or under CI, BAR on a terminal. */
    public static Mode mode(boolean requested) {
        if (!requested || System.getenv("CI") != null) {
            return Mode.OFF;
        }
        return System.console() != null ? Mode.BAR : Mode.LINES;
    }

    /**
     * Progress of {@code total} units of {@code task} (e.g. 390 "steps"); {@code requested} false gives a progress
     * that shows nothing.
     */
    public static Progress open(boolean requested, String task, long total, String unit) {
        Mode m = mode(requested);
        ProgressBar bar = null;
        if (m == Mode.BAR) {
            bar = new ProgressBarBuilder()
                    .setTaskName(task)
                    .setInitialMax(Math.max(0, total))
                    .setUnit(" " + unit, 1)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(250)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err))
                    .build();
        }
        return new Progress(task, Math.max(0, total), unit, bar, m == Mode.LINES);
    }

    /** Whether anything is shown. */
    public boolean active() {
        return bar != null || lines;
    }

    /** Another {@code units} done, with a short status message (or {@code null} to keep the last one). */
    public synchronized void step(long units, String status) {
        done += units;
        if (status != null) {
            message = status;
        }
        if (bar != null) {
            bar.stepBy(units);
            bar.setExtraMessage(message);
        } else if (lines && System.nanoTime() - lastLine >= LINE_INTERVAL_SECONDS * 1_000_000_000L) {
            line();
        }
    }

    /** Sets the status message. */
    public synchronized void message(String status) {
        step(0, status);
    }

    /** Changes the total (e.g. once it is known). */
    public synchronized void total(long newTotal) {
        total = Math.max(0, newTotal);
        if (bar != null) {
            bar.maxHint(total);
        }
    }

    private void line() {
        lastLine = System.nanoTime();
        double s = (lastLine - t0) / 1e9;
        String eta = done > 0 && total > done
                ? String.format(Locale.ROOT, ", about %.0f s left", s / done * (total - done))
                : "";
        LOG.info(String.format(
                Locale.ROOT,
                "%s: %d/%d %s (%.0f%%) after %.0f s%s%s",
                task,
                done,
                total,
                unit,
                total == 0 ? 100.0 : 100.0 * done / total,
                s,
                eta,
                message.isEmpty() ? "" : "; " + message));
    }

    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.close();
        } else if (lines && done > 0) {
            line();
        }
    }
}
