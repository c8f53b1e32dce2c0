package org.mobilenas.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mobilenas.core.search.Controller;
import org.mobilenas.core.search.Decision;
import org.mobilenas.core.search.Genotype;
import org.mobilenas.core.search.SearchSpace;
import org.mobilenas.core.spec.Activation;
import org.mobilenas.core.spec.ConvBlock;
import org.mobilenas.core.spec.GlobalPoolBlock;
import org.mobilenas.core.spec.NetworkSpec;

/**
 * What every {@link Controller} promises, for implementations to extend: proposals are valid genotypes of the
 * space, the same seed gives the same proposals and the same learning, misuse is a clear error, and a whole loop of
 * proposing and observing runs. Extend it with {@link #create()} returning a fresh controller.
 */
public abstract class ControllerContract {
    /** Four decisions of three options each; decoding builds a small network from them. */
    protected static final SearchSpace SPACE = new SearchSpace() {
        @Override
        public String name() {
            return "contract-space";
        }

        @Override
        public List<Decision> decisions() {
            List<Decision> ds = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                ds.add(new Decision("d" + i, List.of("a", "b", "c")));
            }
            return ds;
        }

        @Override
        public NetworkSpec decode(Genotype g) {
            validate(g);
            return NetworkSpec.builder("contract-" + g, 8, 1)
                    .stem(ConvBlock.of(4 + 4 * g.get(0), 3, 1, Activation.RELU))
                    .stage("s", ConvBlock.of(4 + 4 * g.get(1), 3, 1 + g.get(2) % 2, Activation.RELU))
                    .head(GlobalPoolBlock.avg())
                    .classifier(2 + g.get(3), 0)
                    .build();
        }
    };

    /** A fresh, unstarted controller. */
    protected abstract Controller create();

    private static double reward(Genotype g) {
        double r = 0;
        for (int i = 0; i < g.size(); i++) {
            r += g.get(i);
        }
        return r / 8;
    }

    @Test
    void proposalsAreValidGenotypesOfTheSpace() {
        Controller c = create();
        c.start(SPACE, 1);
        List<Genotype> batch = c.propose(6);
        assertThat(batch).hasSize(6).allSatisfy(SPACE::validate);
        assertThat(c.name()).isNotBlank();
        assertThat(c.options()).isNotNull();
    }

    @Test
    void theSameSeedGivesTheSameSearch() {
        List<List<Genotype>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            Controller c = create();
            c.start(SPACE, 42);
            List<Genotype> all = new ArrayList<>();
            for (int it = 0; it < 4; it++) {
                List<Genotype> batch = c.propose(4);
                c.observe(
                        batch,
                        batch.stream().mapToDouble(ControllerContract::reward).toArray());
                all.addAll(batch);
            }
            runs.add(all);
        }
        assertThat(runs.get(1)).isEqualTo(runs.get(0));
    }

    @Test
    void startingAgainForgetsThePreviousSearch() {
        Controller c = create();
        c.start(SPACE, 7);
        List<Genotype> first = c.propose(3);
        c.observe(first, new double[] {1, 0, 0.5});
        c.start(SPACE, 7);
        assertThat(c.propose(3)).isEqualTo(first);
    }

    @Test
    void misuseIsAClearError() {
        assertThatThrownBy(() -> create().propose(1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("start");
        Controller c = create();
        c.start(SPACE, 1);
        assertThatThrownBy(() -> c.propose(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
        List<Genotype> two = c.propose(2);
        assertThatThrownBy(() -> c.observe(two, new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 genotypes but 1 rewards");
        assertThatThrownBy(() -> c.observe(two, new double[] {1, Double.NaN}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reward 1 is NaN");
        assertThatThrownBy(() -> create().start(null, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("space");
    }
}
