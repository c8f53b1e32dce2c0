package org.mobilenas.core.search;

import java.util.ArrayList;
import java.util.List;
import org.mobilenas.core.spec.Activation;
import org.mobilenas.core.spec.ConvBlock;
import org.mobilenas.core.spec.GlobalPoolBlock;
import org.mobilenas.core.spec.NetworkSpec;

/**
 * A test space of {@code decisions} decisions with {@code options} options each. Decision i sets the width of
 * conv i to 8·(option + 1), so cost grows with the option; the synthetic accuracy is the fraction of decisions
 * equal to a known optimum.
 */
class SyntheticSpace implements SearchSpace {
    final int decisions;
    final int options;
    final Genotype optimum;

    SyntheticSpace(int decisions, int options, Genotype optimum) {
        this.decisions = decisions;
        this.options = options;
        this.optimum = optimum;
    }

    @Override
    public String name() {
        return "synthetic_" + decisions + "x" + options;
    }

    @Override
    public List<Decision> decisions() {
        List<Decision> ds = new ArrayList<>();
        for (int i = 0; i < decisions; i++) {
            List<String> o = new ArrayList<>();
            for (int k = 0; k < options; k++) {
                o.add(String.valueOf(k));
            }
            ds.add(new Decision("d" + i, o));
        }
        return ds;
    }

    @Override
    public NetworkSpec decode(Genotype g) {
        validate(g);
        NetworkSpec.Builder b = NetworkSpec.builder(name() + "_" + g, 4, 1);
        for (int i = 0; i < decisions; i++) {
            b.stage("s" + i, ConvBlock.of(8 * (g.get(i) + 1), 1, 1, Activation.RELU));
        }
        return b.head(GlobalPoolBlock.avg()).classifier(2, 0).build();
    }

    /** Fraction of decisions equal to the optimum. */
    double accuracy(Genotype g) {
        int hit = 0;
        for (int i = 0; i < decisions; i++) {
            if (g.get(i) == optimum.get(i)) {
                hit++;
            }
        }
        return hit / (double) decisions;
    }

    /** The accuracy of the genotype a decoded spec came from (parsed from its name). */
    double accuracy(NetworkSpec spec) {
        return accuracy(Genotype.parse(spec.name().substring(name().length() + 1)));
    }
}
