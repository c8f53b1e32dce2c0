package org.mobilenas.core.engine.kernels;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * The small fixed thread pool the kernels share. Its size is {@code mobilenas.threads} (system property) or the
 * number of available processors. Work is always split into parts chosen by the caller from the problem size
 * only, so results never depend on the number of threads or on timing.
 *
 * <pre>{@code
 * Parallel.forRange(rows, Parallel.parts(rows, 64), (part, from, to) -> { ... });
 * }</pre>
 */
public final class Parallel {
    /** Body of a range task: handles {@code [from, to)} as part number {@code part}. */
    @FunctionalInterface
    public interface RangeBody {
        /** Runs the items {@code [from, to)} as part number {@code part}. */
        void run(int part, int from, int to);
    }

    /** System property with the number of kernel threads, 1..{@value #MAX_THREADS} (default: the processors). */
    public static final String PROPERTY = "mobilenas.threads";
    /** The largest thread count accepted. */
    public static final int MAX_THREADS = 256;

    private static final int THREADS = threadsFromProperty();
    private static final ForkJoinPool POOL = THREADS > 1
            ? new ForkJoinPool(
                    THREADS,
                    pool -> {
                        ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                        t.setName("mobilenas-kernel-" + t.getPoolIndex());
                        t.setDaemon(true);
                        return t;
                    },
                    null,
                    false)
            : null;

    private Parallel() {}

    /** The property's thread count; a bad value is reported once, naming the property, and the default used. */
    private static int threadsFromProperty() {
        int fallback = Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors());
        String v = System.getProperty(PROPERTY);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1 && n <= MAX_THREADS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        // printed, not logged: a wrong engine setting must be visible even without a logging binding
        System.err.println("mobile-nas: -D" + PROPERTY + "=" + v + ": expected an integer 1.." + MAX_THREADS
                + "; using " + fallback);
        return fallback;
    }

    /** Number of worker threads. */
    public static int threads() {
        return THREADS;
    }

    /** A number of parts for {@code n} units of work with at least {@code minPerPart} units each (at most threads). */
    public static int parts(long n, long minPerPart) {
        long p = Math.max(1, n / Math.max(1, minPerPart));
        return (int) Math.min(THREADS, Math.min(p, Math.max(1, n)));
    }

    /** Splits {@code [0, n)} into {@code parts} contiguous ranges and runs them, possibly concurrently. */
    public static void forRange(int n, int parts, RangeBody body) {
        int p = Math.max(1, Math.min(parts, n));
        if (n <= 0) {
            return;
        }
        if (p == 1 || POOL == null) {
            for (int i = 0; i < p; i++) {
                body.run(i, start(n, p, i), start(n, p, i + 1));
            }
            return;
        }
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[p - 1];
        for (int i = 1; i < p; i++) {
            final int part = i;
            tasks[i - 1] = POOL.submit(() -> body.run(part, start(n, p, part), start(n, p, part + 1)));
        }
        body.run(0, 0, start(n, p, 1));
        RuntimeException failure = null;
        for (ForkJoinTask<?> t : tasks) {
            try {
                t.join();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** First index of part {@code i} when {@code [0, n)} is split into {@code p} near-equal parts. */
    public static int start(int n, int p, int i) {
        return (int) ((long) n * i / p);
    }
}
