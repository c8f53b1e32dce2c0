package org.mobilenas.core.spec;

import java.util.function.IntUnaryOperator;
import org.mobilenas.core.graph.Graph;

/**
 * A plain convolution (optionally grouped), optionally followed by batch norm, then an activation.
 * With a 1x1 input and {@code batchNorm=false, bias=true} it is a fully connected layer
 * (MobileNetV3's 1280-wide head).
 */
public record ConvBlock(
        int out, int kernel, int stride, int groups, Activation activation, boolean batchNorm, boolean bias)
        implements BlockSpec {
    /** Checks the components (a bad one is an error naming it). */
    public ConvBlock {
        Checks.channels("conv.out", out);
        Checks.oneOf("conv.kernel", kernel, Checks.KERNELS);
        Checks.oneOf("conv.stride", stride, Checks.STRIDES);
        Checks.channels("conv.groups", groups);
        Checks.notNull("conv.activation", activation);
        if (out % groups != 0) {
            throw new SpecException("conv.out " + out + " not divisible by conv.groups " + groups);
        }
    }

    /** Conv + BN + activation without bias, the usual case. */
    public static ConvBlock of(int out, int kernel, int stride, Activation activation) {
        return new ConvBlock(out, kernel, stride, 1, activation, true, false);
    }

    @Override
    public int lower(Graph.Builder b, String path, int input) {
        return BlockSpec.convBnAct(b, path, input, out, kernel, stride, groups, batchNorm, bias, activation);
    }

    @Override
    public int outChannels(int inChannels) {
        return out;
    }

    @Override
    public BlockSpec asRepeat() {
        return new ConvBlock(out, kernel, 1, groups, activation, batchNorm, bias);
    }

    @Override
    public BlockSpec mapChannels(IntUnaryOperator channels) {
        return new ConvBlock(channels.applyAsInt(out), kernel, stride, groups, activation, batchNorm, bias);
    }

    @Override
    public <R> R accept(BlockSpec.Visitor<R> visitor) {
        return visitor.conv(this);
    }

    @Override
    public String kind() {
        return "conv";
    }
}
