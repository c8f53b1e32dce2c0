package org.mobilenas.core.spec;

import java.util.List;

/** A stage: a named sequence of blocks, usually with the stride in the first block. */
public record StageSpec(String name, List<BlockSpec> blocks) {
    /** Checks the components (a bad one is an error naming it). */
    public StageSpec {
        Checks.notNull("stage.name", name);
        Checks.notNull("stage.blocks", blocks);
        if (blocks.isEmpty()) {
            throw new SpecException("stage '" + name + "': blocks must not be empty");
        }
        for (int i = 0; i < blocks.size(); i++) {
            if (blocks.get(i) == null) {
                throw new SpecException("stage '" + name + "': blocks[" + i + "] is missing");
            }
        }
        blocks = List.copyOf(blocks);
    }

    /** A stage named {@code name} of {@code blocks} in order. */
    public static StageSpec of(String name, BlockSpec... blocks) {
        return new StageSpec(name, List.of(blocks));
    }

    /** The first block followed by {@code n - 1} repeats of it. */
    public static StageSpec repeat(String name, BlockSpec first, int n) {
        if (n < 1) {
            throw new SpecException("stage '" + name + "': repeats " + n + " must be >= 1");
        }
        java.util.ArrayList<BlockSpec> list = new java.util.ArrayList<>();
        list.add(first);
        for (int i = 1; i < n; i++) {
            list.add(first.asRepeat());
        }
        return new StageSpec(name, list);
    }

    /** Blocks in this stage. */
    public int depth() {
        return blocks.size();
    }
}
