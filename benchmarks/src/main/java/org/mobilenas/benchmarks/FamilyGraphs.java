package org.mobilenas.benchmarks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.mobilenas.core.graph.Graph;
import org.mobilenas.core.graph.Node;
import org.mobilenas.core.io.AtomicFiles;
import org.mobilenas.core.json.Json;
import org.mobilenas.core.spec.NetworkSpec;

/**
 * Writes the lowered graphs of {@link FamilyBenchmark}'s networks as JSON ({@code <network>-train.json} at 32 px,
 * {@code <network>-inference.json} at 224 px), one node per entry with its op's fields, its inputs and its output
 * shape, so that a peer framework ({@code scripts/peers/families.py}) builds and times exactly the same layers.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar org.mobilenas.benchmarks.FamilyGraphs target/family-graphs
 * }</pre>
 */
public final class FamilyGraphs {
    private FamilyGraphs() {}

    /** Writes the graphs into the directory {@code args[0]}. */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: FamilyGraphs <output directory>");
            System.exit(2);
        }
        Path dir = Files.createDirectories(Path.of(args[0]));
        for (String name : FamilyBenchmark.networks()) {
            AtomicFiles.writeString(dir.resolve(name + "-train.json"), toJson(FamilyBenchmark.trainingSpec(name)));
            AtomicFiles.writeString(dir.resolve(name + "-inference.json"), toJson(FamilyBenchmark.inferenceSpec(name)));
        }
        System.out.println("wrote " + 2 * FamilyBenchmark.networks().size() + " graphs to " + dir);
    }

    /** The lowered graph of {@code spec} as JSON. */
    public static String toJson(NetworkSpec spec) {
        Graph g = spec.graph();
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("format", "mobile-nas/graph");
        root.put("version", 1);
        root.put("network", spec.name());
        ArrayNode nodes = root.putArray("nodes");
        for (Node n : g.nodes()) {
            ObjectNode o = nodes.addObject();
            o.put("id", n.id());
            o.put("name", n.name());
            o.put("op", n.op().getClass().getSimpleName());
            o.set("attrs", Json.mapper().valueToTree(n.op()));
            ArrayNode in = o.putArray("inputs");
            n.inputs().forEach(in::add);
            ArrayNode shape = o.putArray("shape");
            shape.add(n.output().height())
                    .add(n.output().width())
                    .add(n.output().channels());
        }
        return Json.write(root);
    }
}
