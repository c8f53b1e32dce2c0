package org.mobilenas.core.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mobilenas.core.spec.Activation;
import org.mobilenas.core.spec.ConvBlock;
import org.mobilenas.core.spec.GlobalPoolBlock;
import org.mobilenas.core.spec.NetworkSpec;

class EvaluatorTest {

    private static NetworkSpec net(String name, int channels) {
        return NetworkSpec.builder(name, 16, 3)
                .stem(ConvBlock.of(channels, 3, 2, Activation.RELU))
                .head(GlobalPoolBlock.avg())
                .classifier(10, 0)
                .build();
    }

    @Test
    void oneOutcomePerCandidateInOrderAndFailuresAreRecorded() {
        Evaluator e = Evaluator.of(spec -> switch (spec.name()) {
            case "boom" -> throw new IllegalStateException("diverged");
            case "nan" -> Double.NaN;
            case "big" -> 1.5;
            default -> spec.stem().get(0) instanceof ConvBlock c ? c.out() / 100.0 : 0;
        });
        List<Outcome> out = e.evaluate(
                Arrays.asList(net("a", 16), net("boom", 8), null, net("nan", 8), net("big", 8), net("b", 32)));
        assertThat(out).hasSize(6);
        assertThat(out.get(0)).isEqualTo(Outcome.accuracy(0.16));
        assertThat(out.get(1).failure()).isEqualTo("'boom': IllegalStateException: diverged");
        assertThat(out.get(2).failure()).contains("candidate is missing");
        assertThat(out.get(3).failure()).isEqualTo("'nan': accuracy NaN not in [0, 1]");
        assertThat(out.get(4).failure()).isEqualTo("'big': accuracy 1.5 not in [0, 1]");
        assertThat(out.get(5).value()).hasValue(0.32);
        assertThat(out.get(1).succeeded()).isFalse();
        assertThat(out.get(1).value()).isEmpty();
        assertThat(e.evaluate(net("c", 8)).accuracy()).isEqualTo(0.08);
    }

    @Test
    void outcomesAreValidated() {
        assertThatThrownBy(() -> Outcome.accuracy(-0.1)).hasMessage("outcome.accuracy -0.1 must be in [0, 1]");
        assertThatThrownBy(() -> new Outcome(0.5, "x")).hasMessageContaining("must be NaN for a failure");
        assertThatThrownBy(() -> new Outcome(Double.NaN, " ")).hasMessageContaining("must not be blank");
        assertThat(Outcome.failure(null).failure()).isEqualTo("unknown failure");
        assertThatThrownBy(() -> Evaluator.of(null)).hasMessageContaining("accuracy function is missing");
        assertThatThrownBy(() -> Evaluator.of(s -> 0.5).evaluate((List<NetworkSpec>) null))
                .hasMessageContaining("candidates is missing");
    }
}
