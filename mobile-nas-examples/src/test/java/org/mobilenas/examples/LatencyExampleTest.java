package org.mobilenas.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilenas.core.json.Json;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.latency.table.LatencyTable;

class LatencyExampleTest {
    @Test
    void tinyRunBuildsATableAndReportsThreeModels(@TempDir Path dir) throws Exception {
        LatencyExample.Options o = LatencyExample.Options.defaults()
                .withResolution(32)
                .withNetworks(3)
                .withTableSamples(1)
                .withSamples(2)
                .withProgress(false)
                .withOutput(dir);
        LatencyExample.Result r = LatencyExample.run(o, null);

        assertThat(r.tableKeys()).isPositive();
        assertThat(r.report().models()).hasSize(3);
        assertThat(r.report().samples()).hasSize(3);
        assertThat(r.report().model(r.tableModel()).n()).isEqualTo(3);
        assertThat(r.keysAddedForEvaluation()).isPositive();
        assertThat(r.report().samples())
                .allSatisfy(s -> assertThat(s.measuredMs()).isPositive());
        assertThat(r.analytic().terms()).hasSize(18);
        assertThat(r.flops().terms()).hasSize(1);
        assertThat(LatencyTable.read(dir.resolve("table.json")).size()).isEqualTo(r.tableKeys());
        JsonNode json = Json.mapper().readTree(Files.readString(dir.resolve("fidelity.json")));
        assertThat(json.get("models")).hasSize(3);
        assertThat(Files.size(dir.resolve("fidelity.png"))).isPositive();
        assertThat(Files.exists(dir.resolve("analytic.json"))).isTrue();
    }

    @Test
    void theSpaceDecodesValidMobileNetV2StyleNetworks() {
        var space = LatencyExample.space(224, 1000);
        assertThat(space.decisions().get(0).options()).containsExactly("0.75", "1.0", "1.25");
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < 20; i++) {
            NetworkSpec s = space.decode(space.sample(rng));
            assertThat(s.stages()).hasSize(7);
            assertThat(s.stages().get(1).depth()).isBetween(1, 3);
            assertThat(s.graph().node(s.graph().size() - 1).output().channels()).isEqualTo(1000);
        }
    }

    @Test
    void badOptionsAreExplained() {
        assertThatThrownBy(() -> LatencyExample.Options.parse("--networks", "x"))
                .hasMessage("--networks: 'x' is not a number");
        assertThatThrownBy(() -> LatencyExample.Options.parse("--resolution", "8"))
                .hasMessage("resolution 8 must be in [32, 512]");
        assertThatThrownBy(() -> LatencyExample.Options.parse("--bogus", "1"))
                .hasMessageContaining("unknown option --bogus");
        assertThat(LatencyExample.Options.parse("--networks", "50", "--quiet").networks())
                .isEqualTo(50);
    }
}
