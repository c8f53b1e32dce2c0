package org.mobilenas.core.train;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A terminal progress bar for one epoch, or nothing when disabled or when the {@code CI} variable is set. */
final class Progress implements AutoCloseable {
    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    static boolean enabled(boolean requested) {
        return requested && System.getenv("CI") == null;
    }

    static Progress open(boolean requested, String task, long steps) {
        if (!enabled(requested)) {
            return new Progress(null);
        }
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(steps)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .build();
        return new Progress(bar);
    }

    boolean active() {
        return bar != null;
    }

    void step(String message) {
        if (bar != null) {
            bar.step();
            bar.setExtraMessage(message);
        }
    }

    void message(String message) {
        if (bar != null) {
            bar.setExtraMessage(message);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
