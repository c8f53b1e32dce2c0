package org.mobilenas.latency.measure;

import java.util.concurrent.atomic.AtomicInteger;
import org.mobilenas.core.cost.Costs;
import org.mobilenas.core.cost.LayerCost;
import org.mobilenas.core.spec.NetworkSpec;

/**
 * A deterministic measurer for tests: a network takes 1 ms per million MACs, 0.1 ms per million elements of
 * memory access and 0.01 ms per operation, plus {@link #OVERHEAD_MS}. It can be told to fail after some calls.
 */
public final class FakeMeasurer implements LatencyMeasurer {
    public static final double OVERHEAD_MS = 0.5;
    public final AtomicInteger calls = new AtomicInteger();
    private final String deviceName;
    private final int failAfter;

    public FakeMeasurer() {
        this("fake-device", Integer.MAX_VALUE);
    }

    public FakeMeasurer(String deviceName, int failAfter) {
        this.deviceName = deviceName;
        this.failAfter = failAfter;
    }

    /** The exact latency this measurer reports for {@code spec} at batch 1. */
    public static double latency(NetworkSpec spec) {
        double ms = OVERHEAD_MS;
        for (LayerCost c : Costs.of(spec).layers()) {
            ms += c.macs() / 1e6 + c.memoryAccess() / 1e7 + 0.01;
        }
        return ms;
    }

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public int rank() {
        return 1;
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public DeviceInfo device() {
        return new DeviceInfo(deviceName, "fake", 1, "test-os", "test-arch", "test", "2024-01-01T00:00:00Z");
    }

    @Override
    public Measurement measure(NetworkSpec spec, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize " + batchSize + " must be >= 1");
        }
        if (calls.incrementAndGet() > failAfter) {
            throw new IllegalStateException("device disconnected");
        }
        double ms = latency(spec) * batchSize;
        return new Measurement(ms, ms, ms, ms, ms, 1, 1);
    }
}
