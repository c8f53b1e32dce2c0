package org.mobilenas.core.ofa;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.mobilenas.core.budget.InfeasibleBudgetException;
import org.mobilenas.core.cost.Costs;
import org.mobilenas.core.latency.LatencyModel;
import org.mobilenas.core.spec.NetworkSpec;

/**
 * Once-for-All's specialisation: an evolutionary search maximising predicted accuracy under a latency budget
 * (from any {@link LatencyModel}) and optionally a MACs budget. Paper defaults: population 100, 500 generations,
 * parent ratio 0.25, mutation ratio 0.5; each generation keeps the best quarter as parents and adds a population's
 * worth of children (half by mutation, half by crossover of two parents, field by field); mutation probability 0.1
 * per block's kernel and expand and per stage's depth, 0.5 for the resolution. Candidates over budget are resampled a bounded number of times;
 * a budget below the smallest subnet fails at once with an {@link InfeasibleBudgetException}.
 *
 * <pre>{@code
 * EvolutionResult r = EvolutionSearch.builder(space)
 *     .latency(latencyModel, 4.0)
 *     .seed(1)
 *     .build()
 *     .search(predictor);
 * }</pre>
 */
public final class EvolutionSearch {
    private final ElasticSpace space;
    private final int population;
    private final int generations;
    private final double parentRatio;
    private final double mutationRatio;
    private final double mutationProbability;
    private final double resolutionMutationProbability;
    private final LatencyModel latency;
    private final double budgetMs;
    private final long macsBudget;
    private final int maxTries;
    private final long seed;

    private EvolutionSearch(Builder b) {
        this.space = b.space;
        this.population = b.population;
        this.generations = b.generations;
        this.parentRatio = b.parentRatio;
        this.mutationRatio = b.mutationRatio;
        this.mutationProbability = b.mutationProbability;
        this.resolutionMutationProbability = b.resolutionMutationProbability;
        this.latency = b.latency;
        this.budgetMs = b.budgetMs;
        this.macsBudget = b.macsBudget;
        this.maxTries = b.maxTries;
        this.seed = b.seed;
    }

    /** A builder searching {@code space}; every other setting has the default given on its setter. */
    public static Builder builder(ElasticSpace space) {
        return new Builder(space);
    }

    /** Fluent configuration of an {@link EvolutionSearch}. */
    public static final class Builder {
        private final ElasticSpace space;
        private int population = 100;
        private int generations = 500;
        private double parentRatio = 0.25;
        private double mutationRatio = 0.5;
        private double mutationProbability = 0.1;
        private double resolutionMutationProbability = 0.5;
        private LatencyModel latency;
        private double budgetMs;
        private long macsBudget = Long.MAX_VALUE;
        private int maxTries = 1000;
        private long seed;

        private Builder(ElasticSpace space) {
            this.space = Objects.requireNonNull(space, "space");
        }

        /** Candidates kept per generation. */
        public Builder population(int n) {
            if (n < 4) {
                throw new IllegalArgumentException("population = " + n + ", expected >= 4");
            }
            this.population = n;
            return this;
        }

        /** Generations of evolution. */
        public Builder generations(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("generations = " + n + ", expected >= 1");
            }
            this.generations = n;
            return this;
        }

        /** Share of each generation kept as parents. */
        public Builder parentRatio(double r) {
            this.parentRatio = fraction("parentRatio", r);
            return this;
        }

        /** Share of each generation's children made by mutation (the rest by crossover). */
        public Builder mutationRatio(double r) {
            this.mutationRatio = fraction("mutationRatio", r);
            return this;
        }

        /** Probability of resampling each block's kernel and expand and each stage's depth. */
        public Builder mutationProbability(double p) {
            this.mutationProbability = fraction("mutationProbability", p);
            return this;
        }

        /** Probability of resampling the input resolution in a mutation. */
        public Builder resolutionMutationProbability(double p) {
            this.resolutionMutationProbability = fraction("resolutionMutationProbability", p);
            return this;
        }

        /** The latency model and the budget in milliseconds at batch 1. */
        public Builder latency(LatencyModel model, double budget) {
            this.latency = Objects.requireNonNull(model, "latency model");
            if (!(budget > 0) || !Double.isFinite(budget)) {
                throw new IllegalArgumentException("latency budget = " + budget + " ms, expected a finite value > 0");
            }
            this.budgetMs = budget;
            return this;
        }

        /** An additional MACs budget. */
        public Builder macsBudget(long macs) {
            if (macs <= 0) {
                throw new IllegalArgumentException("macsBudget = " + macs + ", expected > 0");
            }
            this.macsBudget = macs;
            return this;
        }

        /** Attempts to draw a feasible candidate before giving up (default 1000). */
        public Builder maxTries(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxTries = " + n + ", expected >= 1");
            }
            this.maxTries = n;
            return this;
        }

        /** Seed of the initial population, mutation and crossover. */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        private static double fraction(String field, double v) {
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException(field + " = " + v + ", expected in [0, 1]");
            }
            return v;
        }

        /** Builds the search; the latency model and budget are required. */
        public EvolutionSearch build() {
            if (latency == null) {
                throw new IllegalArgumentException("latency model and budget are not set; use latency(model, ms)");
            }
            if (parentRatio * population < 1) {
                throw new IllegalArgumentException("parentRatio " + parentRatio + " x population " + population
                        + " leaves no parents; expected at least one");
            }
            return new EvolutionSearch(this);
        }
    }

    /** Latency and MACs of one candidate. */
    private record Cost(double ms, long macs) {}

    private record Scored(SubnetConfig config, double fitness) {}

    /** Runs the search, scoring candidates with {@code predictor}. */
    public EvolutionResult search(AccuracyPredictor predictor) {
        Objects.requireNonNull(predictor, "predictor");
        long t0 = System.nanoTime();
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, Cost> costs = new HashMap<>();
        long[] rejected = {0};
        SubnetConfig min = space.minConfig();
        Cost minCost = cost(min, costs);
        if (!feasible(minCost)) {
            throw new InfeasibleBudgetException(
                    "latency ms",
                    budgetMs,
                    minCost.ms(),
                    String.format(
                            "budget infeasible: the smallest subnet (%s) needs %.3f ms and %d MACs under %s, over the budget "
                                    + "of %.3f ms%s; raise the budget or use a smaller space",
                            min.key(),
                            minCost.ms(),
                            Costs.of(space.spec(min)).macs(),
                            latency.name(),
                            budgetMs,
                            macsBudget == Long.MAX_VALUE ? "" : " and " + macsBudget + " MACs"));
        }
        List<SubnetConfig> init = new ArrayList<>();
        while (init.size() < population) {
            SubnetConfig c = null;
            for (int t = 0; t < maxTries && c == null; t++) {
                SubnetConfig s = space.sample(rng);
                if (feasible(cost(s, costs))) {
                    c = s;
                } else {
                    rejected[0]++;
                }
            }
            if (c == null) {
                c = feasibleMutation(min, rng, costs, rejected);
            }
            init.add(c);
        }
        long evaluated = 0;
        List<Scored> pop = score(init, predictor);
        evaluated += pop.size();
        int parents = Math.max(1, (int) Math.round(parentRatio * population));
        int mutations = (int) Math.round(mutationRatio * population);
        // As in Once-for-All's evolution finder: every generation keeps the parents and adds a full population of
        // children, mutations and crossovers (so crossovers = population - mutations, not population - parents -
        // mutations).
        int crossovers = Math.max(0, population - mutations);
        List<Double> best = new ArrayList<>();
        for (int g = 0; g < generations; g++) {
            pop.sort(Comparator.comparingDouble(Scored::fitness).reversed());
            List<Scored> top = new ArrayList<>(pop.subList(0, parents));
            best.add(top.get(0).fitness());
            List<SubnetConfig> children = new ArrayList<>();
            for (int i = 0; i < mutations; i++) {
                SubnetConfig p = top.get(rng.nextInt(top.size())).config();
                children.add(feasibleMutation(p, rng, costs, rejected));
            }
            for (int i = 0; i < crossovers; i++) {
                SubnetConfig a = top.get(rng.nextInt(top.size())).config();
                SubnetConfig b = top.get(rng.nextInt(top.size())).config();
                SubnetConfig child = a;
                for (int t = 0; t < maxTries; t++) {
                    SubnetConfig c = crossover(a, b, rng);
                    if (feasible(cost(c, costs))) {
                        child = c;
                        break;
                    }
                    rejected[0]++;
                }
                children.add(child);
            }
            List<Scored> next = new ArrayList<>(top);
            next.addAll(score(children, predictor));
            evaluated += children.size();
            pop = next;
        }
        pop.sort(Comparator.comparingDouble(Scored::fitness).reversed());
        Scored winner = pop.get(0);
        Cost c = cost(winner.config(), costs);
        long macs =
                c.macs() >= 0 ? c.macs() : Costs.of(space.spec(winner.config())).macs();
        SpecializedSubnet s = new SpecializedSubnet(winner.config(), winner.fitness(), Double.NaN, c.ms(), macs);
        return new EvolutionResult(
                s, budgetMs, macsBudget, latency.name(), best, evaluated, rejected[0], (System.nanoTime() - t0) / 1e9);
    }

    private List<Scored> score(List<SubnetConfig> configs, AccuracyPredictor predictor) {
        double[] acc = predictor.predict(configs);
        List<Scored> out = new ArrayList<>(configs.size());
        for (int i = 0; i < acc.length; i++) {
            out.add(new Scored(configs.get(i), acc[i]));
        }
        return out;
    }

    private boolean feasible(Cost c) {
        return c.ms() <= budgetMs && (macsBudget == Long.MAX_VALUE || c.macs() <= macsBudget);
    }

    private Cost cost(SubnetConfig c, Map<String, Cost> cache) {
        Cost cost = cache.computeIfAbsent(c.key(), k -> {
            NetworkSpec spec = space.spec(c);
            long macs = Costs.of(spec).macs();
            return new Cost(latency.predict(spec, 1).totalMs(), macs);
        });
        return cost;
    }

    /** A mutation of {@code parent} within budget, or the parent itself after {@code maxTries} misses. */
    private SubnetConfig feasibleMutation(
            SubnetConfig parent, SplittableRandom rng, Map<String, Cost> costs, long[] rejected) {
        for (int t = 0; t < maxTries; t++) {
            SubnetConfig c = mutate(parent, rng);
            if (feasible(cost(c, costs))) {
                return c;
            }
            rejected[0]++;
        }
        return parent;
    }

    SubnetConfig mutate(SubnetConfig p, SplittableRandom rng) {
        int r = rng.nextDouble() < resolutionMutationProbability ? pick(space.resolutions(), rng) : p.resolution();
        List<Integer> d = new ArrayList<>(p.depths());
        for (int i = 0; i < d.size(); i++) {
            if (rng.nextDouble() < mutationProbability) {
                d.set(i, pick(space.depths(), rng));
            }
        }
        List<Integer> k = new ArrayList<>(p.kernels());
        List<Integer> e = new ArrayList<>(p.expands());
        for (int i = 0; i < k.size(); i++) {
            if (rng.nextDouble() < mutationProbability) {
                k.set(i, pick(space.kernels(), rng));
            }
            if (rng.nextDouble() < mutationProbability) {
                e.set(i, pick(space.expands(), rng));
            }
        }
        return new SubnetConfig(r, d, k, e);
    }

    static SubnetConfig crossover(SubnetConfig a, SubnetConfig b, SplittableRandom rng) {
        int r = rng.nextBoolean() ? a.resolution() : b.resolution();
        List<Integer> d = new ArrayList<>();
        for (int i = 0; i < a.depths().size(); i++) {
            d.add(rng.nextBoolean() ? a.depths().get(i) : b.depths().get(i));
        }
        List<Integer> k = new ArrayList<>();
        List<Integer> e = new ArrayList<>();
        for (int i = 0; i < a.kernels().size(); i++) {
            k.add(rng.nextBoolean() ? a.kernels().get(i) : b.kernels().get(i));
            e.add(rng.nextBoolean() ? a.expands().get(i) : b.expands().get(i));
        }
        return new SubnetConfig(r, d, k, e);
    }

    private static int pick(List<Integer> options, SplittableRandom rng) {
        return options.get(rng.nextInt(options.size()));
    }
}
