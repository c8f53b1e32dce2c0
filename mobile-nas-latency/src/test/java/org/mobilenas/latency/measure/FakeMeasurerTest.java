package org.mobilenas.latency.measure;

class FakeMeasurerTest extends LatencyMeasurerContract {
    @Override
    protected LatencyMeasurer measurer() {
        return new FakeMeasurer();
    }
}
