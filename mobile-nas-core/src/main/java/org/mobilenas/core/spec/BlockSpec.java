package org.mobilenas.core.spec;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.function.IntUnaryOperator;
import org.mobilenas.core.graph.Graph;

/**
 * One block of a network: a small, named sub-graph of primitive operations.
 * Blocks are immutable records validated on construction; their fit to an input shape is checked
 * when a {@link NetworkSpec} is built.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ConvBlock.class, name = "conv"),
    @JsonSubTypes.Type(value = ResidualConvBlock.class, name = "residual_conv"),
    @JsonSubTypes.Type(value = SeparableConvBlock.class, name = "separable"),
    @JsonSubTypes.Type(value = MBConvBlock.class, name = "mbconv"),
    @JsonSubTypes.Type(value = ShuffleV1Block.class, name = "shuffle_v1"),
    @JsonSubTypes.Type(value = ShuffleV2Block.class, name = "shuffle_v2"),
    @JsonSubTypes.Type(value = PoolBlock.class, name = "pool"),
    @JsonSubTypes.Type(value = GlobalPoolBlock.class, name = "global_pool")
})
public sealed interface BlockSpec
        permits ConvBlock,
                ResidualConvBlock,
                SeparableConvBlock,
                MBConvBlock,
                ShuffleV1Block,
                ShuffleV2Block,
                PoolBlock,
                GlobalPoolBlock {

    /**
     * Adds this block's operations to {@code b}, reading node {@code input}; node names start with
     * {@code path}. Returns the id of the block's output node.
     */
    int lower(Graph.Builder b, String path, int input);

    /** Output channels of the block for a given input channel count. */
    int outChannels(int inChannels);

    /** Stride of the block (1 or 2). */
    int stride();

    /** The block as it is repeated when a stage gets deeper: stride 1, residual where the kind allows it. */
    BlockSpec asRepeat();

    /** Same block with every channel count mapped through {@code channels} (ratios kept). */
    BlockSpec mapChannels(IntUnaryOperator channels);

    /** Short kind name as used in JSON ("mbconv", ...). */
    String kind();

    /** Calls the {@code visitor} method of this block's kind and returns its result. */
    <R> R accept(Visitor<R> visitor);

    /**
     * One method per block kind. Code that must treat every kind (latency keys, exporters) implements it, so that
     * adding a kind fails to compile until each of them handles it.
     *
     * @param <R> the result type
     */
    interface Visitor<R> {
        /** The result for a plain convolution. */
        R conv(ConvBlock block);

        /** The result for a residual pair of convolutions. */
        R residualConv(ResidualConvBlock block);

        /** The result for a depthwise-separable convolution. */
        R separable(SeparableConvBlock block);

        /** The result for an inverted residual (MBConv) block. */
        R mbConv(MBConvBlock block);

        /** The result for a ShuffleNet V1 unit. */
        R shuffleV1(ShuffleV1Block block);

        /** The result for a ShuffleNet V2 unit. */
        R shuffleV2(ShuffleV2Block block);

        /** The result for a pooling layer. */
        R pool(PoolBlock block);

        /** The result for global pooling. */
        R globalPool(GlobalPoolBlock block);
    }

    /** Conv + optional BN + activation, shared by the block implementations. */
    static int convBnAct(
            Graph.Builder b,
            String name,
            int input,
            int out,
            int kernel,
            int stride,
            int groups,
            boolean bn,
            boolean bias,
            Activation act) {
        int x = b.add(
                name + ".conv",
                new org.mobilenas.core.graph.Op.Conv(out, kernel, stride, kernel / 2, groups, bias),
                input);
        if (bn) {
            x = b.add(name + ".bn", new org.mobilenas.core.graph.Op.BatchNorm(), x);
        }
        if (act != Activation.NONE) {
            x = b.add(name + ".act", new org.mobilenas.core.graph.Op.Act(act), x);
        }
        return x;
    }
}
