package org.mobilenas.core.spec;

import java.util.function.IntUnaryOperator;
import org.mobilenas.core.graph.Graph;
import org.mobilenas.core.graph.Op;

/**
 * Inverted residual with linear bottleneck (MobileNetV2/V3, MnasNet, EfficientNet):
 * [1x1 expand + BN + act] → k x k depthwise + BN + act → [squeeze-excite] → 1x1 project + BN → [+ input].
 *
 * <p>The expanded width is {@code expandedChannels} when it is &gt; 0, otherwise
 * {@code round(in * expandRatio)}. The expansion conv is omitted when the expanded width equals the input
 * width (expand ratio 1). The shortcut is one of {@link Skip}'s kinds ({@code POOL} works at any stride).
 *
 * <pre>{@code
 * var block = MBConvBlock.of(24, 3, 2, 6, Activation.RELU6);   // MobileNetV2 (t=6, c=24, s=2)
 * }</pre>
 */
public record MBConvBlock(
        int out,
        int kernel,
        int stride,
        double expandRatio,
        int expandedChannels,
        SqueezeExcite se,
        Activation activation,
        Skip skip)
        implements BlockSpec {
    /** The largest expansion ratio. */
    public static final double MAX_EXPAND_RATIO = 64;

    /** Checks the components (a bad one is an error naming it). */
    public MBConvBlock {
        Checks.channels("mbconv.out", out);
        Checks.oneOf("mbconv.kernel", kernel, Checks.KERNELS);
        Checks.oneOf("mbconv.stride", stride, Checks.STRIDES);
        if (expandedChannels == 0) {
            Checks.finiteAtLeast("mbconv.expandRatio", expandRatio, 1.0);
            if (expandRatio > MAX_EXPAND_RATIO) {
                throw new SpecException("mbconv.expandRatio " + expandRatio + ": expected 1.." + MAX_EXPAND_RATIO);
            }
        }
        Checks.atLeast("mbconv.expandedChannels", expandedChannels, 0);
        if (expandedChannels > Shape.MAX_CHANNELS) {
            throw new SpecException(
                    "mbconv.expandedChannels " + expandedChannels + ": expected 0.." + Shape.MAX_CHANNELS);
        }
        Checks.notNull("mbconv.activation", activation);
        Checks.notNull("mbconv.skip", skip);
        if (skip == Skip.IDENTITY && stride != 1) {
            throw new SpecException("mbconv.skip IDENTITY needs stride 1, got stride " + stride);
        }
    }

    /** No SE, identity skip when stride is 1 (the caller must make sure in == out then). */
    public static MBConvBlock of(int out, int kernel, int stride, double expandRatio, Activation act) {
        return new MBConvBlock(out, kernel, stride, expandRatio, 0, null, act, Skip.NONE);
    }

    /** This block with skip {@code s}. */
    public MBConvBlock withSkip(Skip s) {
        return new MBConvBlock(out, kernel, stride, expandRatio, expandedChannels, se, activation, s);
    }

    /** This block with squeeze-and-excitation {@code s}. */
    public MBConvBlock withSe(SqueezeExcite s) {
        return new MBConvBlock(out, kernel, stride, expandRatio, expandedChannels, s, activation, skip);
    }

    /** This block with stride {@code s}. */
    public MBConvBlock withStride(int s) {
        return new MBConvBlock(out, kernel, s, expandRatio, expandedChannels, se, activation, skip);
    }

    /** Expanded (hidden) width for the given input width. */
    public int expanded(int in) {
        return expandedChannels > 0 ? expandedChannels : (int) Math.round(in * expandRatio);
    }

    @Override
    public int lower(Graph.Builder b, String path, int input) {
        int in = b.shape(input).channels();
        int hidden = expanded(in);
        if (skip == Skip.IDENTITY && in != out) {
            throw new SpecException(path, "skip IDENTITY needs input channels == out, got " + in + " -> " + out);
        }
        int x = input;
        if (hidden != in) {
            x = BlockSpec.convBnAct(b, path + ".expand", x, hidden, 1, 1, 1, true, false, activation);
        }
        x = BlockSpec.convBnAct(b, path + ".dw", x, hidden, kernel, stride, hidden, true, false, activation);
        if (se != null) {
            x = squeezeExcite(b, path + ".se", x, se.squeezeChannels(in, hidden), se);
        }
        x = BlockSpec.convBnAct(b, path + ".project", x, out, 1, 1, 1, true, false, Activation.NONE);
        return Shortcuts.apply(b, path, skip, input, x, stride);
    }

    static int squeezeExcite(Graph.Builder b, String path, int x, int squeeze, SqueezeExcite se) {
        int c = b.shape(x).channels();
        int p = b.add(path + ".pool", new Op.GlobalPool(Op.PoolType.AVG), x);
        int s = BlockSpec.convBnAct(b, path + ".reduce", p, squeeze, 1, 1, 1, false, true, se.activation());
        int g = BlockSpec.convBnAct(b, path + ".expand", s, c, 1, 1, 1, false, true, se.gate());
        return b.add(path + ".scale", new Op.Scale(), x, g);
    }

    @Override
    public int outChannels(int inChannels) {
        return out;
    }

    @Override
    public BlockSpec asRepeat() {
        return new MBConvBlock(out, kernel, 1, expandRatio, expandedChannels, se, activation, Skip.IDENTITY);
    }

    @Override
    public BlockSpec mapChannels(IntUnaryOperator channels) {
        return new MBConvBlock(
                channels.applyAsInt(out),
                kernel,
                stride,
                expandRatio,
                expandedChannels > 0 ? channels.applyAsInt(expandedChannels) : 0,
                se,
                activation,
                skip);
    }

    @Override
    public <R> R accept(BlockSpec.Visitor<R> visitor) {
        return visitor.mbConv(this);
    }

    @Override
    public String kind() {
        return "mbconv";
    }
}
