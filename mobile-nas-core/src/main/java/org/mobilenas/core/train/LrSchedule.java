package org.mobilenas.core.train;

import java.util.Arrays;

/**
 * A learning rate per optimisation step, with an optional linear warm-up: during the first
 * {@code W = round(warmupEpochs * stepsPerEpoch)} steps the rate is the schedule's value times
 * {@code (step + 1) / W}. Steps are 0-based.
 *
 * <pre>{@code
 * LrSchedule s = LrSchedule.cosine(0.1).withWarmup(1);          // 1 epoch warm-up, then cosine to 0
 * LrSchedule t = LrSchedule.step(0.1, 0.1, 30, 60, 80);         // x0.1 at epochs 30, 60, 80
 * double lr = s.rate(step, stepsPerEpoch, totalSteps);
 * }</pre>
 */
public sealed interface LrSchedule extends java.io.Serializable
        permits LrSchedule.Constant, LrSchedule.StepDecay, LrSchedule.Cosine {

    /** The learning rate of 0-based step {@code step}. */
    double rate(long step, long stepsPerEpoch, long totalSteps);

    /** Linear warm-up length in epochs (0 for none). */
    double warmupEpochs();

    /** The same schedule with a linear warm-up over {@code epochs} epochs. */
    LrSchedule withWarmup(double epochs);

    /** A constant rate {@code lr}. */
    static Constant constant(double lr) {
        return new Constant(lr, 0);
    }

    /** Multiplies by {@code gamma} at each milestone epoch. */
    static StepDecay step(double lr, double gamma, int... milestones) {
        return new StepDecay(lr, gamma, milestones, 0);
    }

    /** Cosine decay from {@code lr} to 0 over the steps after warm-up. */
    static Cosine cosine(double lr) {
        return new Cosine(lr, 0, 0);
    }

    /** Cosine decay from {@code lr} to {@code minLr}. */
    static Cosine cosine(double lr, double minLr) {
        return new Cosine(lr, minLr, 0);
    }

    private static void checkRate(String field, double v) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(field + " = " + v + ", expected a finite value >= 0");
        }
    }

    private static void checkWarmup(double w) {
        if (!(w >= 0) || !Double.isFinite(w)) {
            throw new IllegalArgumentException("warmupEpochs = " + w + ", expected a finite value >= 0");
        }
    }

    private static void checkArgs(long step, long stepsPerEpoch, long totalSteps) {
        if (step < 0 || stepsPerEpoch <= 0 || totalSteps <= 0) {
            throw new IllegalArgumentException("step " + step + ", stepsPerEpoch " + stepsPerEpoch + ", totalSteps "
                    + totalSteps + ": expected step >= 0 and positive step counts");
        }
    }

    private static long warmupSteps(double epochs, long stepsPerEpoch) {
        return Math.round(epochs * stepsPerEpoch);
    }

    private static double warm(double value, long step, long warmupSteps) {
        return step < warmupSteps ? value * (step + 1) / warmupSteps : value;
    }

    /** The same rate at every step (after warm-up). */
    record Constant(double lr, double warmupEpochs) implements LrSchedule {
        /** Checks the components (a bad one is an error naming it). */
        public Constant {
            checkRate("lr", lr);
            checkWarmup(warmupEpochs);
        }

        @Override
        public double rate(long step, long stepsPerEpoch, long totalSteps) {
            checkArgs(step, stepsPerEpoch, totalSteps);
            return warm(lr, step, warmupSteps(warmupEpochs, stepsPerEpoch));
        }

        @Override
        public Constant withWarmup(double epochs) {
            return new Constant(lr, epochs);
        }
    }

    /** {@code lr * gamma^k}, {@code k} = number of milestones (epochs) reached by the step's epoch. */
    record StepDecay(double lr, double gamma, int[] milestones, double warmupEpochs) implements LrSchedule {
        /** Checks the components (a bad one is an error naming it). */
        public StepDecay {
            checkRate("lr", lr);
            checkWarmup(warmupEpochs);
            if (!(gamma > 0) || !Double.isFinite(gamma)) {
                throw new IllegalArgumentException("gamma = " + gamma + ", expected a finite value > 0");
            }
            if (milestones == null) {
                throw new IllegalArgumentException("milestones must not be null");
            }
            milestones = milestones.clone();
            for (int i = 0; i < milestones.length; i++) {
                if (milestones[i] <= 0 || (i > 0 && milestones[i] <= milestones[i - 1])) {
                    throw new IllegalArgumentException("milestones " + Arrays.toString(milestones)
                            + ": expected strictly increasing positive epochs");
                }
            }
        }

        /** The epochs after which the rate is multiplied by the factor (a copy). */
        @Override
        public int[] milestones() {
            return milestones.clone();
        }

        @Override
        public double rate(long step, long stepsPerEpoch, long totalSteps) {
            checkArgs(step, stepsPerEpoch, totalSteps);
            long epoch = step / stepsPerEpoch;
            double v = lr;
            for (int m : milestones) {
                if (epoch >= m) {
                    v *= gamma;
                }
            }
            return warm(v, step, warmupSteps(warmupEpochs, stepsPerEpoch));
        }

        @Override
        public StepDecay withWarmup(double epochs) {
            return new StepDecay(lr, gamma, milestones, epochs);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof StepDecay s
                    && s.lr == lr
                    && s.gamma == gamma
                    && Arrays.equals(s.milestones, milestones)
                    && s.warmupEpochs == warmupEpochs;
        }

        @Override
        public int hashCode() {
            return Double.hashCode(lr) * 31 + Arrays.hashCode(milestones);
        }

        @Override
        public String toString() {
            return "StepDecay[lr=" + lr + ", gamma=" + gamma + ", milestones=" + Arrays.toString(milestones)
                    + ", warmupEpochs=" + warmupEpochs + "]";
        }
    }

    /**
     * Half-cosine from {@code lr} to {@code minLr} over the steps after warm-up:
     * {@code minLr + (lr - minLr) (1 + cos(pi t)) / 2}, {@code t = (step - W) / (totalSteps - W)}.
     */
    record Cosine(double lr, double minLr, double warmupEpochs) implements LrSchedule {
        /** Checks the components (a bad one is an error naming it). */
        public Cosine {
            checkRate("lr", lr);
            checkRate("minLr", minLr);
            checkWarmup(warmupEpochs);
            if (minLr > lr) {
                throw new IllegalArgumentException("minLr = " + minLr + ", expected <= lr = " + lr);
            }
        }

        @Override
        public double rate(long step, long stepsPerEpoch, long totalSteps) {
            checkArgs(step, stepsPerEpoch, totalSteps);
            long w = warmupSteps(warmupEpochs, stepsPerEpoch);
            double t = totalSteps > w ? Math.min(1.0, Math.max(0.0, (double) (step - w) / (totalSteps - w))) : 0;
            double v = minLr + (lr - minLr) * 0.5 * (1 + Math.cos(Math.PI * t));
            return warm(v, step, w);
        }

        @Override
        public Cosine withWarmup(double epochs) {
            return new Cosine(lr, minLr, epochs);
        }
    }
}
