package org.mobilenas.core.ofa;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.testing.NetworkLayers;

class ElasticSpaceTest {
    private final ElasticSpace space = TinySpaces.tiny();

    @Test
    void coveringConfigsContainEveryLayerOfEverySubnet() {
        List<SubnetConfig> cover = space.coveringConfigs();
        assertThat(cover)
                .hasSize(space.resolutions().size()
                        * space.kernels().size()
                        * space.expands().size());
        Set<List<Object>> layers = new HashSet<>();
        cover.forEach(c -> layers.addAll(NetworkLayers.of(space.spec(c))));
        SplittableRandom rng = new SplittableRandom(5);
        for (int i = 0; i < 200; i++) {
            NetworkSpec n = space.spec(space.sample(rng));
            assertThat(layers).as(n.name()).containsAll(NetworkLayers.of(n));
        }
    }
}
