package org.mobilenas.core.latency;

/**
 * Predicted latency of one fused layer (e.g. conv + BN + activation).
 *
 * @param layer name of the layer's first graph node, e.g. {@code stages[1].blocks[0].dw.conv}
 * @param key   the key the model used (lookup-table key, or a kind label for analytic models)
 * @param ms    milliseconds
 */
public record LayerLatency(String layer, String key, double ms) {}
