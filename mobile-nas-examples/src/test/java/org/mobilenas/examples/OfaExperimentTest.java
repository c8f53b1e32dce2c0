package org.mobilenas.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilenas.core.experiment.ExperimentReport;
import org.mobilenas.core.json.Json;
import org.mobilenas.core.ofa.ElasticSpace;
import org.mobilenas.core.ofa.SubnetConfig;
import org.mobilenas.latency.table.Interpolation;
import org.mobilenas.latency.table.LatencyTable;
import org.mobilenas.latency.table.TableLatencyModel;
import org.mobilenas.spaces.ofa.OfaSpaces;

class OfaExperimentTest {

    @Test
    void quickPresetShrinksMeasuresSpecializesComparesAndResumes(@TempDir Path dir) throws Exception {
        OfaExperiment.Config quick = OfaExperiment.Config.quick(dir);
        ExperimentReport r = OfaExperiment.run(quick);
        JsonNode findings =
                Json.mapper().readTree(dir.resolve("report.json").toFile()).path("findings");

        // six phases, the predictor checked on subnets it did not see
        assertThat(findings.path("phases")).hasSize(6);
        JsonNode predictor = findings.path("predictor");
        assertThat(predictor.path("validationSamples").asInt()
                        + predictor.path("trainSamples").asInt())
                .isEqualTo(quick.predictorSamples());
        assertThat(predictor.path("validationSamples").asInt()).isEqualTo(quick.predictorSamples() / 4);

        // every specialized subnet meets its budget by the table, which answers it without interpolating
        ElasticSpace base = OfaSpaces.mobileNetV3Small(quick.width(), 1, 4);
        ElasticSpace space = new ElasticSpace(
                base.name(),
                1,
                4,
                quick.resolutions(),
                base.stemChannels(),
                base.stemStride(),
                base.firstChannels(),
                base.stages(),
                base.depths(),
                base.kernels(),
                base.expands(),
                base.headChannels(),
                base.featureChannels(),
                base.dropout());
        TableLatencyModel exact = TableLatencyModel.builder(LatencyTable.read(dir.resolve("latency-table.json")))
                .interpolation(Interpolation.NONE)
                .build();
        JsonNode picks = findings.path("specialized");
        assertThat(picks).hasSize(quick.budgets().size());
        for (JsonNode p : picks) {
            SubnetConfig c = Json.mapper().treeToValue(p.path("config"), SubnetConfig.class);
            assertThat(p.path("tableMs").asDouble())
                    .isLessThanOrEqualTo(p.path("budgetMs").asDouble() + 1e-9)
                    .isCloseTo(exact.predictMs(space.spec(c)), org.assertj.core.data.Offset.offset(1e-9));
            assertThat(p.path("familyMs").asDouble())
                    .isLessThanOrEqualTo(p.path("budgetMs").asDouble() + 1e-9);
            assertThat(p.path("evolutionSeconds").asDouble()).isPositive();
            assertThat(p.path("testTop1").asDouble()).isBetween(0.0, 1.0);
        }
        // fine-tuned and from-scratch copies of every pick, and a MobileNetV3 width per budget, each with every seed
        assertThat(r.summary()).hasSize(3 * quick.budgets().size());
        r.summary()
                .forEach(s -> assertThat(s.seeds())
                        .as(s.group())
                        .isEqualTo(quick.seeds().size()));
        assertThat(r.verdicts()).anyMatch(v -> v.contains("OFA (no retraining)") && v.contains("from scratch"));
        assertThat(Files.size(dir.resolve("accuracy-vs-latency.png"))).isGreaterThan(2000);
        assertThat(Files.size(dir.resolve("model.onnx"))).isGreaterThan(1000);
        assertThat(dir.resolve("onnx"))
                .isDirectoryContaining("glob:**budget-30.onnx")
                .isDirectoryContaining("glob:**budget-70.onnx");
        assertThat(Files.readString(dir.resolve("results.md")))
                .contains("## Progressive shrinking", "## Accuracy predictor", "## Specialized subnets");

        // a rerun measures and trains nothing again and gives the same report
        Path samples = dir.resolve("predictor-samples.jsonl");
        List<String> lines = Files.readAllLines(samples);
        assertThat(lines).hasSize(quick.predictorSamples() + 1);
        ExperimentReport again = OfaExperiment.run(quick);
        assertThat(Files.readAllLines(samples)).isEqualTo(lines);
        assertThat(again.summary()).isEqualTo(r.summary());

        // a sample journal of other weights is refused, not mixed in
        List<String> edited = new ArrayList<>(lines);
        edited.set(0, lines.get(0).replaceFirst("\"supernet\" *: *\"[0-9a-f]", "\"supernet\":\"x"));
        Files.write(samples, edited);
        assertThatThrownBy(() -> OfaExperiment.run(quick)).hasMessageContaining("another supernet");
    }

    @Test
    void badSettingsNameTheField(@TempDir Path dir) {
        OfaExperiment.Config q = OfaExperiment.Config.quick(dir);
        assertThatThrownBy(() -> new OfaExperiment.Config(
                        "x",
                        q.task(),
                        0.25,
                        List.of(16),
                        List.of(1, 1, 1),
                        4,
                        32,
                        0.05,
                        64,
                        16,
                        64,
                        List.of(0.5),
                        12,
                        5,
                        1,
                        0.01,
                        1,
                        List.of(1L),
                        7,
                        3,
                        dir,
                        1))
                .hasMessageContaining("config.phaseEpochs [1, 1, 1]");
        assertThatThrownBy(() -> new OfaExperiment.Config(
                        "x",
                        q.task(),
                        0.25,
                        List.of(16),
                        q.phaseEpochs(),
                        4,
                        32,
                        0.05,
                        64,
                        16,
                        64,
                        List.of(1.5),
                        12,
                        5,
                        1,
                        0.01,
                        1,
                        List.of(1L),
                        7,
                        3,
                        dir,
                        1))
                .hasMessageContaining("config.budgets contains 1.5");
        assertThatThrownBy(() -> new OfaExperiment.Config(
                        "x",
                        q.task(),
                        0.25,
                        List.of(16),
                        q.phaseEpochs(),
                        4,
                        32,
                        0.05,
                        64,
                        4,
                        64,
                        List.of(0.5),
                        12,
                        5,
                        1,
                        0.01,
                        1,
                        List.of(1L),
                        7,
                        3,
                        dir,
                        1))
                .hasMessageContaining("predictorSamples 4");
    }
}
