package org.mobilenas.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mobilenas.core.search.Evaluator;
import org.mobilenas.core.search.Outcome;
import org.mobilenas.core.spec.Activation;
import org.mobilenas.core.spec.ClassifierSpec;
import org.mobilenas.core.spec.ConvBlock;
import org.mobilenas.core.spec.GlobalPoolBlock;
import org.mobilenas.core.spec.NetworkSpec;

/**
 * What every {@link Evaluator} promises, for implementations to extend: one outcome per candidate in order, the
 * same candidates give the same outcomes, a missing candidate or one that cannot be scored is a failed outcome
 * (never an exception for the batch), only a missing list throws. Extend it with {@link #create()}; the evaluator
 * must score networks of {@link #candidate(int)} (16 px, 1 channel, 4 classes) and fail {@link #unscorable()}.
 */
public abstract class EvaluatorContract {

    /** A fresh evaluator. */
    protected abstract Evaluator create();

    /** A small network, {@code i} choosing its width. */
    protected static NetworkSpec candidate(int i) {
        return NetworkSpec.builder("contract-" + i, 16, 1)
                .stem(ConvBlock.of(8 + 8 * (i % 3), 3, 2, Activation.RELU))
                .head(GlobalPoolBlock.avg())
                .classifier(ClassifierSpec.of(4, 0))
                .build();
    }

    /** A network this evaluator cannot score (default: one with 3 input channels where the data has 1). */
    protected NetworkSpec unscorable() {
        return NetworkSpec.builder("contract-rgb", 16, 3)
                .stem(ConvBlock.of(8, 3, 2, Activation.RELU))
                .head(GlobalPoolBlock.avg())
                .classifier(ClassifierSpec.of(4, 0))
                .build();
    }

    @Test
    void oneOutcomePerCandidateInOrderAndRepeatable() {
        Evaluator e = create();
        List<NetworkSpec> batch = List.of(candidate(0), candidate(1), candidate(2));
        List<Outcome> first = e.evaluate(batch);
        assertThat(first).hasSize(3);
        assertThat(first)
                .allSatisfy(o -> assertThat(o.succeeded())
                        .as(String.valueOf(o.failure()))
                        .isTrue());
        assertThat(first).allSatisfy(o -> assertThat(o.accuracy()).isBetween(0.0, 1.0));
        List<Outcome> reversed = create().evaluate(List.of(candidate(2), candidate(1), candidate(0)));
        assertThat(reversed.get(0)).isEqualTo(first.get(2));
        assertThat(reversed.get(2)).isEqualTo(first.get(0));
        assertThat(e.evaluate(candidate(1))).isEqualTo(first.get(1));
    }

    @Test
    void badCandidatesAreFailedOutcomesNotExceptions() {
        Evaluator e = create();
        List<NetworkSpec> batch = new ArrayList<>();
        batch.add(candidate(0));
        batch.add(null);
        batch.add(unscorable());
        List<Outcome> out = e.evaluate(batch);
        assertThat(out).hasSize(3);
        assertThat(out.get(0).succeeded()).isTrue();
        assertThat(out.get(1).failure()).contains("missing");
        assertThat(out.get(2).succeeded()).isFalse();
        assertThat(out.get(2).failure()).isNotBlank();
        assertThat(e.evaluate(List.of())).isEmpty();
        assertThatThrownBy(() -> e.evaluate((List<NetworkSpec>) null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("candidates");
    }
}
