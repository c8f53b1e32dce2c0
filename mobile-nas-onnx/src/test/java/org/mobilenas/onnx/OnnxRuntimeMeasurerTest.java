package org.mobilenas.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.mobilenas.latency.measure.LatencyMeasurer;
import org.mobilenas.latency.measure.LatencyMeasurers;
import org.mobilenas.latency.measure.Measurement;
import org.mobilenas.latency.table.LatencyTable;
import org.mobilenas.latency.table.LatencyTableBuilder;
import org.mobilenas.latency.table.TableLatencyModel;
import org.mobilenas.spaces.catalog.MobileNets;

class OnnxRuntimeMeasurerTest {

    @Test
    void isRegisteredAvailableAndDescribesItsSettings() {
        assertThat(LatencyMeasurers.names()).contains("onnxruntime");
        LatencyMeasurer m = LatencyMeasurers.named("onnxruntime");
        assertThat(m.isAvailable()).isTrue();
        OnnxRuntimeMeasurer two = OnnxRuntimeMeasurer.builder()
                .threads(2)
                .optimization("basic")
                .samples(3)
                .warmup(1)
                .build();
        assertThat(two.device().name()).startsWith("onnxruntime:");
        assertThat(two.device().threads()).isEqualTo(2);
        assertThat(two.device().runtime()).contains("onnxruntime 1.", "graph optimization basic");
        assertThat(two.device().sameDevice(m.device())).isFalse();
    }

    @Test
    void measuresWholeNetworksAndBuildsALookupTable() {
        OnnxRuntimeMeasurer m =
                OnnxRuntimeMeasurer.builder().samples(5).warmup(2).build();
        Measurement small = m.measure(MobileNets.mobileNetV2Small(0.25, 16, 10), 1);
        Measurement big = m.measure(MobileNets.mobileNetV2Small(1.0, 32, 10), 1);
        assertThat(small.medianMs()).isPositive();
        assertThat(big.medianMs()).isGreaterThan(small.medianMs());
        LatencyTable table = LatencyTableBuilder.with(m)
                .specs(java.util.List.of(MobileNets.mobileNetV2Small(0.25, 16, 10)))
                .calibrationNetworks(0)
                .progress(false)
                .build();
        assertThat(table.device().measurer()).isEqualTo("onnxruntime");
        assertThat(TableLatencyModel.of(table).predictMs(MobileNets.mobileNetV2Small(0.25, 16, 10)))
                .isPositive();
    }

    @Test
    void badSettingsNameTheField() {
        assertThatThrownBy(() -> OnnxRuntimeMeasurer.builder().threads(0)).hasMessageContaining("threads 0");
        assertThatThrownBy(() -> OnnxRuntimeMeasurer.builder().optimization("max"))
                .hasMessageContaining("optimization 'max'");
        assertThatThrownBy(() -> new OnnxRuntimeMeasurer().measure(null, 1)).hasMessageContaining("spec");
    }
}
