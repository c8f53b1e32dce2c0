package org.mobilenas.latency.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.mobilenas.core.engine.kernels.Parallel;

/** Smoke test of the default measurer (no timing assertions). */
class JvmLatencyMeasurerTest extends LatencyMeasurerContract {
    @Override
    protected LatencyMeasurer measurer() {
        return JvmLatencyMeasurer.builder()
                .samples(3)
                .minSampleMs(0.1)
                .warmupMs(20)
                .retries(1)
                .build();
    }

    @Test
    void forEngineUsesTheCpuClockOnlyWhenTheEngineRunsOneThread() {
        JvmLatencyMeasurer m = JvmLatencyMeasurer.forEngine(3);
        assertThat(m.clock())
                .isEqualTo(
                        org.mobilenas.core.engine.kernels.Parallel.threads() == 1
                                ? JvmLatencyMeasurer.Clock.THREAD_CPU
                                : JvmLatencyMeasurer.Clock.WALL);
        assertThat(m.measure(org.mobilenas.core.testing.RandomSpecs.of(3), 1).samples())
                .isEqualTo(3);
    }

    @Test
    void recordsTheKernelThreadCount() {
        assertThat(measurer().measure(tiny(8), 2).threads()).isEqualTo(Parallel.threads());
        assertThat(measurer().device().threads()).isEqualTo(Parallel.threads());
        assertThat(measurer().rank()).isGreaterThan(new FakeMeasurer().rank());
    }

    @Test
    void badOptionsAreNamed() {
        assertThatThrownBy(() -> JvmLatencyMeasurer.builder().samples(0)).hasMessage("samples 0 must be >= 1");
        assertThatThrownBy(() -> JvmLatencyMeasurer.builder().maxRelativeSpread(-1))
                .hasMessageContaining("maxRelativeSpread -1.0");
    }
}
