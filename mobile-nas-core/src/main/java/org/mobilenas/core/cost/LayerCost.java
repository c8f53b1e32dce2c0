package org.mobilenas.core.cost;

/**
 * Cost of one primitive operation at batch 1.
 *
 * @param name      node name, e.g. {@code stages[1].blocks[0].dw.conv}
 * @param op        short operation label, e.g. {@code conv3x3/s2/g96}
 * @param input     input shape as text (HxWxC; several inputs joined by '+')
 * @param output    output shape as text
 * @param macs      multiply-accumulates
 * @param params    trainable parameters (weights, biases, BN gamma and beta)
 * @param memoryAccess memory access cost in elements: inputs read + outputs written + weights read
 * @param activationElements elements of the output tensor
 */
public record LayerCost(
        String name,
        String op,
        String input,
        String output,
        long macs,
        long params,
        long memoryAccess,
        long activationElements) {}
