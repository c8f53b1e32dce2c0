package org.mobilenas.latency.table;

/**
 * How a lookup-table model treats a key that is not in its table.
 *
 * <p>{@link #CHANNELS}: from the table's entries that differ from the key only in channel counts (same kind,
 * batch, input height and width, kernel, stride, groups, activations, shortcut and flags). When they hold every
 * corner of the box of nearest counts around the key (input, output, expanded and squeeze width, each from the
 * nearest entry below and above), as NetAdapt's layer-wise grids do, the key's latency is the multilinear
 * interpolation between those corners. Otherwise the entries are ordered by their
 * <em>work</em>, the block's multiply-accumulates plus its memory access in elements (inputs read, outputs
 * written, weights read; see {@link org.mobilenas.core.cost.Costs}). The key's latency is interpolated linearly in
 * work between the nearest entry below and the nearest above; outside the range of the entries it is the nearest
 * entry's latency scaled by the ratio of works. Without any such entry the lookup fails as with {@link #NONE}.
 */
public enum Interpolation {
    /** A missing key is an error naming the key and its layer. */
    NONE,
    /** A missing key is interpolated over channels from entries of the same signature. */
    CHANNELS
}
