package org.mobilenas.core.search;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The reinforcement-learning controller of NASNet and MnasNet: a one-layer LSTM policy that emits one decision
 * per step, trained to maximise the reward of the genotypes it samples. Two update rules:
 * <ul>
 *   <li>{@link Algorithm#PPO}: proximal policy optimisation with the clipped objective
 *   {@code min(r·A, clip(r, 1−ε, 1+ε)·A)}, where {@code r} is the ratio of the genotype's probability under
 *   the current and the sampling policy; {@code epochs} gradient steps per observed batch;</li>
 *   <li>{@link Algorithm#REINFORCE}: one policy-gradient step {@code A·∇log π} per batch.</li>
 * </ul>
 * The advantage is {@code A = R − b} with an exponential-moving-average baseline {@code b} (decay 0.95), plus
 * an entropy bonus. Defaults are the paper's: 100 hidden units, uniform init in [−0.1, 0.1], Adam with
 * learning rate 0.00035, entropy weight 1e-5, PPO with ε = 0.2.
 *
 * <pre>{@code
 * Controller rl = RlController.builder().algorithm(RlController.Algorithm.PPO).learningRate(0.00035).build();
 * Search.builder(space).controller(rl).reward(RewardFunction.soft(20)).evaluator(evaluator).seed(42).build();
 * }</pre>
 */
public final class RlController implements Controller {

    /** Update rule. */
    public enum Algorithm {
        /** Proximal policy optimisation (MnasNet's choice). */
        PPO,
        /** Plain REINFORCE with a moving-average baseline. */
        REINFORCE
    }

    private final Algorithm algorithm;
    private final int hidden;
    private final double init;
    private final double learningRate;
    private final double entropyWeight;
    private final double baselineDecay;
    private final double clip;
    private final int epochs;

    private LstmPolicy policy;
    private SplittableRandom rng;
    /** The library's Adam (betas 0.9, 0.999, eps 1e-8), on the policy's parameters. */
    private final org.mobilenas.core.train.Optimizer adam = org.mobilenas.core.train.Optimizer.adam();

    private float[][] adamState;
    private long adamSteps;
    private double baseline = Double.NaN;

    private RlController(Builder b) {
        this.algorithm = b.algorithm;
        this.hidden = b.hidden;
        this.init = b.init;
        this.learningRate = b.learningRate;
        this.entropyWeight = b.entropyWeight;
        this.baselineDecay = b.baselineDecay;
        this.clip = b.clip;
        this.epochs = b.epochs;
    }

    /** A builder with the paper's settings (PPO, 100 hidden units, learning rate 0.00035). */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings of the {@link RlController}; every default is the paper's. */
    public static final class Builder {
        private Algorithm algorithm = Algorithm.PPO;
        private int hidden = 100;
        private double init = 0.1;
        private double learningRate = 0.00035;
        private double entropyWeight = 1e-5;
        private double baselineDecay = 0.95;
        private double clip = 0.2;
        private int epochs = 4;

        /** The policy-gradient algorithm. */
        public Builder algorithm(Algorithm a) {
            if (a == null) {
                throw new IllegalArgumentException("algorithm is missing; expected PPO or REINFORCE");
            }
            this.algorithm = a;
            return this;
        }

        /** LSTM hidden units (and embedding width); default 100. */
        public Builder hidden(int h) {
            if (h < 1) {
                throw new IllegalArgumentException("hidden " + h + " must be >= 1");
            }
            this.hidden = h;
            return this;
        }

        /** Parameters start uniform in [−init, init]; default 0.1. */
        public Builder init(double i) {
            if (!(i > 0) || Double.isInfinite(i)) {
                throw new IllegalArgumentException("init " + i + " must be a finite number > 0");
            }
            this.init = i;
            return this;
        }

        /** Adam learning rate; default 0.00035. */
        public Builder learningRate(double lr) {
            if (!(lr > 0) || Double.isInfinite(lr)) {
                throw new IllegalArgumentException("learningRate " + lr + " must be a finite number > 0");
            }
            this.learningRate = lr;
            return this;
        }

        /** Weight of the entropy bonus; default 1e-5. */
        public Builder entropyWeight(double w) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("entropyWeight " + w + " must be a finite number >= 0");
            }
            this.entropyWeight = w;
            return this;
        }

        /** Decay of the moving-average reward baseline; default 0.95. */
        public Builder baselineDecay(double d) {
            if (!(d >= 0 && d < 1)) {
                throw new IllegalArgumentException("baselineDecay " + d + " must be in [0, 1)");
            }
            this.baselineDecay = d;
            return this;
        }

        /** PPO clip range ε; default 0.2. */
        public Builder clip(double c) {
            if (!(c > 0 && c < 1)) {
                throw new IllegalArgumentException("clip " + c + " must be in (0, 1)");
            }
            this.clip = c;
            return this;
        }

        /** PPO gradient steps per observed batch; default 4. */
        public Builder epochs(int e) {
            if (e < 1) {
                throw new IllegalArgumentException("epochs " + e + " must be >= 1");
            }
            this.epochs = e;
            return this;
        }

        /** Builds the controller. */
        public RlController build() {
            return new RlController(this);
        }
    }

    @Override
    public String name() {
        return algorithm == Algorithm.PPO ? "rl-ppo" : "rl-reinforce";
    }

    @Override
    public Map<String, Object> options() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("algorithm", algorithm.name());
        o.put("hidden", hidden);
        o.put("init", init);
        o.put("learningRate", learningRate);
        o.put("entropyWeight", entropyWeight);
        o.put("baselineDecay", baselineDecay);
        if (algorithm == Algorithm.PPO) {
            o.put("clip", clip);
            o.put("epochs", epochs);
        }
        return o;
    }

    @Override
    public void start(SearchSpace space, long seed) {
        if (space == null) {
            throw new IllegalArgumentException("search space is missing");
        }
        int[] sizes = space.decisions().stream().mapToInt(Decision::size).toArray();
        this.rng = new SplittableRandom(seed);
        this.policy = new LstmPolicy(sizes, hidden, hidden, init, rng.split());
        this.adamState = adam.newState(policy.parameterCount());
        this.adamSteps = 0;
        this.baseline = Double.NaN;
    }

    private void checkStarted() {
        if (policy == null) {
            throw new IllegalStateException("RL controller not started; call start(space, seed) first");
        }
    }

    @Override
    public List<Genotype> propose(int n) {
        checkStarted();
        if (n < 1) {
            throw new IllegalArgumentException("propose n " + n + " must be >= 1");
        }
        List<Genotype> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(Genotype.of(policy.run(null, rng).actions));
        }
        return out;
    }

    /** The genotype the policy currently finds most likely (greedy decoding). */
    public Genotype mostLikely() {
        checkStarted();
        return Genotype.of(policy.run(null, null).actions);
    }

    /** Log-probability of {@code g} under the current policy. */
    public double logProbability(Genotype g) {
        checkStarted();
        return policy.run(g.toArray(), null).logProb;
    }

    /** The current reward baseline (NaN before the first observation). */
    public double baseline() {
        return baseline;
    }

    @Override
    public void observe(List<Genotype> genotypes, double[] rewards) {
        checkStarted();
        Controller.checkObservation(genotypes, rewards);
        int n = rewards.length;
        if (n == 0) {
            return;
        }
        if (Double.isNaN(baseline)) {
            double mean = 0;
            for (double r : rewards) {
                mean += r;
            }
            baseline = mean / n;
        }
        double[] adv = new double[n];
        int[][] actions = new int[n][];
        double[] oldLogProb = new double[n];
        for (int i = 0; i < n; i++) {
            adv[i] = rewards[i] - baseline;
            actions[i] = genotypes.get(i).toArray();
            oldLogProb[i] = policy.run(actions[i], null).logProb;
        }
        for (double r : rewards) {
            baseline = baselineDecay * baseline + (1 - baselineDecay) * r;
        }
        int steps = algorithm == Algorithm.PPO ? epochs : 1;
        for (int e = 0; e < steps; e++) {
            double[] grad = new double[policy.parameterCount()];
            for (int i = 0; i < n; i++) {
                LstmPolicy.Trace tr = policy.run(actions[i], null);
                double coef;
                if (algorithm == Algorithm.REINFORCE) {
                    coef = -adv[i] / n;
                } else {
                    double ratio = Math.exp(tr.logProb - oldLogProb[i]);
                    boolean clipped = adv[i] >= 0 ? ratio > 1 + clip : ratio < 1 - clip;
                    coef = clipped ? 0 : -ratio * adv[i] / n;
                }
                policy.backward(tr, coef, -entropyWeight / n, grad);
            }
            adam(grad);
        }
    }

    private void adam(double[] grad) {
        adam.update(policy.theta, grad, adamState, ++adamSteps, learningRate);
    }
}
