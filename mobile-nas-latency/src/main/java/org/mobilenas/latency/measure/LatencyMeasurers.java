package org.mobilenas.latency.measure;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Discovery and selection of {@link LatencyMeasurer}s with {@link ServiceLoader}.
 *
 * <pre>{@code
 * LatencyMeasurer m = LatencyMeasurers.select();            // -Dmobilenas.latency.measurer=jvm to force one
 * LatencyMeasurer jvm = LatencyMeasurers.named("jvm");
 * }</pre>
 */
public final class LatencyMeasurers {
    private LatencyMeasurers() {}

    /** Every registered measurer, highest rank first. */
    public static List<LatencyMeasurer> all() {
        List<LatencyMeasurer> list = new ArrayList<>();
        for (LatencyMeasurer m : ServiceLoader.load(LatencyMeasurer.class, LatencyMeasurers.class.getClassLoader())) {
            list.add(m);
        }
        list.sort(Comparator.comparingInt(LatencyMeasurer::rank).reversed().thenComparing(LatencyMeasurer::name));
        return list;
    }

    /** The registered measurer called {@code name}; an error lists the registered names. */
    public static LatencyMeasurer named(String name) {
        for (LatencyMeasurer m : all()) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("latency measurer '" + name + "' not found; registered: " + names());
    }

    /** Names of the registered measurers, highest rank first. */
    public static List<String> names() {
        return all().stream().map(LatencyMeasurer::name).collect(Collectors.toList());
    }

    /** The name requested by {@value LatencyMeasurer#PROPERTY} or {@value LatencyMeasurer#ENVIRONMENT}, or null. */
    public static String override() {
        String v = System.getProperty(LatencyMeasurer.PROPERTY);
        if (v == null || v.isBlank()) {
            v = System.getenv(LatencyMeasurer.ENVIRONMENT);
        }
        return v == null || v.isBlank() ? null : v.trim();
    }

    /**
     * The measurer named by the override property or environment variable (it must be available), otherwise
     * the available measurer of highest rank.
     */
    public static LatencyMeasurer select() {
        String wanted = override();
        if (wanted != null) {
            LatencyMeasurer m = named(wanted);
            if (!m.isAvailable()) {
                throw new IllegalStateException("latency measurer '" + wanted + "' (requested by "
                        + LatencyMeasurer.PROPERTY + "/" + LatencyMeasurer.ENVIRONMENT + ") is not available here");
            }
            return m;
        }
        for (LatencyMeasurer m : all()) {
            if (m.isAvailable()) {
                return m;
            }
        }
        throw new IllegalStateException("no latency measurer is available; registered: " + names());
    }
}
