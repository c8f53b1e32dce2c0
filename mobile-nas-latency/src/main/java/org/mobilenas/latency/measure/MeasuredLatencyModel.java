package org.mobilenas.latency.measure;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.mobilenas.core.latency.LatencyModel;
import org.mobilenas.core.latency.LatencyPrediction;
import org.mobilenas.core.spec.NetworkSpec;

/**
 * A {@link LatencyModel} that measures every network it is asked about on the device (through a
 * {@link LatencyMeasurer}) and remembers the median per network and batch size. Exact for the device but slow
 * (a measurement per new network); use a {@code TableLatencyModel} when a search asks about many networks.
 *
 * <pre>{@code
 * LatencyModel onThisMachine = MeasuredLatencyModel.of(LatencyMeasurers.select());
 * double ms = onThisMachine.predictMs(spec);       // measured once, then cached
 * }</pre>
 */
public final class MeasuredLatencyModel implements LatencyModel {
    private record Key(NetworkSpec spec, int batchSize) {}

    private final LatencyMeasurer measurer;
    private final Map<Key, Double> cache = new ConcurrentHashMap<>();

    private MeasuredLatencyModel(LatencyMeasurer measurer) {
        this.measurer = measurer;
    }

    /** A model measuring every network it is asked about with {@code measurer}. */
    public static MeasuredLatencyModel of(LatencyMeasurer measurer) {
        if (measurer == null) {
            throw new IllegalArgumentException("measurer is missing");
        }
        return new MeasuredLatencyModel(measurer);
    }

    @Override
    public String name() {
        return "measured:" + measurer.device().name();
    }

    @Override
    public LatencyPrediction predict(NetworkSpec spec, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize " + batchSize + " must be >= 1");
        }
        double ms = cache.computeIfAbsent(
                new Key(spec, batchSize), k -> measurer.measure(spec, batchSize).medianMs());
        return new LatencyPrediction(ms, 0, List.of());
    }

    /** Number of networks measured so far. */
    public int measured() {
        return cache.size();
    }
}
