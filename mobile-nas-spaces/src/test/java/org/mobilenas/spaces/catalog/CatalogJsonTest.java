package org.mobilenas.spaces.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mobilenas.core.cost.Costs;
import org.mobilenas.core.json.SpecJson;
import org.mobilenas.core.spec.NetworkSpec;

class CatalogJsonTest {

    static List<String> names() {
        return Catalog.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void everyMemberSurvivesAJsonRoundTrip(String name) {
        NetworkSpec spec = Catalog.get(name);
        String json = SpecJson.toJson(spec);
        NetworkSpec back = SpecJson.fromJson(json);
        assertThat(back).isEqualTo(spec);
        assertThat(SpecJson.toJson(back)).isEqualTo(json);
        assertThat(Costs.of(back).params()).isEqualTo(Costs.of(spec).params());
    }
}
