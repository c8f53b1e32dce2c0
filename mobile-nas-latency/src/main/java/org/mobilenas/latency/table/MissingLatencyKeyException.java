package org.mobilenas.latency.table;

import org.mobilenas.latency.LayerKey;

/** A latency table has no entry for a key (and interpolation was off or found nothing to interpolate from). */
public class MissingLatencyKeyException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final transient LayerKey key;
    private final String layer;

    /** No entry for {@code key}, needed by {@code layer}; {@code detail} says how to add it. */
    public MissingLatencyKeyException(LayerKey key, String layer, String detail) {
        super("no latency for key [" + key + "]" + (layer == null ? "" : " of layer " + layer) + ": " + detail);
        this.key = key;
        this.layer = layer;
    }

    /** The missing key. */
    public LayerKey key() {
        return key;
    }

    /** Path of the layer that needed the key ({@code stages[2].blocks[0]}), or null. */
    public String layer() {
        return layer;
    }
}
