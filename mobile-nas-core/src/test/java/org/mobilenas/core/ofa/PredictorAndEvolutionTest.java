package org.mobilenas.core.ofa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mobilenas.core.budget.InfeasibleBudgetException;
import org.mobilenas.core.cost.Costs;
import org.mobilenas.core.data.ImageDataset;
import org.mobilenas.core.data.SyntheticImages;
import org.mobilenas.core.latency.LatencyModel;

class PredictorAndEvolutionTest {
    private final ElasticSpace space = TinySpaces.tiny();
    /** Latency proportional to MACs: 1 ms per 100k MACs. */
    private final LatencyModel table =
            LatencyModel.of("macs-proxy", spec -> Costs.of(spec).macs() / 1e5);

    /** A smooth synthetic accuracy: bigger choices help, with diminishing returns. */
    private double truth(SubnetConfig c) {
        double a = 0.4 + 0.08 * space.resolutions().indexOf(c.resolution());
        for (int s = 0; s < c.depths().size(); s++) {
            for (int b = 0; b < c.depths().get(s); b++) {
                a += 0.03 * space.kernels().indexOf(c.kernel(s, b)) / (1 + s)
                        + 0.04 * space.expands().indexOf(c.expand(s, b));
                a += 0.02;
            }
        }
        return Math.min(1, a);
    }

    private List<AccuracySample> samples(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<AccuracySample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SubnetConfig c = space.sample(rng);
            out.add(new AccuracySample(c, Math.max(0, Math.min(1, truth(c) + 0.005 * rng.nextGaussian()))));
        }
        return out;
    }

    private AccuracyPredictor trained() {
        AccuracyPredictor p =
                AccuracyPredictor.builder(space).units(64).epochs(150).seed(1).build();
        p.fit(samples(400, 2), 0.25);
        return p;
    }

    @Test
    void encodingIsOneHotWithZerosForSkippedBlocks() {
        SubnetConfig c = new SubnetConfig(12, List.of(1, 2), List.of(3, 7, 5, 7), List.of(2, 3, 3, 2));
        float[] x = space.encode(c);
        assertThat(x).hasSize(4 * 5 + 2);
        assertThat(x)
                .containsExactly(
                        1,
                        0,
                        0,
                        1,
                        0, /* skipped */
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        1,
                        0,
                        0,
                        1,
                        0,
                        0,
                        1,
                        1,
                        0,
                        /* resolution 12 */ 0,
                        1);
    }

    @Test
    void anUnfittedPredictorRefusesToPredict() {
        AccuracyPredictor p = AccuracyPredictor.builder(space).seed(1).build();
        assertThatThrownBy(() -> p.predict(space.maxConfig()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not fitted");
    }

    @Test
    void predictorLearnsTheRankingOfSubnets() {
        AccuracyPredictor p = trained();
        PredictorReport r = p.report();
        assertThat(r.trainSamples()).isEqualTo(300);
        assertThat(r.validationSamples()).isEqualTo(100);
        assertThat(r.validationRmse()).isLessThan(0.03);
        assertThat(r.validationSpearman()).isGreaterThan(0.9);
        assertThat(p.predict(space.maxConfig())).isGreaterThan(p.predict(space.minConfig()));
    }

    @Test
    void evolutionFindsAGoodSubnetWithinTheBudget() {
        AccuracyPredictor p = trained();
        double maxMs = table.predictMs(space.spec(space.maxConfig()));
        double minMs = table.predictMs(space.spec(space.minConfig()));
        double budget = minMs + 0.5 * (maxMs - minMs);
        EvolutionResult r = EvolutionSearch.builder(space)
                .population(40)
                .generations(30)
                .latency(table, budget)
                .seed(3)
                .build()
                .search(p);
        assertThat(r.best().latencyMs()).isLessThanOrEqualTo(budget);
        assertThat(r.best().latencyMs())
                .isCloseTo(table.predictMs(space.spec(r.best().config())), within(1e-9));
        assertThat(r.bestPerGeneration()).hasSize(30);
        for (int i = 1; i < r.bestPerGeneration().size(); i++) {
            assertThat(r.bestPerGeneration().get(i))
                    .isGreaterThanOrEqualTo(r.bestPerGeneration().get(i - 1));
        }
        // better than the best of as many random feasible subnets
        SplittableRandom rng = new SplittableRandom(9);
        double randomBest = 0;
        int found = 0;
        while (found < 200) {
            SubnetConfig c = space.sample(rng);
            if (table.predictMs(space.spec(c)) <= budget) {
                randomBest = Math.max(randomBest, p.predict(c));
                found++;
            }
        }
        assertThat(r.best().predictedAccuracy()).isGreaterThanOrEqualTo(randomBest - 1e-9);
        // a tighter budget gives a smaller subnet
        EvolutionResult tight = EvolutionSearch.builder(space)
                .population(40)
                .generations(30)
                .latency(table, minMs + 0.1 * (maxMs - minMs))
                .seed(3)
                .build()
                .search(p);
        assertThat(tight.best().latencyMs()).isLessThan(r.best().latencyMs());
    }

    @Test
    void aMacsBudgetIsRespected() {
        AccuracyPredictor p = trained();
        long macs = Costs.of(space.spec(space.maxConfig())).macs() / 2;
        EvolutionResult r = EvolutionSearch.builder(space)
                .population(20)
                .generations(10)
                .latency(table, 1e9)
                .macsBudget(macs)
                .seed(1)
                .build()
                .search(p);
        assertThat(r.best().macs()).isLessThanOrEqualTo(macs);
        assertThat(r.best().macs())
                .isEqualTo(Costs.of(space.spec(r.best().config())).macs());
        // every generation scores a full population of children (10 mutations + 10 crossovers) after the
        // initial population, as Once-for-All's evolution finder does
        assertThat(r.evaluated()).isEqualTo(20 + 10 * 20);
        assertThat(r.bestPerGeneration()).hasSize(10);
    }

    @Test
    void anInfeasibleBudgetEndsWithAClearError() {
        AccuracyPredictor p = trained();
        double minMs = table.predictMs(space.spec(space.minConfig()));
        assertThatThrownBy(() -> EvolutionSearch.builder(space)
                        .latency(table, minMs * 0.5)
                        .build()
                        .search(p))
                .isInstanceOf(InfeasibleBudgetException.class)
                .hasMessageContaining("budget infeasible")
                .hasMessageContaining(String.format("%.3f ms", minMs))
                .satisfies(e ->
                        assertThat(((InfeasibleBudgetException) e).nearest()).isEqualTo(minMs));
        assertThatThrownBy(() -> EvolutionSearch.builder(space)
                        .latency(table, 1e9)
                        .macsBudget(10)
                        .build()
                        .search(p))
                .isInstanceOf(InfeasibleBudgetException.class)
                .hasMessageContaining("10 MACs");
    }

    @Test
    void aBudgetJustAboveTheSmallestSubnetTerminates() {
        AccuracyPredictor p = trained();
        double minMs = table.predictMs(space.spec(space.minConfig()));
        EvolutionResult r = EvolutionSearch.builder(space)
                .population(10)
                .generations(5)
                .maxTries(20)
                .latency(table, minMs * 1.0001)
                .seed(2)
                .build()
                .search(p);
        assertThat(r.best().latencyMs()).isLessThanOrEqualTo(minMs * 1.0001);
    }

    @Test
    void measuredSamplesComeFromExtractedRecalibratedSubnets() {
        ElasticSupernet net = ElasticSupernet.create(space, 3);
        ImageDataset data = SyntheticImages.builder()
                .classes(4)
                .size(12)
                .channels(1)
                .samples(48)
                .seed(1)
                .build();
        List<AccuracySample> s = AccuracySample.measure(net, 5, data, data, 24, 4);
        assertThat(s).hasSize(5);
        assertThat(s).extracting(x -> x.config().key()).doesNotHaveDuplicates();
        for (AccuracySample a : s) {
            assertThat(a.accuracy()).isEqualTo(AccuracySample.measure(net, a.config(), data, data, 24, 4));
        }
    }

    @Test
    void crossValidationRanksSettingsOnTheTrainingPartOnly() {
        List<AccuracySample> s = samples(80, 3);
        List<AccuracyPredictor.Setting> cv =
                AccuracyPredictor.crossValidate(space, s, 0.25, List.of(1, 2), List.of(16), List.of(30), 4, 5);
        assertThat(cv).hasSize(2);
        assertThat(cv.get(0).cvSpearman())
                .isGreaterThanOrEqualTo(cv.get(1).cvSpearman())
                .isGreaterThan(0.5);
        // the held-out quarter does not enter: changing its labels leaves the folds' result unchanged
        List<List<AccuracySample>> parts = AccuracyPredictor.split(s, 0.25, 5);
        List<AccuracySample> edited = new ArrayList<>(parts.get(0));
        parts.get(1).forEach(a -> edited.add(new AccuracySample(a.config(), 1 - a.accuracy())));
        List<AccuracySample> shuffledBack = new ArrayList<>();
        for (AccuracySample a : s) {
            shuffledBack.add(edited.stream()
                    .filter(e -> e.config().equals(a.config()))
                    .findFirst()
                    .orElseThrow());
        }
        assertThat(AccuracyPredictor.crossValidate(
                        space, shuffledBack, 0.25, List.of(1, 2), List.of(16), List.of(30), 4, 5))
                .isEqualTo(cv);
        assertThatThrownBy(() -> AccuracyPredictor.crossValidate(
                        space, s.subList(0, 10), 0.25, List.of(1), List.of(16), List.of(30), 4, 5))
                .hasMessageContaining("at least 12 training samples");
    }
}
