package org.mobilenas.core.spec;

import org.mobilenas.core.graph.Graph;
import org.mobilenas.core.graph.Op;

/** Lowering of the {@link Skip} shortcuts shared by the residual blocks. */
final class Shortcuts {
    private Shortcuts() {}

    /**
     * Adds the shortcut from {@code input} to {@code output} of a block at {@code path}; returns the block's
     * output node ({@code output} itself for {@link Skip#NONE}).
     */
    static int apply(Graph.Builder b, String path, Skip skip, int input, int output, int stride) {
        int in = b.shape(input).channels();
        int out = b.shape(output).channels();
        switch (skip) {
            case NONE:
                return output;
            case IDENTITY:
                if (in != out) {
                    throw new SpecException(
                            path, "skip IDENTITY needs input channels == out, got " + in + " -> " + out);
                }
                return b.add(path + ".add", new Op.Add(), output, input);
            case POOL:
                int s = input;
                if (stride != 1) {
                    s = b.add(path + ".skip.pool", new Op.Pool(Op.PoolType.AVG, 3, stride, 1), s);
                }
                if (in != out) {
                    s = BlockSpec.convBnAct(b, path + ".skip.proj", s, out, 1, 1, 1, true, false, Activation.NONE);
                }
                return b.add(path + ".add", new Op.Add(), output, s);
            default:
                throw new SpecException(path, "unknown skip " + skip + "; expected one of NONE, IDENTITY, POOL");
        }
    }
}
