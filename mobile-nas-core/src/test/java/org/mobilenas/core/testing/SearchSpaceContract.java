package org.mobilenas.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mobilenas.core.cost.Costs;
import org.mobilenas.core.search.Decision;
import org.mobilenas.core.search.Genotype;
import org.mobilenas.core.search.SearchSpace;
import org.mobilenas.core.spec.NetworkSpec;

/**
 * What every {@link SearchSpace} promises, for implementations to extend: named decisions, a size that is their
 * product, sampled genotypes that validate and decode to valid networks the same way every time, and genotypes
 * outside the space refused with a message that names the decision. Extend it with {@link #space()}.
 */
public abstract class SearchSpaceContract {
    /** The space under test. */
    protected abstract SearchSpace space();

    @Test
    void decisionsAreNamedAndTheSizeIsTheirProduct() {
        SearchSpace s = space();
        assertThat(s.name()).isNotBlank();
        assertThat(s.decisions()).isNotEmpty();
        BigInteger n = BigInteger.ONE;
        for (Decision d : s.decisions()) {
            assertThat(d.name()).isNotBlank();
            n = n.multiply(BigInteger.valueOf(d.size()));
        }
        assertThat(s.size()).isEqualTo(n);
    }

    @Test
    void sampledGenotypesDecodeToValidNetworksDeterministically() {
        SearchSpace s = space();
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 20; i++) {
            Genotype g = s.sample(rng);
            s.validate(g);
            NetworkSpec a = s.decode(g);
            assertThat(s.decode(g)).isEqualTo(a);
            assertThat(Costs.of(a).macs()).isPositive();
            assertThat(a.graph().nodes()).isNotEmpty();
        }
    }

    @Test
    void genotypesOutsideTheSpaceAreRefusedNamingTheDecision() {
        SearchSpace s = space();
        int[] g = new int[s.decisions().size()];
        g[0] = s.decisions().get(0).size();
        assertThatThrownBy(() -> s.validate(Genotype.of(g)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(s.decisions().get(0).name());
        assertThatThrownBy(() -> s.decode(Genotype.of(new int[s.decisions().size() + 1])))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
