package org.mobilenas.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilenas.core.experiment.ExperimentRunner;
import org.mobilenas.core.json.Json;

class NetAdaptExperimentTest {

    @Test
    void quickPresetAdaptsEachSeedComparesWithWidthMultipliersAndResumes(@TempDir Path dir) throws Exception {
        NetAdaptExperiment.Config quick = NetAdaptExperiment.Config.quick(dir);
        NetAdaptExperiment.Result r = NetAdaptExperiment.run(quick);
        // both seeds: the starting network and at least one iteration each
        for (long seed : quick.seeds()) {
            List<NetAdaptExperiment.Point> ps =
                    r.curve().stream().filter(p -> p.seed() == seed).toList();
            assertThat(ps.size()).as("seed " + seed).isGreaterThanOrEqualTo(2);
            assertThat(ps.get(0).iteration()).isZero();
            assertThat(ps.get(ps.size() - 1).tableMs()).isLessThan(ps.get(0).tableMs());
            ps.forEach(p -> assertThat(p.heldOutTop1()).isBetween(0.0, 1.0));
        }
        assertThat(r.ranking()).isNotNull();
        assertThat(r.ranking().proposals()).isPositive();
        JsonNode report = Json.mapper().readTree(dir.resolve("report.json").toFile());
        JsonNode findings = report.path("findings");
        assertThat(findings.path("startMeasuredMs").asDouble()).isPositive();
        // every compared network meets its budget by measured latency; a budget that none meets is said so
        for (double b : quick.budgets()) {
            String adapted = NetAdaptExperiment.group("netadapt", b);
            JsonNode ms = findings.path("measuredLatencyMs").path(adapted);
            if (!ms.isMissingNode()) {
                assertThat(ms.asDouble()).isLessThanOrEqualTo(b * r.startMeasuredMs() + 1e-9);
            }
            JsonNode wms = findings.path("measuredLatencyMs").path(NetAdaptExperiment.group("width", b));
            if (!wms.isMissingNode()) {
                assertThat(wms.asDouble()).isLessThanOrEqualTo(b * r.startMeasuredMs() + 1e-9);
            }
        }
        assertThat(r.comparisons().size() + findings.path("notMet").size()).isPositive();
        r.comparisons().forEach(c -> assertThat(c.verdict()).contains("seed spread"));
        // every adapted network chosen for a budget is written as an ONNX model too
        long chosen = r.summary().stream()
                .filter(s -> s.group().startsWith("netadapt"))
                .mapToLong(s -> s.seeds() + s.failed())
                .sum();
        if (chosen == 0) {
            assertThat(dir.resolve("onnx")).doesNotExist();
        } else {
            try (var files = Files.list(dir.resolve("onnx"))) {
                assertThat(files.count()).isEqualTo(chosen);
            }
        }
        assertThat(Files.size(r.plot())).isGreaterThan(2000);
        assertThat(Files.size(r.curvePlot())).isGreaterThan(2000);
        assertThat(Files.readString(dir.resolve("results.md"))).contains("Every iteration", "NetAdapt vs width");

        // a rerun trains nothing again and gives the same curve
        long lines = Files.readAllLines(dir.resolve("pretrain").resolve(ExperimentRunner.JOURNAL))
                .size();
        NetAdaptExperiment.Result again = NetAdaptExperiment.run(quick);
        assertThat(Files.readAllLines(dir.resolve("pretrain").resolve(ExperimentRunner.JOURNAL)))
                .hasSize((int) lines);
        assertThat(again.curve().stream()
                        .map(NetAdaptExperiment.Point::heldOutTop1)
                        .toList())
                .isEqualTo(r.curve().stream()
                        .map(NetAdaptExperiment.Point::heldOutTop1)
                        .toList());
    }

    @Test
    void badSettingsNameTheField(@TempDir Path dir) {
        NetAdaptExperiment.Config q = NetAdaptExperiment.Config.quick(dir);
        assertThatThrownBy(() -> new NetAdaptExperiment.Config(
                        "x",
                        q.task(),
                        List.of(0.5, 0.75),
                        q.schedule(),
                        8,
                        10,
                        0.01,
                        10,
                        1,
                        0.01,
                        10,
                        3,
                        List.of(1L),
                        dir,
                        1))
                .hasMessageContaining("config.budgets [0.5, 0.75]");
        assertThatThrownBy(() -> new NetAdaptExperiment.Config(
                        "x",
                        q.task(),
                        List.of(0.5),
                        q.schedule(),
                        0,
                        10,
                        0.01,
                        10,
                        1,
                        0.01,
                        10,
                        3,
                        List.of(1L),
                        dir,
                        1))
                .hasMessageContaining("granularity 0");
    }
}
