package org.mobilenas.core.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mobilenas.core.cost.Costs;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.spec.TestSpecs;

class LatencyModelTest {
    private final NetworkSpec spec = TestSpecs.everyKind();
    private final LatencyModel flops = LatencyModel.of("macs", s -> Costs.of(s).macs() / 1e7);

    @Test
    void functionModelScalesWithBatchAndComposes() {
        double one = flops.predictMs(spec);
        assertThat(one).isPositive();
        assertThat(flops.predict(spec, 4).totalMs()).isCloseTo(4 * one, within(1e-9));
        LatencyModel over = flops.plus(0.5);
        assertThat(over.predictMs(spec)).isCloseTo(one + 0.5, within(1e-9));
        assertThat(over.predict(spec, 1).overheadMs()).isEqualTo(0.5);
        assertThat(over.name()).isEqualTo("macs+0.5ms");
        LatencyModel both = LatencyModel.sum("cpu+npu", List.of(flops, over));
        assertThat(both.predictMs(spec)).isCloseTo(2 * one + 0.5, within(1e-9));
    }

    @Test
    void badInputsAreRejected() {
        assertThatThrownBy(() -> flops.predict(spec, 0)).hasMessage("batchSize 0 must be >= 1");
        assertThatThrownBy(() -> flops.plus(-1)).hasMessageContaining("overheadMs -1.0");
        assertThatThrownBy(() -> LatencyModel.sum("x", List.of())).hasMessageContaining("non-empty");
        LatencyModel broken = LatencyModel.of("nan", s -> Double.NaN);
        assertThatThrownBy(() -> broken.predictMs(spec)).hasMessageContaining("nan: predicted NaN ms");
    }
}
