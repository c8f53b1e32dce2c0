package org.mobilenas.latency.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where and how latencies were measured. Two descriptions are of the same device when {@link #name()},
 * {@link #measurer()} and {@link #threads()} agree; the rest is informative.
 *
 * @param name     device name, e.g. {@code pixel-7} or {@code jvm:AMD EPYC 7B13 x2}
 * @param measurer name of the {@link LatencyMeasurer} used
 * @param threads  worker threads
 * @param os       operating system
 * @param arch     CPU architecture
 * @param runtime  runtime (JVM version, or the device's framework)
 * @param date     when the description was taken (ISO-8601)
 *
 * <pre>{@code
 * DeviceInfo d = DeviceInfo.thisJvm("jvm", 2);
 * if (!d.sameDevice(table.device())) System.out.println(d.differences(table.device()));
 * }</pre>
 */
public record DeviceInfo(
        String name, String measurer, int threads, String os, String arch, String runtime, String date) {
    /** System property naming this machine in device metadata (default: the CPU model and core count). */
    public static final String NAME_PROPERTY = "mobilenas.latency.device";

    /** Checks the components (a bad one is an error naming it). */
    public DeviceInfo {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("device.name is missing");
        }
        if (measurer == null || measurer.isBlank()) {
            throw new IllegalArgumentException("device.measurer is missing");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("device.threads " + threads + " must be >= 1");
        }
        os = Objects.requireNonNullElse(os, "");
        arch = Objects.requireNonNullElse(arch, "");
        runtime = Objects.requireNonNullElse(runtime, "");
        date = Objects.requireNonNullElse(date, "");
    }

    /** This machine as seen by the JVM, measured by {@code measurer} with {@code threads} threads. */
    public static DeviceInfo thisJvm(String measurer, int threads) {
        String name = System.getProperty(NAME_PROPERTY);
        if (name == null || name.isBlank()) {
            name = "jvm:" + cpuModel() + " x" + Runtime.getRuntime().availableProcessors();
        }
        return new DeviceInfo(
                name,
                measurer,
                threads,
                System.getProperty("os.name", ""),
                System.getProperty("os.arch", ""),
                "java " + System.getProperty("java.version", "")
                        + (System.getenv("OMP_NUM_THREADS") == null
                                ? ""
                                : ", OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS")),
                Instant.now().toString());
    }

    /** The CPU model from {@code /proc/cpuinfo}, or the architecture when it cannot be read. */
    static String cpuModel() {
        Path info = Path.of("/proc/cpuinfo");
        try {
            if (Files.isReadable(info)) {
                for (String line : Files.readAllLines(info)) {
                    if (line.startsWith("model name")) {
                        int colon = line.indexOf(':');
                        if (colon > 0) {
                            return line.substring(colon + 1).trim();
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through to the architecture
        }
        return System.getProperty("os.arch", "cpu");
    }

    /** Whether {@code other} describes the same device, measurer and thread count. */
    public boolean sameDevice(DeviceInfo other) {
        return other != null && name.equals(other.name) && measurer.equals(other.measurer) && threads == other.threads;
    }

    /** The identifying fields that differ, e.g. {@code [threads 2 vs 4]}; empty when the devices match. */
    public List<String> differences(DeviceInfo other) {
        List<String> d = new ArrayList<>();
        if (!name.equals(other.name)) {
            d.add("name '" + name + "' vs '" + other.name + "'");
        }
        if (!measurer.equals(other.measurer)) {
            d.add("measurer '" + measurer + "' vs '" + other.measurer + "'");
        }
        if (threads != other.threads) {
            d.add("threads " + threads + " vs " + other.threads);
        }
        return d;
    }
}
