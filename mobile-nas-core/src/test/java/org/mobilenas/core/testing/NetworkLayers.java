package org.mobilenas.core.testing;

import java.util.ArrayList;
import java.util.List;
import org.mobilenas.core.graph.Graph;
import org.mobilenas.core.spec.NetworkSpec;

/** The layers of a network as a latency table sees them: every stage block and the head conv with the shape it reads. */
public final class NetworkLayers {
    private NetworkLayers() {}

    /** Pairs of (input shape, block spec) for every stage block, then the head's first conv. */
    public static List<List<Object>> of(NetworkSpec n) {
        Graph g = n.graph();
        List<List<Object>> out = new ArrayList<>();
        for (int s = 0; s < n.stages().size(); s++) {
            for (int b = 0; b < n.stages().get(s).blocks().size(); b++) {
                String prefix = "stages[" + s + "].blocks[" + b + "].";
                var first = g.nodes().stream()
                        .filter(x -> x.name().startsWith(prefix))
                        .findFirst()
                        .orElseThrow();
                out.add(List.of(
                        first.inputShapes().get(0), n.stages().get(s).blocks().get(b)));
            }
        }
        out.add(List.of(g.node("head[0].conv").input(), n.head().get(0)));
        return out;
    }
}
