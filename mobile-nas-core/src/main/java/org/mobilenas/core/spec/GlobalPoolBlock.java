package org.mobilenas.core.spec;

import java.util.function.IntUnaryOperator;
import org.mobilenas.core.graph.Graph;
import org.mobilenas.core.graph.Op;

/** Global average or max pooling to 1x1. */
public record GlobalPoolBlock(Op.PoolType pool) implements BlockSpec {
    /** Checks the components (a bad one is an error naming it). */
    public GlobalPoolBlock {
        Checks.notNull("global_pool.pool", pool);
    }

    /** Global average pooling. */
    public static GlobalPoolBlock avg() {
        return new GlobalPoolBlock(Op.PoolType.AVG);
    }

    @Override
    public int lower(Graph.Builder b, String path, int input) {
        return b.add(path + ".pool", new Op.GlobalPool(pool), input);
    }

    @Override
    public int outChannels(int inChannels) {
        return inChannels;
    }

    @Override
    public int stride() {
        return 1;
    }

    @Override
    public BlockSpec asRepeat() {
        return this;
    }

    @Override
    public BlockSpec mapChannels(IntUnaryOperator channels) {
        return this;
    }

    @Override
    public <R> R accept(BlockSpec.Visitor<R> visitor) {
        return visitor.globalPool(this);
    }

    @Override
    public String kind() {
        return "global_pool";
    }
}
