package org.mobilenas.benchmarks;

import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.mobilenas.core.engine.Model;
import org.mobilenas.core.engine.Network;
import org.mobilenas.core.engine.NodeTiming;
import org.mobilenas.core.engine.Tensor;
import org.mobilenas.core.graph.Node;
import org.mobilenas.core.graph.Op;
import org.mobilenas.spaces.catalog.MobileNets;

/**
 * Where the time of a MobileNetV2-0.5 training step (32x32, batch 64) goes: per-node times from
 * {@code Network.profiling(true)}, grouped by kind of node (depthwise, pointwise, full convolution, batch norm,
 * activation, ...), forward and backward, as shares of the step.
 *
 * <pre>{@code
 * java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar \
 *     org.mobilenas.benchmarks.ProfileTrainingStep 20 [unfused]
 * }</pre>
 */
public final class ProfileTrainingStep {
    private ProfileTrainingStep() {}

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        boolean fuse = args.length < 2 || !args[1].equals("unfused");
        Network net = Network.builder(MobileNets.mobileNetV2(0.5, 32, 10))
                .seed(1)
                .fuse(fuse)
                .build();
        Tensor x = new Tensor(64, 32, 32, 3);
        Random r = new Random(2);
        for (int i = 0; i < x.size(); i++) {
            x.data[i] = (float) r.nextGaussian();
        }
        Tensor g = new Tensor(64, 1, 1, 10);
        for (int i = 0; i < g.size(); i++) {
            g.data[i] = (float) (r.nextGaussian() * 0.01);
        }
        for (int i = 0; i < 10; i++) {
            net.forward(x, Model.Mode.TRAIN);
            net.backward(g);
        }
        net.profiling(true);
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            net.forward(x, Model.Mode.TRAIN);
            net.backward(g);
        }
        double stepMs = (System.nanoTime() - t0) / 1e6 / steps;
        Map<String, double[]> groups = new TreeMap<>();
        double total = 0;
        for (NodeTiming t : net.timings()) {
            Node node = net.graph().node(t.node());
            String kind = kind(node);
            double[] v = groups.computeIfAbsent(kind, k -> new double[2]);
            v[0] += t.forwardNanos() / 1e6 / t.calls();
            v[1] += t.backwardNanos() / 1e6 / t.calls();
            total += (t.forwardNanos() + t.backwardNanos()) / 1e6 / t.calls();
        }
        System.out.printf(
                Locale.ROOT,
                "%s, gemm %s, batch norm %s: step %.1f ms (profiled nodes %.1f ms), %d steps%n",
                net.spec().name(),
                net.gemm().name(),
                fuse ? "fused" : "unfused",
                stepMs,
                total,
                steps);
        System.out.printf(Locale.ROOT, "%-22s %9s %9s %7s%n", "kind", "fwd ms", "bwd ms", "share");
        for (Map.Entry<String, double[]> e : groups.entrySet()) {
            double[] v = e.getValue();
            System.out.printf(
                    Locale.ROOT, "%-22s %9.2f %9.2f %6.1f%%%n", e.getKey(), v[0], v[1], 100 * (v[0] + v[1]) / total);
        }
    }

    private static String kind(Node node) {
        Op op = node.op();
        if (op instanceof Op.Conv c) {
            if (c.depthwise(node.input().channels())) {
                return "conv depthwise k" + c.kernel();
            }
            if (c.kernel() == 1) {
                return c.groups() > 1 ? "conv grouped 1x1" : "conv pointwise 1x1";
            }
            return "conv full k" + c.kernel();
        }
        if (op instanceof Op.Act a) {
            return "act " + a.activation();
        }
        return op.getClass().getSimpleName();
    }
}
