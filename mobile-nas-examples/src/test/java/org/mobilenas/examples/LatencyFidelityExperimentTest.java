package org.mobilenas.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilenas.core.json.Json;
import org.mobilenas.latency.measure.JvmLatencyMeasurer;
import org.mobilenas.latency.table.LatencyTable;

class LatencyFidelityExperimentTest {

    @Test
    void quickPresetMeasuresEveryFamilyAndResumesItsTables(@TempDir Path dir) throws Exception {
        JvmLatencyMeasurer wall = JvmLatencyMeasurer.builder()
                .clock(JvmLatencyMeasurer.Clock.WALL)
                .samples(3)
                .retries(0)
                .build();
        LatencyFidelityExperiment.Preset quick = LatencyFidelityExperiment.Preset.quick();
        LatencyFidelityExperiment.Result r = LatencyFidelityExperiment.run(quick, dir, null, wall, "wall");
        assertThat(r.cases())
                .extracting(LatencyFidelityExperiment.CaseResult::name)
                .containsExactly(
                        "mnasnet",
                        "mobilenetv2",
                        "ofa",
                        "netadapt-mobilenetv1",
                        "netadapt-mobilenetv2",
                        "netadapt-mobilenetv1-paths",
                        "netadapt-mobilenetv2-paths");
        for (LatencyFidelityExperiment.CaseResult c : r.cases()) {
            assertThat(c.fidelity().n()).as(c.name()).isEqualTo(quick.networks());
            assertThat(c.fidelity().spearman()).as(c.name()).isBetween(-1.0, 1.0);
            assertThat(c.repeatability().n()).as(c.name()).isEqualTo(quick.networks());
            assertThat(c.repeatability().model()).isEqualTo("first-measurement-pass");
            assertThat(Files.size(dir.resolve(c.name()).resolve("fidelity.png")))
                    .isGreaterThan(1000);
            LatencyTable t = LatencyTable.read(dir.resolve(c.name()).resolve("table.json"));
            assertThat(t.size()).isEqualTo(c.tableKeys());
            if (c.name().startsWith("netadapt")) {
                assertThat(c.keysAddedForHeldOut())
                        .as("layer-wise tables interpolate")
                        .isZero();
            }
        }
        JsonNode report = Json.mapper().readTree(dir.resolve("report.json").toFile());
        assertThat(report.path("cases")).hasSize(7);
        assertThat(report.path("provenance").path("experiment").asText()).isEqualTo("latency-fidelity");
        assertThat(Files.readString(dir.resolve("results.md")))
                .contains("| mnasnet |", "Spearman", "measurement repeats");

        // A rerun continues the tables: nothing new to measure for the tables themselves.
        LatencyFidelityExperiment.Result again = LatencyFidelityExperiment.run(quick, dir, null, wall, "wall");
        for (int i = 0; i < again.cases().size(); i++) {
            assertThat(again.cases().get(i).tableKeys())
                    .isEqualTo(r.cases().get(i).tableKeys());
            assertThat(again.cases().get(i).keysAddedForHeldOut()).isZero();
        }
    }
}
