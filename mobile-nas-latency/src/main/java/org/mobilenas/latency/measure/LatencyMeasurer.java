package org.mobilenas.latency.measure;

import java.util.ArrayList;
import java.util.List;
import org.mobilenas.core.spec.NetworkSpec;

/**
 * Measures the end-to-end latency of networks on a device: the service interface of on-device measurement.
 * Implementations are found with {@link java.util.ServiceLoader} (list them in
 * {@code META-INF/services/org.mobilenas.latency.measure.LatencyMeasurer}) and chosen by
 * {@link LatencyMeasurers#select()}: the one named by the system property {@value #PROPERTY} or the environment
 * variable {@value #ENVIRONMENT}, otherwise the available one of highest {@link #rank()}.
 *
 * <p>This JVM is measured by {@link JvmLatencyMeasurer}; {@link CommandLatencyMeasurer} shows how to reach a
 * phone or board: it writes the network as JSON, runs an external command (e.g. a script that converts it,
 * pushes it with {@code adb} and runs a benchmark binary) and parses the timings it prints.
 *
 * <pre>{@code
 * LatencyMeasurer m = LatencyMeasurers.select();
 * Measurement r = m.measure(spec, 1);
 * System.out.println(m.device().name() + ": " + r.medianMs() + " ms");
 * }</pre>
 */
public interface LatencyMeasurer {
    /** System property that names the measurer to use. */
    String PROPERTY = "mobilenas.latency.measurer";
    /** Environment variable that names the measurer to use (the system property wins). */
    String ENVIRONMENT = "MOBILENAS_LATENCY_MEASURER";

    /** Short unique name, e.g. {@code jvm}. */
    String name();

    /** Preference among available measurers: higher wins. */
    int rank();

    /** Whether the measurer can run here (device connected, command configured, ...). */
    boolean isAvailable();

    /** The device measured, recorded in latency tables. */
    DeviceInfo device();

    /** Latency of one forward pass of {@code spec} at {@code batchSize}. */
    Measurement measure(NetworkSpec spec, int batchSize);

    /**
     * Latencies of several networks; implementations may interleave their runs so that slow drifts of the
     * device spread evenly. The default measures them one after another.
     */
    default List<Measurement> measureAll(List<NetworkSpec> specs, int batchSize) {
        List<Measurement> out = new ArrayList<>(specs.size());
        for (NetworkSpec s : specs) {
            out.add(measure(s, batchSize));
        }
        return out;
    }
}
