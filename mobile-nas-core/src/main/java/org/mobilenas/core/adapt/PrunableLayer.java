package org.mobilenas.core.adapt;

import java.util.List;

/**
 * A width of a network that filter pruning can reduce: one or more producer convolutions whose output channels
 * must be removed together (a conv and the layers tied to it by a residual add, or the units of a ShuffleNet V2
 * stage), with the spec fields that hold the width.
 *
 * @param name      stable name, the first producer's node name without {@code .conv}, e.g.
 *                  {@code stages[1].blocks[0].expand}
 * @param kind      {@code conv}, {@code separable}, {@code expand}, {@code project} or {@code shuffle_v2_stage}
 * @param channels  current width
 * @param blocks    paths of the blocks whose width field changes, e.g. {@code stages[1].blocks[0]}
 * @param producers graph nodes whose filters are removed, e.g. {@code stages[1].blocks[0].expand.conv}
 */
public record PrunableLayer(String name, String kind, int channels, List<String> blocks, List<String> producers) {
    /** Checks the components (a bad one is an error naming it). */
    public PrunableLayer {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("prunableLayer.name must be a non-empty string, got " + name);
        }
        if (kind == null) {
            throw new IllegalArgumentException("prunableLayer.kind is missing for " + name);
        }
        if (channels < 1) {
            throw new IllegalArgumentException("prunableLayer.channels " + channels + " of " + name + " must be >= 1");
        }
        if (blocks == null || blocks.isEmpty() || producers == null || producers.isEmpty()) {
            throw new IllegalArgumentException("prunableLayer " + name + ": blocks and producers must be non-empty");
        }
        blocks = List.copyOf(blocks);
        producers = List.copyOf(producers);
    }
}
