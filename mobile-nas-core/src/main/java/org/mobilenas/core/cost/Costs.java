package org.mobilenas.core.cost;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mobilenas.core.graph.Graph;
import org.mobilenas.core.graph.Node;
import org.mobilenas.core.graph.Op;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.spec.Shape;

/**
 * Exact costs of a network at batch 1: MACs and parameters (torchvision's conventions), memory access cost
 * (ShuffleNet V2's definition, generalised: every input read, output written and weight read once) and peak
 * activation memory (the largest set of tensors alive at once when the graph runs in order).
 *
 * <pre>{@code
 * Costs c = Costs.of(spec);
 * System.out.println(c.table());
 * }</pre>
 */
public record Costs(
        String network,
        long macs,
        long params,
        long memoryAccess,
        long peakActivationElements,
        List<LayerCost> layers) {
    /** Bytes per element (float32). */
    public static final int BYTES_PER_ELEMENT = 4;

    /** Checks the components (a bad one is an error naming it). */
    public Costs {
        layers = List.copyOf(layers);
    }

    /** The memory access of all layers at batch 1, in bytes (float32). */
    @JsonProperty("memoryAccessBytes")
    public long memoryAccessBytes() {
        return memoryAccess * BYTES_PER_ELEMENT;
    }

    /** The largest sum of live activations at any point of a forward pass at batch 1, in bytes (float32). */
    @JsonProperty("peakActivationBytes")
    public long peakActivationBytes() {
        return peakActivationElements * BYTES_PER_ELEMENT;
    }

    /** Costs of a network specification. */
    public static Costs of(NetworkSpec spec) {
        return of(spec.name(), spec.graph());
    }

    /** Costs of a lowered graph. */
    public static Costs of(String name, Graph g) {
        List<LayerCost> rows = new ArrayList<>();
        long macs = 0;
        long params = 0;
        long mem = 0;
        for (Node n : g.nodes()) {
            if (n.op() instanceof Op.Input) {
                continue;
            }
            long m = macs(n);
            long p = params(n);
            long readWrite = n.output().elements();
            for (Shape s : n.inputShapes()) {
                readWrite += s.elements();
            }
            long weights = weightElements(n);
            rows.add(new LayerCost(
                    n.name(),
                    label(n),
                    inputText(n),
                    n.output().toString(),
                    m,
                    p,
                    readWrite + weights,
                    n.output().elements()));
            macs = add(name, "MACs", macs, m);
            params = add(name, "params", params, p);
            mem = add(name, "memory access", mem, readWrite + weights);
        }
        return new Costs(name, macs, params, mem, peakActivation(g), rows);
    }

    private static long add(String network, String what, long a, long b) {
        long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) {
            throw new IllegalArgumentException("network '" + network + "': " + what + " exceed " + Long.MAX_VALUE
                    + "; expected a network whose costs fit in a long");
        }
        return r;
    }

    static long macs(Node n) {
        if (n.op() instanceof Op.Conv c) {
            Shape in = n.input();
            Shape out = n.output();
            return (long) out.height() * out.width() * c.out() * (in.channels() / c.groups()) * c.kernel() * c.kernel();
        }
        if (n.op() instanceof Op.Linear l) {
            return n.input().elements() * l.out();
        }
        return 0;
    }

    static long params(Node n) {
        if (n.op() instanceof Op.Conv c) {
            return weightElements(n) + (c.bias() ? c.out() : 0);
        }
        if (n.op() instanceof Op.Linear l) {
            return n.input().elements() * l.out() + (l.bias() ? l.out() : 0);
        }
        if (n.op() instanceof Op.BatchNorm) {
            return 2L * n.output().channels();
        }
        return 0;
    }

    static long weightElements(Node n) {
        if (n.op() instanceof Op.Conv c) {
            return (long) c.out() * (n.input().channels() / c.groups()) * c.kernel() * c.kernel();
        }
        if (n.op() instanceof Op.Linear l) {
            return n.input().elements() * l.out();
        }
        if (n.op() instanceof Op.BatchNorm) {
            return 2L * n.output().channels();
        }
        return 0;
    }

    /** Peak of the summed sizes of tensors alive at once, executing nodes in order at batch 1. */
    static long peakActivation(Graph g) {
        int n = g.size();
        int[] lastUse = new int[n];
        for (int i = 0; i < n; i++) {
            lastUse[i] = i;
            for (int c : g.consumers(i)) {
                lastUse[i] = Math.max(lastUse[i], c);
            }
        }
        lastUse[n - 1] = n - 1;
        long peak = 0;
        for (int step = 0; step < n; step++) {
            long live = 0;
            for (int t = 0; t <= step; t++) {
                if (lastUse[t] >= step) {
                    live += g.node(t).output().elements();
                }
            }
            peak = Math.max(peak, live);
        }
        return peak;
    }

    static String label(Node n) {
        Op op = n.op();
        if (op instanceof Op.Conv c) {
            String kind = c.depthwise(n.input().channels()) ? "dwconv" : "conv";
            String g = c.groups() > 1 && !c.depthwise(n.input().channels()) ? "/g" + c.groups() : "";
            return kind + c.kernel() + "x" + c.kernel() + "/s" + c.stride() + g;
        }
        if (op instanceof Op.Act a) {
            return a.activation().name().toLowerCase(Locale.ROOT);
        }
        if (op instanceof Op.Pool p) {
            return p.type().name().toLowerCase(Locale.ROOT) + "pool" + p.kernel() + "x" + p.kernel() + "/s"
                    + p.stride();
        }
        if (op instanceof Op.GlobalPool p) {
            return "global_" + p.type().name().toLowerCase(Locale.ROOT) + "pool";
        }
        if (op instanceof Op.Shuffle s) {
            return "shuffle/g" + s.groups();
        }
        if (op instanceof Op.Slice s) {
            return "slice[" + s.from() + ":" + s.to() + "]";
        }
        if (op instanceof Op.Linear) {
            return "linear";
        }
        return op.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }

    static String inputText(Node n) {
        StringBuilder sb = new StringBuilder();
        for (Shape s : n.inputShapes()) {
            if (sb.length() > 0) {
                sb.append('+');
            }
            sb.append(s);
        }
        return sb.toString();
    }

    /** A fixed-width text table, one row per operation that has MACs or parameters, plus totals. */
    public String table() {
        return table(false);
    }

    /** As {@link #table()}; {@code all} includes parameter-free operations too. */
    public String table(boolean all) {
        StringBuilder sb = new StringBuilder();
        String fmt = "%-44s %-16s %-14s %-14s %14s %12s %14s%n";
        sb.append(String.format(Locale.ROOT, fmt, "layer", "op", "input", "output", "MACs", "params", "MAC(elem)"));
        for (LayerCost l : layers) {
            if (all || l.macs() > 0 || l.params() > 0) {
                sb.append(String.format(
                        Locale.ROOT,
                        fmt,
                        l.name(),
                        l.op(),
                        l.input(),
                        l.output(),
                        String.format(Locale.ROOT, "%,d", l.macs()),
                        String.format(Locale.ROOT, "%,d", l.params()),
                        String.format(Locale.ROOT, "%,d", l.memoryAccess())));
            }
        }
        sb.append(String.format(
                Locale.ROOT,
                "total: %,d MACs (%.1f M), %,d params, memory access %,d elements (%.1f MB),"
                        + " peak activations %,d elements (%.2f MB)%n",
                macs,
                macs / 1e6,
                params,
                memoryAccess,
                memoryAccessBytes() / 1e6,
                peakActivationElements,
                peakActivationBytes() / 1e6));
        return sb.toString();
    }

    /** One line: name, MACs (M), params (M). */
    public String summary() {
        return String.format(Locale.ROOT, "%-28s %9.1f M MACs %8.3f M params", network, macs / 1e6, params / 1e6);
    }
}
