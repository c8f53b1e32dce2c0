package org.mobilenas.latency.table;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.mobilenas.core.adapt.NetworkSurgery;
import org.mobilenas.core.adapt.PrunableLayer;
import org.mobilenas.core.spec.NetworkSpec;

/**
 * The filter-pruned variants of one network, as NetAdapt produces them: every prunable width
 * ({@link NetworkSurgery#layers}) reduced to a multiple of the granularity. NetAdapt's layer-wise lookup tables are
 * the keys of these variants on a grid of widths per layer ({@link #grid}): each block's key depends only on its
 * own widths and its input width, so sampling grid variants measures each layer over a grid of input and output
 * channel counts, and a {@link TableLatencyModel} with {@link Interpolation#CHANNELS} predicts any other pruned
 * variant from them.
 *
 * <pre>{@code
 * PrunedVariants variants = PrunedVariants.of(trained.spec(), 8).levels(4);
 * LatencyTable table = LatencyTableBuilder.with(measurer)
 *     .specs(List.of(variants.original()))
 *     .sampled(variants::grid, 600, 42)
 *     .build();
 * LatencyModel layerwise = TableLatencyModel.builder(table).interpolation(Interpolation.CHANNELS).build();
 * }</pre>
 */
public final class PrunedVariants {
    private final NetworkSpec original;
    private final List<PrunableLayer> layers;
    private final int granularity;
    private final int levels;

    private PrunedVariants(NetworkSpec original, List<PrunableLayer> layers, int granularity, int levels) {
        this.original = original;
        this.layers = layers;
        this.granularity = granularity;
        this.levels = levels;
    }

    /** The pruned variants of {@code spec} with widths in multiples of {@code granularity}; 4 grid levels. */
    public static PrunedVariants of(NetworkSpec spec, int granularity) {
        Objects.requireNonNull(spec, "spec");
        if (granularity < 1) {
            throw new IllegalArgumentException("granularity " + granularity + " must be >= 1");
        }
        NetworkSpec normalized = NetworkSurgery.normalize(spec);
        List<PrunableLayer> layers = NetworkSurgery.layers(normalized);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("network " + spec.name() + " has no prunable layer");
        }
        return new PrunedVariants(normalized, layers, granularity, 4);
    }

    /** Grid widths per layer (default 4): the layer's width and evenly spaced multiples of the granularity below. */
    public PrunedVariants levels(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("levels " + n + " must be >= 1");
        }
        return new PrunedVariants(original, layers, granularity, n);
    }

    /** The unpruned network (MBConv hidden widths written out, see {@link NetworkSurgery#normalize}). */
    public NetworkSpec original() {
        return original;
    }

    /** The prunable layers of the original network. */
    public List<PrunableLayer> layers() {
        return layers;
    }

    /** The grid widths of {@code layer}: from its width down to its smallest multiple of the granularity. */
    public int[] gridWidths(PrunableLayer layer) {
        int full = layer.channels();
        int steps = full / granularity;
        if (steps <= 1) {
            return new int[] {full};
        }
        int n = Math.min(levels, steps);
        int[] w = new int[n];
        w[0] = full;
        for (int i = 1; i < n; i++) {
            // Multiples of the granularity from the layer's width down to one granularity step, evenly spaced.
            int k = (int) Math.round(steps - (double) i * (steps - 1) / (n - 1));
            w[i] = Math.max(granularity, Math.min(full, k * granularity));
        }
        return w;
    }

    /** A variant with every layer at a random one of its {@link #gridWidths}. */
    public NetworkSpec grid(SplittableRandom rng) {
        int[] widths = new int[layers.size()];
        for (int i = 0; i < widths.length; i++) {
            int[] g = gridWidths(layers.get(i));
            widths[i] = g[rng.nextInt(g.length)];
        }
        return withWidths(widths, "grid");
    }

    /**
     * A variant as adaptation reaches it: each layer kept at full width with probability 1/2, else pruned to a
     * random multiple of the granularity below its width.
     */
    public NetworkSpec any(SplittableRandom rng) {
        int[] widths = new int[layers.size()];
        for (int i = 0; i < widths.length; i++) {
            int full = layers.get(i).channels();
            int steps = full / granularity;
            widths[i] = steps <= 1 || rng.nextBoolean() ? full : granularity * (1 + rng.nextInt(steps - 1));
        }
        return withWidths(widths, "pruned");
    }

    /**
     * A variant on an adaptation path, as NetAdapt's iterations reach it: from the original, a random number of steps
     * (1 to twice the number of prunable layers), each pruning one random layer by 1 to 4 granularity steps (never
     * below one granularity). Unlike {@link #any}, whose independent per-layer choices concentrate the variants'
     * latencies in a narrow band, the paths spread them from the original's latency down to a fraction of it, with
     * some layers cut hard and others untouched, as adaptation leaves them.
     */
    public NetworkSpec path(SplittableRandom rng) {
        int[] widths = layers.stream().mapToInt(PrunableLayer::channels).toArray();
        int steps = 1 + rng.nextInt(2 * widths.length);
        for (int t = 0; t < steps; t++) {
            int i = rng.nextInt(widths.length);
            int cut = granularity * (1 + rng.nextInt(4));
            widths[i] = Math.max(Math.min(granularity, widths[i]), widths[i] - cut);
        }
        return withWidths(widths, "path");
    }

    /** The original with layer {@code i} at {@code widths[i]} (in the order of {@link #layers}). */
    public NetworkSpec withWidths(int[] widths, String tag) {
        if (widths.length != layers.size()) {
            throw new IllegalArgumentException("widths has " + widths.length + " entries, expected one per prunable"
                    + " layer (" + layers.size() + ")");
        }
        NetworkSpec s = original;
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < widths.length; i++) {
            PrunableLayer layer = layers.get(i);
            if (widths[i] < 1 || widths[i] > layer.channels()) {
                throw new IllegalArgumentException(
                        "widths[" + i + "] " + widths[i] + " of " + layer.name() + ": expected 1.." + layer.channels());
            }
            if (widths[i] != layer.channels()) {
                // Layers are edited through their block paths, which other layers' edits leave in place.
                s = NetworkSurgery.withWidth(s, layer, widths[i]);
            }
            parts.add(Integer.toString(widths[i]));
        }
        return s.withName(original.name() + "-" + tag + "-" + String.join(".", parts));
    }
}
