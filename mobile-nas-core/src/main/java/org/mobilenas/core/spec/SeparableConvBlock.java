package org.mobilenas.core.spec;

import java.util.function.IntUnaryOperator;
import org.mobilenas.core.graph.Graph;

/**
 * Depthwise-separable convolution (MobileNetV1): depthwise k x k + BN + activation, then pointwise 1x1 + BN
 * + {@code pointwiseActivation} ({@code NONE} gives the linear variant MnasNet uses in its first block).
 */
public record SeparableConvBlock(int out, int kernel, int stride, Activation activation, Activation pointwiseActivation)
        implements BlockSpec {
    /** Checks the components (a bad one is an error naming it). */
    public SeparableConvBlock {
        Checks.channels("separable.out", out);
        Checks.oneOf("separable.kernel", kernel, Checks.KERNELS);
        Checks.oneOf("separable.stride", stride, Checks.STRIDES);
        Checks.notNull("separable.activation", activation);
        Checks.notNull("separable.pointwiseActivation", pointwiseActivation);
    }

    @Override
    public int lower(Graph.Builder b, String path, int input) {
        int c = b.shape(input).channels();
        int x = BlockSpec.convBnAct(b, path + ".dw", input, c, kernel, stride, c, true, false, activation);
        return BlockSpec.convBnAct(b, path + ".pw", x, out, 1, 1, 1, true, false, pointwiseActivation);
    }

    @Override
    public int outChannels(int inChannels) {
        return out;
    }

    @Override
    public BlockSpec asRepeat() {
        return new SeparableConvBlock(out, kernel, 1, activation, pointwiseActivation);
    }

    @Override
    public BlockSpec mapChannels(IntUnaryOperator channels) {
        return new SeparableConvBlock(channels.applyAsInt(out), kernel, stride, activation, pointwiseActivation);
    }

    @Override
    public <R> R accept(BlockSpec.Visitor<R> visitor) {
        return visitor.separable(this);
    }

    @Override
    public String kind() {
        return "separable";
    }
}
