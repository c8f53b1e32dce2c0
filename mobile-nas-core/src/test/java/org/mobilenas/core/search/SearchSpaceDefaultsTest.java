package org.mobilenas.core.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mobilenas.core.spec.Activation;
import org.mobilenas.core.spec.ConvBlock;
import org.mobilenas.core.spec.GlobalPoolBlock;
import org.mobilenas.core.spec.NetworkSpec;

class SearchSpaceDefaultsTest {
    /** Two decisions: width of one conv {8, 16, 24} and its kernel {3, 5}. */
    static final SearchSpace TOY = new SearchSpace() {
        @Override
        public String name() {
            return "toy";
        }

        @Override
        public List<Decision> decisions() {
            return List.of(new Decision("width", List.of("8", "16", "24")), new Decision("kernel", List.of("3", "5")));
        }

        @Override
        public NetworkSpec decode(Genotype g) {
            validate(g);
            return NetworkSpec.builder("toy-" + g, 16, 3)
                    .stage("s", ConvBlock.of(8 * (g.get(0) + 1), g.get(1) == 0 ? 3 : 5, 2, Activation.RELU))
                    .head(GlobalPoolBlock.avg())
                    .classifier(10, 0)
                    .build();
        }
    };

    @Test
    void sizeSampleMutateCrossoverStayInRange() {
        assertThat(TOY.size()).isEqualTo(BigInteger.valueOf(6));
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < 200; i++) {
            Genotype a = TOY.sample(rng);
            Genotype b = TOY.sample(rng);
            TOY.validate(TOY.mutate(a, 0.5, rng));
            TOY.validate(TOY.crossover(a, b, rng));
            assertThat(TOY.mutate(a, 1.0, rng)).as("p=1 changes every decision").satisfies(m -> {
                assertThat(m.get(0)).isNotEqualTo(a.get(0));
                assertThat(m.get(1)).isNotEqualTo(a.get(1));
            });
        }
        assertThat(TOY.decode(Genotype.of(2, 1)).stages().get(0).blocks().get(0))
                .isEqualTo(ConvBlock.of(24, 5, 2, Activation.RELU));
    }

    @Test
    void invalidGenotypesAreNamed() {
        assertThatThrownBy(() -> TOY.validate(Genotype.of(3, 0)))
                .hasMessage("toy: decision 0 (width) = 3, expected 0..2 [8, 16, 24]");
        assertThatThrownBy(() -> TOY.validate(Genotype.of(1))).hasMessage("toy: genotype has 1 choices, expected 2");
        assertThatThrownBy(() -> Genotype.parse("1-x")).hasMessageContaining("part 1 'x' is not an integer");
        assertThat(Genotype.parse("2-0")).isEqualTo(Genotype.of(2, 0));
        assertThat(Genotype.of(2, 0).toString()).isEqualTo("2-0");
        assertThatThrownBy(() -> TOY.mutate(Genotype.of(0, 0), 1.5, new SplittableRandom(1)))
                .hasMessageContaining("mutation probability 1.5");
    }
}
