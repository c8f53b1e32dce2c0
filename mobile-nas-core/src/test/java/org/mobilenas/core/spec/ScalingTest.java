package org.mobilenas.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScalingTest {
    private static NetworkSpec base() {
        return NetworkSpec.builder("base", 64, 3)
                .stem(ConvBlock.of(32, 3, 2, Activation.RELU6))
                .repeat("s1", MBConvBlock.of(16, 3, 1, 1, Activation.RELU6), 1)
                .repeat("s2", MBConvBlock.of(24, 3, 2, 6, Activation.RELU6), 2)
                .repeat("s3", MBConvBlock.of(40, 5, 2, 6, Activation.RELU6), 3)
                .head(ConvBlock.of(1280, 1, 1, Activation.RELU6), GlobalPoolBlock.avg())
                .classifier(10, 0.2)
                .build();
    }

    @Test
    void derivedNetworksGetDerivedNames() {
        NetworkSpec b = base();
        assertThat(Scaling.width(b, 0.5, Scaling.Head.SCALE, true).name()).isEqualTo(b.name() + "-w0.5");
        assertThat(Scaling.depth(b, 1.2, Scaling.DepthRounding.CEIL).name()).isEqualTo(b.name() + "-d1.2");
        assertThat(Scaling.resolution(b, 0.5).name()).isEqualTo(b.name() + "-r" + b.resolution() / 2);
        assertThat(Scaling.width(b, 1.0, Scaling.Head.SCALE, true).name()).isEqualTo(b.name());
        assertThat(Scaling.resolution(Scaling.width(b, 0.75, Scaling.Head.SCALE, true), 0.5)
                        .name())
                .isEqualTo(b.name() + "-w0.75-r" + b.resolution() / 2);
    }

    @Test
    void widthScalesEveryLayerWithMakeDivisibleAndKeepsHeadWhenAsked() {
        NetworkSpec half = Scaling.width(base(), 0.5, Scaling.Head.KEEP_AT_LEAST_BASE, true);
        assertThat(((ConvBlock) half.stem().get(0)).out()).isEqualTo(16);
        assertThat(((MBConvBlock) half.stages().get(1).blocks().get(0)).out()).isEqualTo(16);
        assertThat(((MBConvBlock) half.stages().get(2).blocks().get(2)).out()).isEqualTo(24);
        assertThat(((ConvBlock) half.head().get(0)).out()).isEqualTo(1280);
        NetworkSpec wide = Scaling.width(base(), 1.4, Scaling.Head.KEEP_AT_LEAST_BASE, true);
        assertThat(((ConvBlock) wide.head().get(0)).out()).isEqualTo(1792);
        NetworkSpec scaledHead = Scaling.width(base(), 0.5, Scaling.Head.SCALE, false);
        assertThat(((ConvBlock) scaledHead.head().get(0)).out()).isEqualTo(640);
        assertThat(((ConvBlock) scaledHead.stem().get(0)).out()).isEqualTo(32);
    }

    @Test
    void depthRepeatsTheLastBlockWithStrideOneAndResidual() {
        NetworkSpec deep = Scaling.depth(base(), 1.5, Scaling.DepthRounding.CEIL);
        assertThat(deep.stages()).extracting(StageSpec::depth).containsExactly(2, 3, 5);
        MBConvBlock added = (MBConvBlock) deep.stages().get(2).blocks().get(4);
        assertThat(added.stride()).isEqualTo(1);
        assertThat(added.skip()).isEqualTo(Skip.IDENTITY);
        NetworkSpec shallow = Scaling.depth(base(), 0.5, Scaling.DepthRounding.ROUND);
        assertThat(shallow.stages()).extracting(StageSpec::depth).containsExactly(1, 1, 2);
        assertThat(shallow.stages().get(2).blocks().get(0).stride()).isEqualTo(2);
    }

    @Test
    void resolutionFloorsAndRejectsNonsense() {
        assertThat(Scaling.resolution(base(), 0.475).resolution()).isEqualTo(30);
        assertThatThrownBy(() -> Scaling.width(base(), 0, Scaling.Head.SCALE, true))
                .hasMessage("width multiplier 0.0: expected a finite number in (0, 64]");
        assertThatThrownBy(() -> Scaling.depth(base(), Double.NaN, Scaling.DepthRounding.CEIL))
                .hasMessageContaining("depth multiplier NaN");
    }
}
