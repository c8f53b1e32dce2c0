package org.mobilenas.core.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The baseline controller: uniform samples of the space, ignoring rewards.
 *
 * <pre>{@code
 * Controller random = new RandomSearch();
 * }</pre>
 */
public final class RandomSearch implements Controller {
    private SearchSpace space;
    private SplittableRandom rng;

    @Override
    public String name() {
        return "random";
    }

    @Override
    public Map<String, Object> options() {
        return Map.of();
    }

    @Override
    public void start(SearchSpace s, long seed) {
        if (s == null) {
            throw new IllegalArgumentException("search space is missing");
        }
        this.space = s;
        this.rng = new SplittableRandom(seed);
    }

    @Override
    public List<Genotype> propose(int n) {
        if (space == null) {
            throw new IllegalStateException("random search not started; call start(space, seed) first");
        }
        if (n < 1) {
            throw new IllegalArgumentException("propose n " + n + " must be >= 1");
        }
        List<Genotype> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(space.sample(rng));
        }
        return out;
    }

    @Override
    public void observe(List<Genotype> genotypes, double[] rewards) {
        Controller.checkObservation(genotypes, rewards);
    }
}
