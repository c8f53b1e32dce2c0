package org.mobilenas.core.spec;

import java.util.function.IntUnaryOperator;
import org.mobilenas.core.graph.Graph;
import org.mobilenas.core.graph.Op;

/**
 * ShuffleNet v1 unit: 1x1 group conv + BN + ReLU → channel shuffle → k x k depthwise (stride) + BN →
 * 1x1 group conv + BN; stride 1 adds the input then ReLU, stride 2 concatenates a 3x3 average-pooled
 * shortcut with the ReLU'd branch (so the branch produces {@code out - in} channels).
 *
 * @param midChannels bottleneck width; 0 means {@code out / 4}
 * @param groupedFirst whether the first 1x1 conv is grouped (ShuffleNet leaves the very first one ungrouped)
 */
public record ShuffleV1Block(int out, int stride, int groups, boolean groupedFirst, int midChannels, int kernel)
        implements BlockSpec {
    /** Checks the components (a bad one is an error naming it). */
    public ShuffleV1Block {
        Checks.channels("shuffle_v1.out", out);
        Checks.oneOf("shuffle_v1.stride", stride, Checks.STRIDES);
        Checks.channels("shuffle_v1.groups", groups);
        Checks.atLeast("shuffle_v1.midChannels", midChannels, 0);
        Checks.oneOf("shuffle_v1.kernel", kernel, 3, 5, 7);
    }

    /** Channels of the bottleneck: {@code midChannels} when set, else a quarter of the output channels (the paper's). */
    public int mid() {
        return midChannels > 0 ? midChannels : out / 4;
    }

    @Override
    public int lower(Graph.Builder b, String path, int input) {
        int in = b.shape(input).channels();
        int branchOut = stride == 2 ? out - in : out;
        if (stride == 1 && in != out) {
            throw new SpecException(path, "stride-1 unit needs input channels == out, got " + in + " -> " + out);
        }
        if (branchOut <= 0) {
            throw new SpecException(path, "stride-2 unit needs out > input channels, got " + in + " -> " + out);
        }
        int m = mid();
        int x = BlockSpec.convBnAct(
                b, path + ".pw1", input, m, 1, 1, groupedFirst ? groups : 1, true, false, Activation.RELU);
        if (groups > 1) {
            x = b.add(path + ".shuffle", new Op.Shuffle(groups), x);
        }
        x = BlockSpec.convBnAct(b, path + ".dw", x, m, kernel, stride, m, true, false, Activation.NONE);
        x = BlockSpec.convBnAct(b, path + ".pw2", x, branchOut, 1, 1, groups, true, false, Activation.NONE);
        if (stride == 1) {
            x = b.add(path + ".add", new Op.Add(), x, input);
            return b.add(path + ".act", new Op.Act(Activation.RELU), x);
        }
        int r = b.add(path + ".act", new Op.Act(Activation.RELU), x);
        int p = b.add(path + ".shortcut", new Op.Pool(Op.PoolType.AVG, 3, 2, 1), input);
        return b.add(path + ".concat", new Op.Concat(), p, r);
    }

    @Override
    public int outChannels(int inChannels) {
        return out;
    }

    @Override
    public BlockSpec asRepeat() {
        return new ShuffleV1Block(out, 1, groups, true, midChannels, kernel);
    }

    @Override
    public BlockSpec mapChannels(IntUnaryOperator channels) {
        return new ShuffleV1Block(
                channels.applyAsInt(out),
                stride,
                groups,
                groupedFirst,
                midChannels > 0 ? channels.applyAsInt(midChannels) : 0,
                kernel);
    }

    @Override
    public <R> R accept(BlockSpec.Visitor<R> visitor) {
        return visitor.shuffleV1(this);
    }

    @Override
    public String kind() {
        return "shuffle_v1";
    }
}
