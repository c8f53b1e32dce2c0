package org.mobilenas.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LrScheduleTest {
    private static final long SPE = 10;
    private static final long TOTAL = 100;

    @Test
    void constantWithWarmup() {
        LrSchedule s = LrSchedule.constant(0.1);
        assertThat(s.rate(0, SPE, TOTAL)).isEqualTo(0.1);
        LrSchedule w = s.withWarmup(1);
        assertThat(w.rate(0, SPE, TOTAL)).isCloseTo(0.01, within(1e-12));
        assertThat(w.rate(4, SPE, TOTAL)).isCloseTo(0.05, within(1e-12));
        assertThat(w.rate(9, SPE, TOTAL)).isCloseTo(0.1, within(1e-12));
        assertThat(w.rate(50, SPE, TOTAL)).isCloseTo(0.1, within(1e-12));
    }

    @Test
    void stepDecayAtMilestoneEpochs() {
        LrSchedule s = LrSchedule.step(0.1, 0.1, 2, 4);
        assertThat(s.rate(19, SPE, TOTAL)).isCloseTo(0.1, within(1e-12));
        assertThat(s.rate(20, SPE, TOTAL)).isCloseTo(0.01, within(1e-12));
        assertThat(s.rate(39, SPE, TOTAL)).isCloseTo(0.01, within(1e-12));
        assertThat(s.rate(40, SPE, TOTAL)).isCloseTo(0.001, within(1e-12));
        assertThat(s.withWarmup(0.5).rate(1, SPE, TOTAL)).isCloseTo(0.1 * 2 / 5, within(1e-12));
    }

    @Test
    void cosine() {
        LrSchedule s = LrSchedule.cosine(0.1);
        assertThat(s.rate(0, SPE, TOTAL)).isCloseTo(0.1, within(1e-12));
        assertThat(s.rate(25, SPE, TOTAL)).isCloseTo(0.1 * 0.5 * (1 + Math.cos(Math.PI / 4)), within(1e-12));
        assertThat(s.rate(50, SPE, TOTAL)).isCloseTo(0.05, within(1e-12));
        assertThat(s.rate(100, SPE, TOTAL)).isCloseTo(0, within(1e-12));
        assertThat(LrSchedule.cosine(0.1, 0.01).rate(100, SPE, TOTAL)).isCloseTo(0.01, within(1e-12));
    }

    @Test
    void cosineDecaysOverTheStepsAfterWarmup() {
        LrSchedule s = LrSchedule.cosine(0.1).withWarmup(1);
        assertThat(s.rate(4, SPE, TOTAL)).isCloseTo(0.05, within(1e-12));
        assertThat(s.rate(10, SPE, TOTAL)).isCloseTo(0.1, within(1e-12));
        assertThat(s.rate(55, SPE, TOTAL)).isCloseTo(0.05, within(1e-12));
    }

    @Test
    void invalidSettings() {
        assertThatThrownBy(() -> LrSchedule.constant(-1)).hasMessageContaining("lr = -1.0");
        assertThatThrownBy(() -> LrSchedule.step(0.1, 0.1, 3, 2)).hasMessageContaining("milestones [3, 2]");
        assertThatThrownBy(() -> LrSchedule.cosine(0.1, 0.2)).hasMessageContaining("minLr = 0.2");
        assertThatThrownBy(() -> LrSchedule.cosine(0.1).withWarmup(-1)).hasMessageContaining("warmupEpochs = -1.0");
        assertThatThrownBy(() -> LrSchedule.cosine(0.1).rate(-1, 10, 10)).hasMessageContaining("step -1");
    }
}
