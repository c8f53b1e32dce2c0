package org.mobilenas.core.search;

import java.math.BigInteger;
import java.util.List;
import java.util.random.RandomGenerator;
import org.mobilenas.core.spec.NetworkSpec;

/**
 * A space of networks described by categorical decisions. A {@link Genotype} picks one option per decision;
 * {@link #decode(Genotype)} turns it into a {@link NetworkSpec}.
 *
 * <pre>{@code
 * SearchSpace space = MnasNetSpace.small(10);               // from mobile-nas-spaces
 * Genotype g = space.sample(new java.util.SplittableRandom(42));
 * NetworkSpec spec = space.decode(g);
 * Genotype child = space.mutate(g, 0.1, rng);
 * }</pre>
 */
public interface SearchSpace {

    /** Name of the space, recorded in search results. */
    String name();

    /** The decisions, in genotype order. */
    List<Decision> decisions();

    /** The network a genotype stands for; throws {@link IllegalArgumentException} for an invalid genotype. */
    NetworkSpec decode(Genotype genotype);

    /** Number of genotypes (product of the decisions' option counts). */
    default BigInteger size() {
        BigInteger n = BigInteger.ONE;
        for (Decision d : decisions()) {
            n = n.multiply(BigInteger.valueOf(d.size()));
        }
        return n;
    }

    /** Checks length and ranges, naming the first offending decision. */
    default void validate(Genotype g) {
        List<Decision> ds = decisions();
        if (g.size() != ds.size()) {
            throw new IllegalArgumentException(
                    name() + ": genotype has " + g.size() + " choices, expected " + ds.size());
        }
        for (int i = 0; i < ds.size(); i++) {
            if (g.get(i) >= ds.get(i).size()) {
                throw new IllegalArgumentException(
                        name() + ": decision " + i + " (" + ds.get(i).name() + ") = " + g.get(i) + ", expected 0.."
                                + (ds.get(i).size() - 1) + " " + ds.get(i).options());
            }
        }
    }

    /** A uniformly random genotype. */
    default Genotype sample(RandomGenerator rng) {
        List<Decision> ds = decisions();
        int[] v = new int[ds.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextInt(ds.get(i).size());
        }
        return Genotype.of(v);
    }

    /** Each decision re-drawn (to a different option when it has one) with probability {@code p}. */
    default Genotype mutate(Genotype g, double p, RandomGenerator rng) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("mutation probability " + p + " must be in [0, 1]");
        }
        validate(g);
        List<Decision> ds = decisions();
        int[] v = g.toArray();
        for (int i = 0; i < v.length; i++) {
            int n = ds.get(i).size();
            if (n > 1 && rng.nextDouble() < p) {
                int o = rng.nextInt(n - 1);
                v[i] = o >= v[i] ? o + 1 : o;
            }
        }
        return Genotype.of(v);
    }

    /** Uniform crossover: each decision from {@code a} or {@code b} with equal probability. */
    default Genotype crossover(Genotype a, Genotype b, RandomGenerator rng) {
        validate(a);
        validate(b);
        int[] v = a.toArray();
        for (int i = 0; i < v.length; i++) {
            if (rng.nextBoolean()) {
                v[i] = b.get(i);
            }
        }
        return Genotype.of(v);
    }
}
