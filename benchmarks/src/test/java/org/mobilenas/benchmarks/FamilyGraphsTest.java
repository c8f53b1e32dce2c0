package org.mobilenas.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.mobilenas.core.json.Json;

class FamilyGraphsTest {
    /** Every op the family graphs use is one the PyTorch peer script builds, with the fields it reads. */
    @Test
    void theGraphsUseOnlyOpsThePeerScriptBuilds() throws Exception {
        String script = Files.readString(Path.of("../scripts/peers/families.py"));
        Set<String> ops = new TreeSet<>();
        for (String name : FamilyBenchmark.networks()) {
            for (String json : new String[] {
                FamilyGraphs.toJson(FamilyBenchmark.trainingSpec(name)),
                FamilyGraphs.toJson(FamilyBenchmark.inferenceSpec(name))
            }) {
                JsonNode root = Json.mapper().readTree(json);
                assertThat(root.get("format").asText()).isEqualTo("mobile-nas/graph");
                for (JsonNode n : root.get("nodes")) {
                    ops.add(n.get("op").asText());
                    assertThat(n.get("shape")).hasSize(3);
                }
            }
        }
        assertThat(ops).contains("Conv", "BatchNorm", "Act", "Linear", "Shuffle", "Scale", "Add");
        ops.remove("Input");
        for (String op : ops) {
            assertThat(script).as("op " + op).contains("\"" + op + "\"");
        }
        assertThat(script).contains("a[\"groups\"]", "a[\"activation\"]", "a[\"from\"]", "a[\"to\"]");
    }
}
