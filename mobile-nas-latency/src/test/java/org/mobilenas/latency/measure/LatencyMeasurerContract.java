package org.mobilenas.latency.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mobilenas.core.spec.Activation;
import org.mobilenas.core.spec.ConvBlock;
import org.mobilenas.core.spec.GlobalPoolBlock;
import org.mobilenas.core.spec.MBConvBlock;
import org.mobilenas.core.spec.NetworkSpec;

/** The contract every {@link LatencyMeasurer} satisfies; each implementation's test extends this class. */
public abstract class LatencyMeasurerContract {
    /** The measurer under test, configured to be fast. */
    protected abstract LatencyMeasurer measurer();

    protected static NetworkSpec tiny(int width) {
        return NetworkSpec.builder("tiny-" + width, 16, 3)
                .stem(ConvBlock.of(width, 3, 2, Activation.RELU))
                .stage("s", MBConvBlock.of(width, 3, 1, 3, Activation.RELU6))
                .head(GlobalPoolBlock.avg())
                .classifier(4, 0.0)
                .build();
    }

    @Test
    void hasANameARankAndADevice() {
        LatencyMeasurer m = measurer();
        assertThat(m.name()).isNotBlank();
        assertThat(m.isAvailable()).isTrue();
        DeviceInfo d = m.device();
        assertThat(d.name()).isNotBlank();
        assertThat(d.measurer()).isEqualTo(m.name());
        assertThat(d.threads()).isPositive();
        assertThat(d.sameDevice(m.device())).isTrue();
    }

    @Test
    void measuresAPositiveConsistentLatency() {
        Measurement r = measurer().measure(tiny(8), 1);
        assertThat(r.medianMs()).isPositive().isFinite();
        assertThat(r.minMs()).isLessThanOrEqualTo(r.medianMs());
        assertThat(r.maxMs()).isGreaterThanOrEqualTo(r.medianMs());
        assertThat(r.spreadMs()).isGreaterThanOrEqualTo(0);
        assertThat(r.samples()).isPositive();
        assertThat(r.threads()).isPositive();
    }

    @Test
    void measuresSeveralNetworksInOrder() {
        List<Measurement> rs = measurer().measureAll(List.of(tiny(8), tiny(16), tiny(8)), 1);
        assertThat(rs).hasSize(3);
        assertThat(rs).allSatisfy(r -> assertThat(r.medianMs()).isPositive());
        assertThat(measurer().measureAll(List.of(), 1)).isEmpty();
    }

    @Test
    void rejectsABadBatchSize() {
        assertThatThrownBy(() -> measurer().measure(tiny(8), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batchSize 0");
    }
}
