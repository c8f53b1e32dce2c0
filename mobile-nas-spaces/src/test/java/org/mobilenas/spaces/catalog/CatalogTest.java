package org.mobilenas.spaces.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mobilenas.core.cost.Costs;
import org.mobilenas.core.graph.Graph;
import org.mobilenas.core.graph.Node;
import org.mobilenas.core.graph.Op;
import org.mobilenas.core.spec.NetworkSpec;

class CatalogTest {

    static List<String> names() {
        return Catalog.names();
    }

    @Test
    void namesAreStableUniqueAndCoverEveryFamily() {
        List<String> names = Catalog.names();
        assertThat(new HashSet<>(names)).hasSameSizeAs(names);
        assertThat(names)
                .contains(
                        "mobilenet_v1_1.0_224",
                        "mobilenet_v1_0.25_128",
                        "mobilenet_v2_1.0",
                        "mobilenet_v3_large",
                        "mobilenet_v3_small",
                        "shufflenet_v1_g3_1.0",
                        "shufflenet_v1_g1_0.5",
                        "shufflenet_v1_g8_2.0",
                        "shufflenet_v2_1.0",
                        "mnasnet_a1",
                        "mnasnet_b1_1.0",
                        "mnasnet_b1_1.3",
                        "efficientnet_b0",
                        "efficientnet_b7",
                        "tinynet_a",
                        "tinynet_e",
                        "mobilenet_v2_1.0_small");
        assertThat(names).hasSize(16 + 5 + 2 + 20 + 4 + 1 + 4 + 8 + 5 + 4);
        assertThat(names.get(0)).isEqualTo("mobilenet_v1_1.0_224");
        assertThat(Catalog.names()).isEqualTo(names);
    }

    @Test
    void unknownNameListsTheValidNames() {
        assertThatThrownBy(() -> Catalog.get("mobilenet_v4"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown network 'mobilenet_v4'")
                .hasMessageContaining("mobilenet_v2_1.0")
                .hasMessageContaining("tinynet_e");
        assertThatThrownBy(() -> Catalog.get(null, 10, 32)).hasMessageContaining("unknown network 'null'");
        assertThat(Catalog.contains("nope")).isFalse();
        assertThat(Catalog.contains(null)).isFalse();
    }

    @Test
    void defaultsFollowTheReferences() {
        assertThat(Catalog.defaultResolution("efficientnet_b0")).isEqualTo(224);
        assertThat(Catalog.defaultResolution("efficientnet_b3")).isEqualTo(300);
        assertThat(Catalog.defaultResolution("efficientnet_b7")).isEqualTo(600);
        assertThat(Catalog.defaultResolution("tinynet_a")).isEqualTo(192);
        assertThat(Catalog.defaultResolution("tinynet_b")).isEqualTo(188);
        assertThat(Catalog.defaultResolution("tinynet_c")).isEqualTo(184);
        assertThat(Catalog.defaultResolution("tinynet_d")).isEqualTo(152);
        assertThat(Catalog.defaultResolution("tinynet_e")).isEqualTo(106);
        assertThat(Catalog.defaultResolution("mobilenet_v1_0.5_160")).isEqualTo(160);
        assertThat(Catalog.defaultResolution("mobilenet_v2_0.5_small")).isEqualTo(32);
        assertThat(Catalog.defaultNumClasses("mobilenet_v2_0.5_small")).isEqualTo(10);
        assertThat(Catalog.defaultNumClasses("mnasnet_a1")).isEqualTo(1000);
    }

    @Test
    void allReturnsEveryMemberInNameOrder() {
        List<NetworkSpec> all = Catalog.all();
        assertThat(all).hasSameSizeAs(Catalog.names());
        for (int i = 0; i < all.size(); i++) {
            assertThat(all.get(i)).isEqualTo(Catalog.get(Catalog.names().get(i)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void everyMemberValidatesAtItsDefaults(String name) {
        NetworkSpec spec = Catalog.get(name);
        assertThat(spec.resolution()).isEqualTo(Catalog.defaultResolution(name));
        assertThat(spec.numClasses()).isEqualTo(Catalog.defaultNumClasses(name));
        assertThat(spec.inputChannels()).isEqualTo(3);
        Graph g = spec.graph();
        assertThat(g.output().output().channels()).isEqualTo(spec.numClasses());
        Costs c = Costs.of(spec);
        assertThat(c.params()).isPositive();
        assertThat(c.macs()).isPositive();
        assertThat(Catalog.get(name)).isEqualTo(spec);
        assertThat(spec.name()).isEqualTo(name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void everyMemberBuildsForOtherClassesAndResolutions(String name) {
        int res = name.endsWith("_small") ? 28 : 128;
        NetworkSpec spec = Catalog.get(name, 10, res);
        assertThat(spec.numClasses()).isEqualTo(10);
        assertThat(spec.resolution()).isEqualTo(res);
        Node fc = spec.graph().node("classifier.fc");
        assertThat(fc.output().channels()).isEqualTo(10);
        // the architecture is the same: only the classifier's width changes the parameter count
        NetworkSpec reference = Catalog.get(name, 1000, res);
        long fcIn = fc.input().elements();
        boolean bias = ((Op.Linear) fc.op()).bias();
        long perClass = fcIn + (bias ? 1 : 0);
        assertThat(Costs.of(reference).params() - Costs.of(spec).params()).isEqualTo(990 * perClass);
    }

    @Test
    void smallInputVariantsEndAtFourByFourOn32Pixels() {
        for (String name : List.of(
                "mobilenet_v1_1.0_small",
                "mobilenet_v2_1.0_small",
                "mobilenet_v2_0.5_small",
                "shufflenet_v2_1.0_small")) {
            Graph g = Catalog.get(name).graph();
            Node pool = g.nodes().stream()
                    .filter(n -> n.op() instanceof Op.GlobalPool)
                    .findFirst()
                    .orElseThrow();
            assertThat(pool.input().height()).as(name).isEqualTo(4);
            assertThat(pool.input().width()).as(name).isEqualTo(4);
        }
        // 28 px (Fashion-MNIST) ends at 4x4 too, and the full-size layout would end at 1x1
        assertThat(Catalog.get("mobilenet_v2_1.0_small", 10, 28)
                        .graph()
                        .node("head[0].conv")
                        .output()
                        .height())
                .isEqualTo(4);
        assertThat(Catalog.get("mobilenet_v2_1.0", 10, 32)
                        .graph()
                        .node("head[0].conv")
                        .output()
                        .height())
                .isEqualTo(1);
    }

    @Test
    void tooSmallAnInputIsReportedWithThePlace() {
        assertThatThrownBy(() -> Catalog.get("efficientnet_b0", 1000, 0)).hasMessageContaining("resolution");
        assertThatThrownBy(() -> Catalog.get("efficientnet_b0", 1, 224)).hasMessageContaining("numClasses 1");
    }
}
