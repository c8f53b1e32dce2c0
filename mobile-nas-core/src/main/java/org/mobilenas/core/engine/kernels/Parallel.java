package org.mobilenas.core.engine.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The small fixed team of threads the kernels share. Its size is {@code mobilenas.threads} (system property) or the
 * number of available processors. Work is always split into parts chosen by the caller from the problem size
 * only, so results never depend on the number of threads or on timing.
 *
 * <p>The caller runs parts itself alongside {@code threads - 1} worker threads, which spin for a short while
 * ({@value #SPIN_NANOS} ns) after each region before they park: a network's kernels come back to back, and waking
 * a parked thread cost about 45 microseconds here, more than many kernels at batch 1 take. A region started while
 * the team is busy (another caller thread, or a kernel nested in a part) runs its parts on the calling thread.
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
    /** How long an idle worker spins for the next region before it parks. */
    static final long SPIN_NANOS = 200_000;

    private static final ReentrantLock TEAM = new ReentrantLock();
    private static final Thread[] WORKERS = new Thread[THREADS - 1];
    private static volatile Region current;
    /** Regions started so far (written under {@code TEAM}, published through {@link #current}). */
    private static long started;

    private static final AtomicInteger SLEEPING = new AtomicInteger();

    static {
        for (int i = 0; i < WORKERS.length; i++) {
            Thread t = new Thread(Parallel::work, "mobilenas-kernel-" + (i + 1));
            t.setDaemon(true);
            WORKERS[i] = t;
            t.start();
        }
    }

    /** One parallel region: parts are claimed by index, by the caller and the workers alike. */
    private static final class Region {
        final RangeBody body;
        final int n;
        final int parts;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        /** 1, 2, ... in the order regions start (regions start one at a time, under {@code TEAM}). */
        final long number = ++started;

        volatile Throwable failure;

        Region(RangeBody body, int n, int parts) {
            this.body = body;
            this.n = n;
            this.parts = parts;
        }

        /** Claims and runs parts until none is left. */
        void runParts() {
            for (int i = next.getAndIncrement(); i < parts; i = next.getAndIncrement()) {
                try {
                    body.run(i, start(n, parts, i), start(n, parts, i + 1));
                } catch (Throwable e) {
                    if (failure == null) {
                        failure = e;
                    }
                }
                done.incrementAndGet();
            }
        }
    }

    private static final ThreadLocal<Boolean> IN_TEAM = ThreadLocal.withInitial(() -> false);

    private static void work() {
        IN_TEAM.set(true);
        // the number of the last region worked on, not the region itself: no finished region's data stays reachable
        long last = 0;
        while (true) {
            Region r = current;
            if (r == null || r.number == last) {
                long until = System.nanoTime() + SPIN_NANOS;
                while ((r = current) == null || r.number == last) {
                    if (System.nanoTime() > until) {
                        SLEEPING.incrementAndGet();
                        if ((r = current) == null || r.number == last) {
                            LockSupport.park();
                        }
                        SLEEPING.decrementAndGet();
                        until = System.nanoTime() + SPIN_NANOS;
                    } else {
                        Thread.onSpinWait();
                    }
                }
            }
            last = r.number;
            r.runParts();
            r = null;
        }
    }

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
        if (p == 1 || WORKERS.length == 0) {
            for (int i = 0; i < p; i++) {
                body.run(i, start(n, p, i), start(n, p, i + 1));
            }
            return;
        }
        if (IN_TEAM.get() || !TEAM.tryLock()) {
            // nested in a part, or another thread has the team: this thread runs the parts
            for (int i = 0; i < p; i++) {
                body.run(i, start(n, p, i), start(n, p, i + 1));
            }
            return;
        }
        IN_TEAM.set(true);
        try {
            Region r = new Region(body, n, p);
            current = r;
            if (SLEEPING.get() > 0) {
                for (Thread t : WORKERS) {
                    LockSupport.unpark(t);
                }
            }
            r.runParts();
            while (r.done.get() < p) {
                Thread.onSpinWait();
            }
            current = null;
            Throwable failure = r.failure;
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
        } finally {
            IN_TEAM.set(false);
            TEAM.unlock();
        }
    }

    /** First index of part {@code i} when {@code [0, n)} is split into {@code p} near-equal parts. */
    public static int start(int n, int p, int i) {
        return (int) ((long) n * i / p);
    }
}
