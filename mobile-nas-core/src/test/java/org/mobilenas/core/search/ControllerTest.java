package org.mobilenas.core.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ControllerTest {

    private static final SyntheticSpace SPACE = new SyntheticSpace(10, 4, Genotype.of(3, 1, 0, 2, 3, 3, 1, 0, 2, 1));

    @Test
    void lstmGradientsMatchFiniteDifferences() {
        int[] sizes = {3, 2, 4, 3};
        LstmPolicy p = new LstmPolicy(sizes, 5, 4, 0.5, new SplittableRandom(7));
        int[] actions = {2, 0, 3, 1};
        double cl = 0.7;
        double ce = 0.3;
        double[] grad = new double[p.parameterCount()];
        p.backward(p.run(actions, null), cl, ce, grad);
        double eps = 1e-6;
        double maxErr = 0;
        for (int i = 0; i < p.parameterCount(); i++) {
            double old = p.theta[i];
            p.theta[i] = old + eps;
            LstmPolicy.Trace a = p.run(actions, null);
            double fa = cl * a.logProb + ce * a.entropy;
            p.theta[i] = old - eps;
            LstmPolicy.Trace b = p.run(actions, null);
            double fb = cl * b.logProb + ce * b.entropy;
            p.theta[i] = old;
            double num = (fa - fb) / (2 * eps);
            maxErr = Math.max(maxErr, Math.abs(num - grad[i]) / Math.max(1e-3, Math.abs(num) + Math.abs(grad[i])));
        }
        assertThat(maxErr).isLessThan(1e-5);
        // the last decision's embedding is never read: its gradient is zero
        assertThat(grad[grad.length - 1]).isZero();
    }

    @Test
    void paperDefaults() {
        RlController rl = RlController.builder().build();
        assertThat(rl.name()).isEqualTo("rl-ppo");
        assertThat(rl.options())
                .containsEntry("hidden", 100)
                .containsEntry("learningRate", 0.00035)
                .containsEntry("entropyWeight", 1e-5)
                .containsEntry("baselineDecay", 0.95)
                .containsEntry("init", 0.1)
                .containsEntry("clip", 0.2);
        rl.start(SPACE, 1);
        List<Genotype> batch = rl.propose(3);
        assertThat(batch).hasSize(3).allSatisfy(SPACE::validate);
        rl.observe(batch, new double[] {0.5, 0.1, 0.2});
        assertThat(rl.baseline()).isBetween(0.1, 0.5);
    }

    /** Mean reward of iterations [from, to) and the first/last-window means for one controller. */
    private static double[] trajectory(Controller c, int iterations, int batch, long seed) {
        c.start(SPACE, seed);
        double[] means = new double[iterations];
        for (int it = 0; it < iterations; it++) {
            List<Genotype> gs = c.propose(batch);
            double[] r = new double[batch];
            for (int i = 0; i < batch; i++) {
                r[i] = SPACE.accuracy(gs.get(i));
                means[it] += r[i] / batch;
            }
            c.observe(gs, r);
        }
        return means;
    }

    private static double mean(double[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += v[i];
        }
        return s / (to - from);
    }

    @Test
    void rlControllerLearnsTheSyntheticOptimumAndBeatsRandomSearch() {
        int iterations = 60;
        int batch = 8;
        double[] ppo =
                trajectory(RlController.builder().learningRate(0.01).hidden(32).build(), iterations, batch, 42);
        double[] reinforce = trajectory(
                RlController.builder()
                        .algorithm(RlController.Algorithm.REINFORCE)
                        .learningRate(0.02)
                        .hidden(32)
                        .build(),
                iterations,
                batch,
                42);
        double[] random = trajectory(new RandomSearch(), iterations, batch, 42);
        double[] evo = trajectory(
                RegularizedEvolution.builder().population(16).sampleSize(4).build(), iterations, batch, 42);
        System.out.printf("synthetic reward, first 10 / last 10 iterations of %d x %d samples:%n", iterations, batch);
        System.out.printf(
                "  ppo       %.3f -> %.3f (mean %.3f)%n", mean(ppo, 0, 10), mean(ppo, 50, 60), mean(ppo, 0, 60));
        System.out.printf(
                "  reinforce %.3f -> %.3f (mean %.3f)%n",
                mean(reinforce, 0, 10), mean(reinforce, 50, 60), mean(reinforce, 0, 60));
        System.out.printf(
                "  evolution %.3f -> %.3f (mean %.3f)%n", mean(evo, 0, 10), mean(evo, 50, 60), mean(evo, 0, 60));
        System.out.printf(
                "  random    %.3f -> %.3f (mean %.3f)%n",
                mean(random, 0, 10), mean(random, 50, 60), mean(random, 0, 60));
        assertThat(mean(ppo, 50, 60)).isGreaterThan(mean(ppo, 0, 10) + 0.25);
        assertThat(mean(ppo, 0, 60)).isGreaterThan(mean(random, 0, 60) + 0.1);
        assertThat(mean(reinforce, 50, 60)).isGreaterThan(mean(reinforce, 0, 10) + 0.2);
        assertThat(mean(reinforce, 0, 60)).isGreaterThan(mean(random, 0, 60) + 0.1);
        assertThat(mean(evo, 0, 60)).isGreaterThan(mean(random, 0, 60));
    }

    @Test
    void rlWithPaperLearningRateMovesTowardsRewardedGenotypes() {
        RlController rl = RlController.builder().build();
        rl.start(SPACE, 3);
        double before = rl.logProbability(SPACE.optimum);
        for (int i = 0; i < 20; i++) {
            List<Genotype> gs = rl.propose(4);
            gs = List.of(gs.get(0), gs.get(1), SPACE.optimum, gs.get(3));
            double[] r = {0, 0, 1, 0};
            rl.observe(gs, r);
        }
        assertThat(rl.logProbability(SPACE.optimum)).isGreaterThan(before);
    }

    @Test
    void evolutionMutatesOneDecisionOfATournamentWinner() {
        RegularizedEvolution evo =
                RegularizedEvolution.builder().population(4).sampleSize(4).build();
        evo.start(SPACE, 5);
        List<Genotype> first = evo.propose(4);
        evo.observe(first, new double[] {0.1, 0.9, 0.2, 0.3});
        int fromBest = 0;
        for (Genotype child : evo.propose(20)) {
            int minDiff = Integer.MAX_VALUE;
            for (Genotype parent : first) {
                int diff = 0;
                for (int i = 0; i < child.size(); i++) {
                    diff += child.get(i) != parent.get(i) ? 1 : 0;
                }
                minDiff = Math.min(minDiff, diff);
            }
            assertThat(minDiff).isEqualTo(1);
            int d = 0;
            for (int i = 0; i < child.size(); i++) {
                d += child.get(i) != first.get(1).get(i) ? 1 : 0;
            }
            fromBest += d == 1 ? 1 : 0;
        }
        // a tournament of 4 draws (with replacement) includes the best member with probability 1 - (3/4)^4
        assertThat(fromBest).isGreaterThan(10);
    }

    @Test
    void misuseIsReported() {
        assertThatThrownBy(() -> new RandomSearch().propose(1)).hasMessageContaining("call start(space, seed)");
        RandomSearch r = new RandomSearch();
        r.start(SPACE, 1);
        assertThatThrownBy(() -> r.observe(r.propose(2), new double[] {1}))
                .hasMessageContaining("2 genotypes but 1 rewards");
        assertThatThrownBy(() -> r.observe(r.propose(1), new double[] {Double.NaN}))
                .hasMessageContaining("reward 0 is NaN");
        assertThatThrownBy(() -> RlController.builder().clip(1.5)).hasMessageContaining("clip 1.5 must be in (0, 1)");
        assertThatThrownBy(() -> RegularizedEvolution.builder()
                        .population(4)
                        .sampleSize(5)
                        .build())
                .hasMessageContaining("sampleSize 5 must be <= population 4");
    }
}
