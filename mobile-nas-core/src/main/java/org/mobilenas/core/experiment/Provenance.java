package org.mobilenas.core.experiment;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Where a result came from: library and Java versions, the machine, the task's settings, the seeds, when it ran
 * and how long it took.
 *
 * <pre>{@code
 * Provenance p = Provenance.of("tinynet", "full", task, List.of(1L, 2L), started, wallSeconds);
 * }</pre>
 *
 * @param experiment  the experiment's name
 * @param preset      the preset that ran ({@code quick}, {@code full}, ...)
 * @param library     this library's version
 * @param java        the Java runtime's version and vendor
 * @param os          operating system name, version and architecture
 * @param cores       processors available to the JVM
 * @param maxHeapMb   the JVM's heap limit in MiB
 * @param threads     the engine's kernel threads
 * @param task        the proxy task's settings
 * @param seeds       the seeds of the trained networks
 * @param started     start time (UTC, ISO-8601)
 * @param wallSeconds wall time of this run (a resumed run counts only its own part)
 */
public record Provenance(
        String experiment,
        String preset,
        String library,
        String java,
        String os,
        int cores,
        long maxHeapMb,
        int threads,
        Map<String, String> task,
        List<Long> seeds,
        String started,
        double wallSeconds) {
    /** Checks the components (a bad one is an error naming it). */
    public Provenance {
        task = Map.copyOf(task);
        seeds = List.copyOf(seeds);
    }

    /** The provenance of a run on this JVM. */
    public static Provenance of(
            String experiment, String preset, ProxyTask task, List<Long> seeds, Instant started, double wallSeconds) {
        return of(experiment, preset, task.settings(), seeds, started, wallSeconds);
    }

    /** The provenance of a run on this JVM whose settings are not a proxy task's (e.g. latency measurements). */
    public static Provenance of(
            String experiment,
            String preset,
            Map<String, String> settings,
            List<Long> seeds,
            Instant started,
            double wallSeconds) {
        return new Provenance(
                experiment,
                preset,
                libraryVersion(),
                System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20,
                org.mobilenas.core.engine.kernels.Parallel.threads(),
                new java.util.TreeMap<>(settings),
                seeds,
                started.toString(),
                wallSeconds);
    }

    /** This library's version, from the build, or {@code "unknown"}. */
    public static String libraryVersion() {
        try (InputStream in = Provenance.class.getResourceAsStream("/org/mobilenas/core/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
