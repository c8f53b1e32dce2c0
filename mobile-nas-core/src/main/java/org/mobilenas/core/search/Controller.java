package org.mobilenas.core.search;

import java.util.List;
import java.util.Map;

/**
 * Proposes genotypes of a {@link SearchSpace} and learns from their rewards. A controller is a stateful policy:
 * {@link #start} resets it for a space and a seed; after that, {@link #propose} and {@link #observe} alternate.
 * Proposals depend only on the seed and the observations so far, so a search replaying its journal
 * (the same observations in the same order) brings a controller back to exactly the state it had.
 * {@link #observe} accepts any genotypes of the space (not only the last proposals).
 *
 * <pre>{@code
 * Controller rl = RlController.builder().algorithm(RlController.Algorithm.PPO).build();
 * rl.start(space, 42);
 * List<Genotype> batch = rl.propose(8);
 * rl.observe(batch, rewards);
 * Controller evo = RegularizedEvolution.builder().population(50).sampleSize(10).build();
 * Controller random = new RandomSearch();
 * }</pre>
 */
public interface Controller {

    /** Short name recorded in results, e.g. {@code rl-ppo}. */
    String name();

    /** The controller's settings, recorded in results. */
    Map<String, Object> options();

    /** Resets the controller for {@code space}; all randomness comes from {@code seed}. */
    void start(SearchSpace space, long seed);

    /** The next {@code n} genotypes to evaluate. */
    List<Genotype> propose(int n);

    /**
     * Learns from evaluated genotypes; {@code rewards[i]} belongs to {@code genotypes.get(i)}. A failed
     * candidate is observed with reward 0.
     */
    void observe(List<Genotype> genotypes, double[] rewards);

    /** Checks the arguments of {@link #observe}; shared by the implementations. */
    static void checkObservation(List<Genotype> genotypes, double[] rewards) {
        if (genotypes == null || rewards == null) {
            throw new IllegalArgumentException("observe needs genotypes and rewards; missing: "
                    + (genotypes == null ? "genotypes " : "") + (rewards == null ? "rewards" : ""));
        }
        if (genotypes.size() != rewards.length) {
            throw new IllegalArgumentException("observe got " + genotypes.size() + " genotypes but " + rewards.length
                    + " rewards; expected one reward per genotype");
        }
        for (int i = 0; i < rewards.length; i++) {
            if (!Double.isFinite(rewards[i])) {
                throw new IllegalArgumentException("reward " + i + " is " + rewards[i] + "; expected a finite number");
            }
        }
    }
}
