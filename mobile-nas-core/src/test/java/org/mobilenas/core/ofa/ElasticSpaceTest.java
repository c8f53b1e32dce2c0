package org.mobilenas.core.ofa;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mobilenas.core.graph.Graph;
import org.mobilenas.core.spec.NetworkSpec;

class ElasticSpaceTest {
    private final ElasticSpace space = TinySpaces.tiny();

    @Test
    void coveringConfigsContainEveryLayerOfEverySubnet() {
        List<SubnetConfig> cover = space.coveringConfigs();
        assertThat(cover).hasSize(space.resolutions().size() * space.kernels().size() * space.expands().size());
        Set<List<Object>> layers = new HashSet<>();
        cover.forEach(c -> layers.addAll(layers(space.spec(c))));
        SplittableRandom rng = new SplittableRandom(5);
        for (int i = 0; i < 200; i++) {
            NetworkSpec n = space.spec(space.sample(rng));
            assertThat(layers).as(n.name()).containsAll(layers(n));
        }
    }

    /** Every block with the shape it reads, and the head with its input shape. */
    private static List<List<Object>> layers(NetworkSpec n) {
        Graph g = n.graph();
        List<List<Object>> out = new ArrayList<>();
        for (int s = 0; s < n.stages().size(); s++) {
            for (int b = 0; b < n.stages().get(s).blocks().size(); b++) {
                String prefix = "stages[" + s + "].blocks[" + b + "].";
                var first = g.nodes().stream().filter(x -> x.name().startsWith(prefix)).findFirst().orElseThrow();
                out.add(List.of(first.inputShapes().get(0), n.stages().get(s).blocks().get(b)));
            }
        }
        out.add(List.of(g.node("head[0].conv").input(), n.head().get(0)));
        return out;
    }
}
