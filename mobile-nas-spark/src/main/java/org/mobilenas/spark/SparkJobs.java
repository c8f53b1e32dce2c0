package org.mobilenas.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Independent tasks on Apache Spark, one Spark job of one task per item, so that a task that still fails after
 * Spark's retries fails only its own item. Every method's long job (candidates of a search, a scaler's samples,
 * a supernet's subnets) goes through this one class.
 *
 * <p>Without a context it starts an embedded {@code local[*]} one and stops it on {@link #close()}; with a
 * {@link SparkContext} (your application's, or the one {@code spark-submit} made) it uses that cluster and leaves
 * the context running.
 *
 * <pre>{@code
 * try (SparkJobs jobs = SparkJobs.local()) {                       // embedded local[*]
 *     List<SparkJobs.Result<Integer>> r = jobs.map(List.of("a", "bb"), String::length);
 * }
 * SparkJobs onCluster = SparkJobs.of(spark.sparkContext());        // a SparkSession's context
 * }</pre>
 */
public final class SparkJobs implements AutoCloseable {

    /** Retries of a failed task in the embedded context (Spark's local mode does not retry unless asked). */
    public static final int LOCAL_TASK_ATTEMPTS = 2;

    private static final Logger LOG = LoggerFactory.getLogger(SparkJobs.class);

    /** A function a task runs on an executor; it and everything it captures must be serializable. */
    @FunctionalInterface
    public interface TaskFunction<T, R> extends Serializable {
        /** Computes the result of one item; an exception fails the task (Spark retries it). */
        R apply(T item) throws Exception;
    }

    /**
     * The result of one item: its value, or why its task failed after Spark's retries.
     *
     * @param value   the task's result; {@code null} for a failure
     * @param failure the last attempt's error, condensed to one line; {@code null} for a success
     * @param <R>     the result type
     */
    public record Result<R>(R value, String failure) {
        /** Whether the task succeeded. */
        public boolean succeeded() {
            return failure == null;
        }
    }

    private final JavaSparkContext context;
    private final boolean owned;

    private SparkJobs(JavaSparkContext context, boolean owned) {
        this.context = context;
        this.owned = owned;
    }

    /** An embedded context on {@code local[*]} (every core of this machine), stopped by {@link #close()}. */
    public static SparkJobs local() {
        return embedded("local[*]");
    }

    /**
     * An embedded context on {@code master} (e.g. {@code local[2]}), stopped by {@link #close()}. A
     * {@code local[n]} master becomes {@code local[n,2]} so that a failed task is tried twice, as on a cluster;
     * Spark's logging is set to WARN.
     */
    public static SparkJobs embedded(String master) {
        if (master == null || master.isBlank()) {
            throw new IllegalArgumentException(
                    "master is missing: expected e.g. local[*], local[2] or " + "spark://host:7077");
        }
        String m = master.trim();
        if (m.matches("local\\[(\\*|\\d+)]")) {
            m = m.substring(0, m.length() - 1) + "," + LOCAL_TASK_ATTEMPTS + "]";
        } else if (m.equals("local")) {
            m = "local[1," + LOCAL_TASK_ATTEMPTS + "]";
        }
        SparkConf conf = new SparkConf()
                .setMaster(m)
                .setAppName("mobile-nas")
                .set("spark.ui.enabled", "false")
                .set("spark.log.level", "WARN")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        JavaSparkContext jsc;
        try {
            jsc = new JavaSparkContext(conf);
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "cannot start an embedded Spark context on '" + master + "': " + e.getMessage() + addOpensHint(e),
                    e);
        } catch (ExceptionInInitializerError | NoClassDefFoundError e) {
            throw new IllegalStateException(
                    "cannot start an embedded Spark context on '" + master + "': " + e + addOpensHint(e), e);
        }
        jsc.setLogLevel("WARN");
        LOG.info("embedded Spark context on {} (default parallelism {})", m, jsc.defaultParallelism());
        return new SparkJobs(jsc, true);
    }

    /** Jobs on an existing context (a cluster's, or your session's {@code sparkContext()}); not stopped by us. */
    public static SparkJobs of(SparkContext context) {
        if (context == null) {
            throw new IllegalArgumentException(
                    "context is missing: pass spark.sparkContext(), or use " + "SparkJobs.local()");
        }
        return new SparkJobs(JavaSparkContext.fromSparkContext(context), false);
    }

    private static String addOpensHint(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String s = String.valueOf(t.getMessage());
            if (t instanceof IllegalAccessException
                    || s.contains("does not \"opens")
                    || s.contains("module java.base does not")) {
                return " (on Java 17 Spark needs --add-opens flags; see mobile-nas-spark's README section)";
            }
        }
        return "";
    }

    /** The Spark context the jobs run on. */
    public JavaSparkContext context() {
        return context;
    }

    /** Task slots of the context (Spark's default parallelism). */
    public int slots() {
        return context.defaultParallelism();
    }

    /** Sends {@code value} once to every executor (e.g. a dataset or a supernet's weights). */
    public <V> Broadcast<V> broadcast(V value) {
        if (value == null) {
            throw new IllegalArgumentException("broadcast value is missing");
        }
        return context.broadcast(value);
    }

    /**
     * Runs {@code fn} on every item, one task each, all submitted at once so that they fill the executors'
     * slots; returns one result per item, in order. An item whose task fails after Spark's retries gets a
     * failed result with the reason; the others complete.
     *
     * @throws IllegalStateException when interrupted (the running jobs are cancelled)
     */
    public <T extends Serializable, R> List<Result<R>> map(List<T> items, TaskFunction<T, R> fn) {
        if (items == null) {
            throw new IllegalArgumentException("items is missing; expected a list");
        }
        if (fn == null) {
            throw new IllegalArgumentException("task function is missing");
        }
        List<JavaFutureAction<List<R>>> running = new ArrayList<>(items.size());
        for (T item : items) {
            running.add(context.parallelize(List.of(item), 1).map(fn::apply).collectAsync());
        }
        List<Result<R>> out = new ArrayList<>(items.size());
        try {
            for (JavaFutureAction<List<R>> f : running) {
                try {
                    List<R> r = f.get();
                    out.add(new Result<>(r.get(0), null));
                } catch (ExecutionException e) {
                    out.add(new Result<>(null, condense(e.getCause() == null ? e : e.getCause())));
                }
            }
        } catch (InterruptedException e) {
            running.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Spark tasks", e);
        }
        return out;
    }

    /**
     * One line from Spark's job-abort message: the attempts and the last attempt's exception, without the
     * stack trace and the executor's host name.
     */
    static String condense(Throwable t) {
        String msg = t.getMessage() == null ? t.toString() : t.getMessage();
        String firstLine = msg.lines().findFirst().orElse(msg);
        int attempts = -1;
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("failed (\\d+) times?").matcher(firstLine);
        if (m.find()) {
            attempts = Integer.parseInt(m.group(1));
        }
        String cause = firstLine;
        int i = firstLine.indexOf("): ");
        int recent = firstLine.indexOf("most recent failure:");
        if (recent >= 0 && i > recent) {
            cause = firstLine.substring(i + 3);
        }
        return (attempts > 0
                        ? String.format(Locale.ROOT, "task failed %d time%s: ", attempts, attempts == 1 ? "" : "s")
                        : "task failed: ")
                + cause.trim();
    }

    /** Stops the context if it was started here. */
    @Override
    public void close() {
        if (owned) {
            context.stop();
        }
    }
}
