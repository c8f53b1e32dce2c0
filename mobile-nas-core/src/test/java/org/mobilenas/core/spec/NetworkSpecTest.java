package org.mobilenas.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mobilenas.core.graph.Graph;
import org.mobilenas.core.graph.Node;

class NetworkSpecTest {

    @Test
    void shapesAreInferredForEveryLayer() {
        Graph g = TestSpecs.everyKind().graph();
        assertThat(g.node("stem[0].conv").output()).isEqualTo(new Shape(32, 32, 16));
        assertThat(g.node("stem[1].pool").output()).isEqualTo(new Shape(16, 16, 16));
        assertThat(g.node("stages[1].blocks[1].dw.conv").output()).isEqualTo(new Shape(8, 8, 144));
        assertThat(g.node("stages[2].blocks[0].concat").output()).isEqualTo(new Shape(4, 4, 96));
        assertThat(g.node("stages[3].blocks[1].split_right").output()).isEqualTo(new Shape(2, 2, 32));
        assertThat(g.output().output()).isEqualTo(new Shape(1, 1, 10));
        for (Node n : g.nodes()) {
            assertThat(n.output().elements()).as(n.name()).isPositive();
        }
    }

    @Test
    void badKernelNamesFieldAndAllowedValues() {
        assertThatThrownBy(() -> MBConvBlock.of(24, 4, 1, 6, Activation.RELU))
                .isInstanceOf(SpecException.class)
                .hasMessage("mbconv.kernel 4 not in [1, 3, 5, 7]");
    }

    @Test
    void channelMismatchNamesTheExactBlock() {
        assertThatThrownBy(() -> NetworkSpec.builder("bad", 32, 3)
                        .stem(ConvBlock.of(16, 3, 2, Activation.RELU))
                        .stage("a", MBConvBlock.of(16, 3, 1, 6, Activation.RELU).withSkip(Skip.IDENTITY))
                        .stage(
                                "b",
                                MBConvBlock.of(24, 3, 2, 6, Activation.RELU),
                                MBConvBlock.of(32, 3, 1, 6, Activation.RELU).withSkip(Skip.IDENTITY))
                        .classifier(10, 0)
                        .build())
                .isInstanceOf(SpecException.class)
                .hasMessage("stages[1].blocks[1]: skip IDENTITY needs input channels == out, got 24 -> 32")
                .extracting(e -> ((SpecException) e).place())
                .isEqualTo("stages[1].blocks[1]");
    }

    @Test
    void groupsThatDoNotDivideAreReportedAtTheLayer() {
        assertThatThrownBy(() -> NetworkSpec.builder("bad", 32, 3)
                        .stem(ConvBlock.of(10, 3, 2, Activation.RELU))
                        .stage("a", new ConvBlock(12, 1, 1, 4, Activation.RELU, true, false))
                        .classifier(10, 0)
                        .build())
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("stages[0].blocks[0].conv")
                .hasMessageContaining("input channels 10 not divisible by groups 4");
    }

    @Test
    void tooSmallInputIsReported() {
        NetworkSpec.Builder b = NetworkSpec.builder("small", 1, 3)
                .stem(new PoolBlock(org.mobilenas.core.graph.Op.PoolType.MAX, 2, 2, 0))
                .classifier(10, 0);
        assertThatThrownBy(b::build).isInstanceOf(SpecException.class).hasMessageContaining("too small");
    }

    @Test
    void recordsAreImmutable() {
        NetworkSpec s = TestSpecs.everyKind();
        assertThatThrownBy(() -> s.stages().add(s.stages().get(0))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> s.stages().get(0).blocks().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void missingPiecesAreNamed() {
        assertThatThrownBy(() -> new NetworkSpec("x", 32, 3, List.of(), List.of(), List.of(), ClassifierSpec.of(10, 0)))
                .hasMessageContaining("has no blocks");
        assertThatThrownBy(() -> ClassifierSpec.of(1, 0)).hasMessage("classifier.numClasses 1: expected 2..100000");
        assertThatThrownBy(() -> ClassifierSpec.of(10, 1.5)).hasMessage("classifier.dropout 1.5 must be in [0, 1)");
    }

    @Test
    void makeDivisibleFollowsTheReferenceRule() {
        assertThat(MakeDivisible.of8(32 * 0.5)).isEqualTo(16);
        assertThat(MakeDivisible.of8(24 * 0.75)).isEqualTo(24); // 18 -> 16 is < 90 % of 18, so 24
        assertThat(MakeDivisible.of8(3)).isEqualTo(8);
        assertThat(MakeDivisible.of8(1280 * 1.4)).isEqualTo(1792);
        assertThat(MakeDivisible.of8(36)).isEqualTo(40);
    }
}
