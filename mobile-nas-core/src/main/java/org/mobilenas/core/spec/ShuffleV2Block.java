package org.mobilenas.core.spec;

import java.util.function.IntUnaryOperator;
import org.mobilenas.core.graph.Graph;
import org.mobilenas.core.graph.Op;

/**
 * ShuffleNet v2 unit (torchvision layout). Stride 1: split channels in halves, keep the first, run the second
 * through 1x1 + BN + ReLU → k x k depthwise + BN → 1x1 + BN + ReLU, concatenate, shuffle with 2 groups.
 * Stride 2: both branches read the whole input (left: depthwise stride 2 + BN → 1x1 + BN + ReLU), each
 * producing {@code out / 2} channels, then concatenate and shuffle.
 */
public record ShuffleV2Block(int out, int stride, int kernel) implements BlockSpec {
    /** Checks the components (a bad one is an error naming it). */
    public ShuffleV2Block {
        Checks.channels("shuffle_v2.out", out);
        Checks.oneOf("shuffle_v2.stride", stride, Checks.STRIDES);
        Checks.oneOf("shuffle_v2.kernel", kernel, 3, 5, 7);
        if (out % 2 != 0) {
            throw new SpecException("shuffle_v2.out " + out + " must be even");
        }
    }

    @Override
    public int lower(Graph.Builder b, String path, int input) {
        int in = b.shape(input).channels();
        int half = out / 2;
        int left;
        int right;
        if (stride == 1) {
            if (in != out) {
                throw new SpecException(path, "stride-1 unit needs input channels == out, got " + in + " -> " + out);
            }
            left = b.add(path + ".split_left", new Op.Slice(0, half), input);
            right = b.add(path + ".split_right", new Op.Slice(half, in), input);
        } else {
            int l = BlockSpec.convBnAct(b, path + ".left.dw", input, in, kernel, 2, in, true, false, Activation.NONE);
            left = BlockSpec.convBnAct(b, path + ".left.pw", l, half, 1, 1, 1, true, false, Activation.RELU);
            right = input;
        }
        int r = BlockSpec.convBnAct(b, path + ".right.pw1", right, half, 1, 1, 1, true, false, Activation.RELU);
        r = BlockSpec.convBnAct(b, path + ".right.dw", r, half, kernel, stride, half, true, false, Activation.NONE);
        r = BlockSpec.convBnAct(b, path + ".right.pw2", r, half, 1, 1, 1, true, false, Activation.RELU);
        int c = b.add(path + ".concat", new Op.Concat(), left, r);
        return b.add(path + ".shuffle", new Op.Shuffle(2), c);
    }

    @Override
    public int outChannels(int inChannels) {
        return out;
    }

    @Override
    public BlockSpec asRepeat() {
        return new ShuffleV2Block(out, 1, kernel);
    }

    @Override
    public BlockSpec mapChannels(IntUnaryOperator channels) {
        int c = channels.applyAsInt(out);
        return new ShuffleV2Block(c % 2 == 0 ? c : c + 1, stride, kernel);
    }

    @Override
    public <R> R accept(BlockSpec.Visitor<R> visitor) {
        return visitor.shuffleV2(this);
    }

    @Override
    public String kind() {
        return "shuffle_v2";
    }
}
