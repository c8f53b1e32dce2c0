package org.mobilenas.core.engine;

/**
 * Wall-clock time spent in one graph node, accumulated while profiling is on.
 *
 * <pre>{@code
 * net.profiling(true);
 * net.forward(x, Model.Mode.TRAIN);
 * net.backward(g);
 * net.timings().forEach(t -> System.out.println(t.node() + " " + t.forwardNanos()));
 * }</pre>
 *
 * @param node          node name, e.g. {@code stages[1].blocks[0].dw.conv}
 * @param op            operation kind, e.g. {@code Conv}
 * @param forwardNanos  total forward time
 * @param backwardNanos total backward time
 * @param calls         number of forward passes recorded
 */
public record NodeTiming(String node, String op, long forwardNanos, long backwardNanos, long calls) {
    /** Checks the components (a bad one is an error naming it). */
    public NodeTiming {
        if (node == null || op == null) {
            throw new IllegalArgumentException("node timing: node and op are required, got " + node + ", " + op);
        }
        if (forwardNanos < 0 || backwardNanos < 0 || calls < 0) {
            throw new IllegalArgumentException("node timing " + node + ": times and calls must be >= 0, got "
                    + forwardNanos + ", " + backwardNanos + ", " + calls);
        }
    }
}
