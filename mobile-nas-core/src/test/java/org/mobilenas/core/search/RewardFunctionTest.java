package org.mobilenas.core.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mobilenas.core.search.RewardFunction.Measures;
import org.mobilenas.core.search.RewardFunction.Metric;

class RewardFunctionTest {

    @Test
    void softPresetIsTheSmoothPaperTradeOff() {
        RewardFunction soft = RewardFunction.soft(75);
        assertThat(soft.reward(0.75, new Measures(75, 0, 0))).isCloseTo(0.75, within(1e-12));
        assertThat(soft.reward(0.75, new Measures(150, 0, 0))).isCloseTo(0.75 * Math.pow(2, -0.07), within(1e-12));
        assertThat(soft.reward(0.75, new Measures(37.5, 0, 0))).isCloseTo(0.75 * Math.pow(0.5, -0.07), within(1e-12));
        // paper: doubling latency costs about 5 % of accuracy's reward
        assertThat(soft.reward(1, new Measures(150, 0, 0))).isCloseTo(0.953, within(1e-3));
        assertThat(soft.feasible(new Measures(150, 0, 0))).isTrue();
        assertThat(soft.meetsAll(new Measures(150, 0, 0))).isFalse();
    }

    @Test
    void hardPresetIgnoresSpeedBelowTheTargetAndPenalisesAbove() {
        RewardFunction hard = RewardFunction.hard(75);
        assertThat(hard.reward(0.7, new Measures(10, 0, 0))).isEqualTo(0.7);
        assertThat(hard.reward(0.7, new Measures(150, 0, 0))).isCloseTo(0.35, within(1e-12));
        assertThat(hard.feasible(new Measures(75, 0, 0))).isTrue();
        assertThat(hard.feasible(new Measures(75.01, 0, 0))).isFalse();
        assertThat(hard.constraints().get(0).hard()).isTrue();
    }

    @Test
    void multipleConstraintsMultiply() {
        RewardFunction r = RewardFunction.latency(10, -0.1, -0.5)
                .and(Metric.PARAMS, 1e6, 0, -1)
                .and(Metric.MACS, 5e7, -0.07, -0.07);
        Measures m = new Measures(20, 2e6, 2.5e7);
        double expected = 0.8 * Math.pow(2, -0.5) * Math.pow(2, -1) * Math.pow(0.5, -0.07);
        assertThat(r.reward(0.8, m)).isCloseTo(expected, within(1e-12));
        assertThat(r.feasible(m)).isFalse();
        assertThat(r.feasible(new Measures(20, 1e6, 1e9))).isTrue();
        assertThat(r.latencyTargetMs()).isEqualTo(10);
        assertThat(r.toString()).contains("LATENCY_MS").contains("PARAMS").contains("MACS");
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> RewardFunction.soft(0)).hasMessageContaining("constraint.target 0.0 must be");
        assertThatThrownBy(() -> RewardFunction.latency(5, 0.1, -1)).hasMessageContaining("constraint.alpha 0.1");
        assertThatThrownBy(() -> RewardFunction.soft(5).and(Metric.LATENCY_MS, 3, 0, -1))
                .hasMessageContaining("two constraints on LATENCY_MS");
        assertThatThrownBy(() -> RewardFunction.soft(5).reward(1.2, new Measures(1, 1, 1)))
                .hasMessageContaining("accuracy 1.2 must be in [0, 1]");
        assertThatThrownBy(() -> new Measures(-1, 0, 0)).hasMessageContaining("measures.latencyMs -1.0");
    }

    private record P(String id, double acc, double lat) {}

    @Test
    void paretoFrontKeepsTheNonDominatedPointsByIncreasingCost() {
        List<P> ps = List.of(
                new P("a", 0.70, 10),
                new P("b", 0.60, 12),
                new P("c", 0.80, 20),
                new P("d", 0.75, 25),
                new P("e", 0.65, 5),
                new P("f", Double.NaN, 1),
                new P("g", 0.80, 30));
        List<P> front = Pareto.front(ps, P::acc, P::lat);
        assertThat(front).extracting(P::id).containsExactly("e", "a", "c");
        assertThat(Pareto.dominates(0.8, 20, 0.75, 25)).isTrue();
        assertThat(Pareto.dominates(0.8, 20, 0.8, 20)).isFalse();
    }
}
