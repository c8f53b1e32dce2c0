package org.mobilenas.core.spec;

import java.util.function.IntUnaryOperator;
import org.mobilenas.core.graph.Graph;
import org.mobilenas.core.graph.Op;

/** Windowed max or average pooling (e.g. ShuffleNet's 3x3 stride-2 max pool after the stem). */
public record PoolBlock(Op.PoolType pool, int kernel, int stride, int padding) implements BlockSpec {
    /** Checks the components (a bad one is an error naming it). */
    public PoolBlock {
        Checks.notNull("pool.pool", pool);
        Checks.oneOf("pool.kernel", kernel, 2, 3, 5, 7);
        Checks.oneOf("pool.stride", stride, Checks.STRIDES);
        if (padding < 0 || padding > kernel / 2) {
            throw new SpecException("pool.padding " + padding + " not in [0, " + kernel / 2 + "]");
        }
    }

    @Override
    public int lower(Graph.Builder b, String path, int input) {
        return b.add(path + ".pool", new Op.Pool(pool, kernel, stride, padding), input);
    }

    @Override
    public int outChannels(int inChannels) {
        return inChannels;
    }

    @Override
    public BlockSpec asRepeat() {
        return new PoolBlock(pool, kernel, 1, padding);
    }

    @Override
    public BlockSpec mapChannels(IntUnaryOperator channels) {
        return this;
    }

    @Override
    public <R> R accept(BlockSpec.Visitor<R> visitor) {
        return visitor.pool(this);
    }

    @Override
    public String kind() {
        return "pool";
    }
}
