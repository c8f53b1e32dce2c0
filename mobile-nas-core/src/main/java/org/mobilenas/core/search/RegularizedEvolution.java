package org.mobilenas.core.search;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Regularized (aging) evolution (Real et al., 2019): a population of the most recent {@code population}
 * observed genotypes; each child mutates one decision of the best of {@code sampleSize} random members; the
 * oldest member dies when a new one arrives. Until the population is full, children are uniform samples.
 *
 * <pre>{@code
 * Controller evo = RegularizedEvolution.builder().population(20).sampleSize(5).build();
 * }</pre>
 */
public final class RegularizedEvolution implements Controller {
    private final int population;
    private final int sampleSize;
    private SearchSpace space;
    private SplittableRandom rng;
    private final Deque<Genotype> members = new ArrayDeque<>();
    private final Deque<Double> scores = new ArrayDeque<>();

    private RegularizedEvolution(int population, int sampleSize) {
        this.population = population;
        this.sampleSize = sampleSize;
    }

    /** A builder with the defaults given on its setters. */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings of {@link RegularizedEvolution}; defaults population 20, sample size 5. */
    public static final class Builder {
        private int population = 20;
        private int sampleSize = 5;

        /** Size of the population (the paper's P). */
        public Builder population(int p) {
            if (p < 2) {
                throw new IllegalArgumentException("evolution population " + p + " must be >= 2");
            }
            this.population = p;
            return this;
        }

        /** Candidates drawn per tournament (the paper's S). */
        public Builder sampleSize(int s) {
            if (s < 1) {
                throw new IllegalArgumentException("evolution sampleSize " + s + " must be >= 1");
            }
            this.sampleSize = s;
            return this;
        }

        /** Builds the controller. */
        public RegularizedEvolution build() {
            if (sampleSize > population) {
                throw new IllegalArgumentException(
                        "evolution sampleSize " + sampleSize + " must be <= population " + population);
            }
            return new RegularizedEvolution(population, sampleSize);
        }
    }

    @Override
    public String name() {
        return "regularized-evolution";
    }

    @Override
    public Map<String, Object> options() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("population", population);
        m.put("sampleSize", sampleSize);
        return m;
    }

    @Override
    public void start(SearchSpace s, long seed) {
        if (s == null) {
            throw new IllegalArgumentException("search space is missing");
        }
        this.space = s;
        this.rng = new SplittableRandom(seed);
        members.clear();
        scores.clear();
    }

    @Override
    public List<Genotype> propose(int n) {
        if (space == null) {
            throw new IllegalStateException("evolution not started; call start(space, seed) first");
        }
        if (n < 1) {
            throw new IllegalArgumentException("propose n " + n + " must be >= 1");
        }
        List<Genotype> out = new ArrayList<>(n);
        List<Genotype> ms = new ArrayList<>(members);
        List<Double> ss = new ArrayList<>(scores);
        for (int i = 0; i < n; i++) {
            if (ms.size() < population) {
                out.add(space.sample(rng));
                continue;
            }
            int best = -1;
            for (int k = 0; k < sampleSize; k++) {
                int j = rng.nextInt(ms.size());
                if (best < 0 || ss.get(j) > ss.get(best)) {
                    best = j;
                }
            }
            out.add(mutateOne(ms.get(best)));
        }
        return out;
    }

    /** Changes one decision (with more than one option) to a different option. */
    private Genotype mutateOne(Genotype g) {
        List<Decision> ds = space.decisions();
        List<Integer> mutable = new ArrayList<>();
        for (int i = 0; i < ds.size(); i++) {
            if (ds.get(i).size() > 1) {
                mutable.add(i);
            }
        }
        if (mutable.isEmpty()) {
            return g;
        }
        int d = mutable.get(rng.nextInt(mutable.size()));
        int o = rng.nextInt(ds.get(d).size() - 1);
        return g.with(d, o >= g.get(d) ? o + 1 : o);
    }

    @Override
    public void observe(List<Genotype> genotypes, double[] rewards) {
        Controller.checkObservation(genotypes, rewards);
        for (int i = 0; i < rewards.length; i++) {
            members.addLast(genotypes.get(i));
            scores.addLast(rewards[i]);
            if (members.size() > population) {
                members.removeFirst();
                scores.removeFirst();
            }
        }
    }
}
