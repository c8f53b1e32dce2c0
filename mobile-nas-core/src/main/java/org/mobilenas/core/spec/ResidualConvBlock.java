package org.mobilenas.core.spec;

import java.util.function.IntUnaryOperator;
import org.mobilenas.core.graph.Graph;

/**
 * A regular (dense) k×k convolution as a searchable layer: k×k conv (no bias) + BN + activation → optional
 * squeeze-excite over the output channels → optional shortcut ({@link Skip}). This is the "conv" operation of
 * MnasNet's search space; without SE and shortcut it lowers exactly like {@link ConvBlock#of}.
 *
 * <pre>{@code
 * var block = new ResidualConvBlock(32, 3, 1, SqueezeExcite.mnasNet(0.25), Activation.RELU, Skip.IDENTITY);
 * }</pre>
 *
 * @param se SE module, or {@code null} for none (the squeeze width uses the block's input channels for
 *           {@code Base.INPUT} and the output channels for {@code Base.EXPANDED})
 */
public record ResidualConvBlock(int out, int kernel, int stride, SqueezeExcite se, Activation activation, Skip skip)
        implements BlockSpec {
    /** Checks the components (a bad one is an error naming it). */
    public ResidualConvBlock {
        Checks.channels("residual_conv.out", out);
        Checks.oneOf("residual_conv.kernel", kernel, Checks.KERNELS);
        Checks.oneOf("residual_conv.stride", stride, Checks.STRIDES);
        Checks.notNull("residual_conv.activation", activation);
        Checks.notNull("residual_conv.skip", skip);
        if (skip == Skip.IDENTITY && stride != 1) {
            throw new SpecException("residual_conv.skip IDENTITY needs stride 1, got stride " + stride);
        }
    }

    @Override
    public int lower(Graph.Builder b, String path, int input) {
        int in = b.shape(input).channels();
        if (skip == Skip.IDENTITY && in != out) {
            throw new SpecException(path, "skip IDENTITY needs input channels == out, got " + in + " -> " + out);
        }
        int x = BlockSpec.convBnAct(b, path, input, out, kernel, stride, 1, true, false, activation);
        if (se != null) {
            x = MBConvBlock.squeezeExcite(b, path + ".se", x, se.squeezeChannels(in, out), se);
        }
        return Shortcuts.apply(b, path, skip, input, x, stride);
    }

    @Override
    public int outChannels(int inChannels) {
        return out;
    }

    @Override
    public BlockSpec asRepeat() {
        return new ResidualConvBlock(out, kernel, 1, se, activation, Skip.IDENTITY);
    }

    @Override
    public BlockSpec mapChannels(IntUnaryOperator channels) {
        return new ResidualConvBlock(channels.applyAsInt(out), kernel, stride, se, activation, skip);
    }

    @Override
    public <R> R accept(BlockSpec.Visitor<R> visitor) {
        return visitor.residualConv(this);
    }

    @Override
    public String kind() {
        return "residual_conv";
    }
}
