package org.mobilenas.core.spec;

/**
 * Shortcut of a block.
 * <ul>
 *   <li>{@code NONE}: no shortcut.</li>
 *   <li>{@code IDENTITY}: the input is added to the output (needs stride 1 and equal input/output channels).</li>
 *   <li>{@code POOL}: a pooling shortcut that works for any stride and channel change (MnasNet's "pooling"
 *   skip): the input goes through a 3×3 average pool with the block's stride and padding 1 when the stride
 *   is 2, then through a 1×1 conv + BN (no bias) when the channel counts differ, and is added to the output.
 *   With stride 1 and equal channels it is the identity shortcut.</li>
 * </ul>
 */
public enum Skip {
    /** No shortcut. */
    NONE,
    /** The input added to the output (stride 1, equal channels). */
    IDENTITY,
    /** The input through a 3×3 average pool (stride 2) and a 1×1 conv + BN (channel change) when needed, added. */
    POOL
}
