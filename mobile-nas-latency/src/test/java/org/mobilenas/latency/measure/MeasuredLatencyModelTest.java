package org.mobilenas.latency.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.latency.TestNets;

class MeasuredLatencyModelTest {
    @Test
    void measuresEachNetworkOnceAndReportsTheMedian() {
        FakeMeasurer device = new FakeMeasurer();
        MeasuredLatencyModel model = MeasuredLatencyModel.of(device);
        NetworkSpec a = TestNets.mobile(16, 32);
        NetworkSpec b = TestNets.mobile(24, 32);
        assertThat(model.predictMs(a)).isCloseTo(FakeMeasurer.latency(a), within(1e-9));
        assertThat(model.predictMs(a)).isCloseTo(FakeMeasurer.latency(a), within(1e-9));
        assertThat(model.predictMs(b)).isGreaterThan(model.predictMs(a));
        assertThat(device.calls.get()).isEqualTo(2);
        assertThat(model.measured()).isEqualTo(2);
        assertThat(model.name()).isEqualTo("measured:" + device.device().name());
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> MeasuredLatencyModel.of(null)).hasMessage("measurer is missing");
        MeasuredLatencyModel model = MeasuredLatencyModel.of(new FakeMeasurer());
        assertThatThrownBy(() -> model.predict(TestNets.mobile(16, 32), 0)).hasMessage("batchSize 0 must be >= 1");
    }
}
