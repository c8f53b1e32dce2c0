package org.mobilenas.onnx;

import org.mobilenas.latency.measure.LatencyMeasurer;
import org.mobilenas.latency.measure.LatencyMeasurerContract;

/** The measurer contract for ONNX Runtime. */
class OnnxRuntimeMeasurerContractTest extends LatencyMeasurerContract {
    @Override
    protected LatencyMeasurer measurer() {
        return OnnxRuntimeMeasurer.builder().threads(1).samples(3).warmup(1).build();
    }
}
