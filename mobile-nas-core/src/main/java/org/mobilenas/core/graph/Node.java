package org.mobilenas.core.graph;

import java.util.List;
import org.mobilenas.core.spec.Shape;

/**
 * One operation of a lowered network.
 *
 * @param id     position in topological order
 * @param name   stable, human-readable name, e.g. {@code stages[1].blocks[0].expand.conv}
 * @param op     the operation
 * @param inputs ids of the producing nodes
 * @param inputShapes shapes of the inputs, in order
 * @param output output shape at batch 1
 */
public record Node(int id, String name, Op op, List<Integer> inputs, List<Shape> inputShapes, Shape output) {
    /** Checks the components (a bad one is an error naming it). */
    public Node {
        inputs = List.copyOf(inputs);
        inputShapes = List.copyOf(inputShapes);
    }

    /** Shape of the first input (or the output for an input node). */
    public Shape input() {
        return inputShapes.isEmpty() ? output : inputShapes.get(0);
    }
}
