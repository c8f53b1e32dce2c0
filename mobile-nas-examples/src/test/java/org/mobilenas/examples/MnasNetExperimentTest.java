package org.mobilenas.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilenas.core.experiment.ExperimentReport;
import org.mobilenas.core.experiment.ExperimentRunner;
import org.mobilenas.core.json.Json;
import org.mobilenas.core.search.Genotype;
import org.mobilenas.latency.table.Interpolation;
import org.mobilenas.latency.table.LatencyTable;
import org.mobilenas.latency.table.TableLatencyModel;
import org.mobilenas.spaces.search.MnasNetSpace;
import org.mobilenas.spaces.search.Skeleton;

class MnasNetExperimentTest {

    @Test
    void quickPresetSearchesWithThreeControllersComparesPicksWithTheWidthFamilyAndResumes(@TempDir Path dir)
            throws Exception {
        MnasNetExperiment.Config quick = MnasNetExperiment.Config.quick(dir);
        ExperimentReport r = MnasNetExperiment.run(quick);
        JsonNode findings =
                Json.mapper().readTree(dir.resolve("report.json").toFile()).path("findings");
        double t = findings.path("targetMs").asDouble();
        assertThat(t).isPositive();

        // every controller made the same number of proposals, and every candidate has a latency: the table holds
        // every layer of the space, so it answers without interpolating
        LatencyTable table = LatencyTable.read(dir.resolve("latency-table.json"));
        TableLatencyModel exact = TableLatencyModel.builder(table)
                .interpolation(Interpolation.NONE)
                .build();
        MnasNetSpace space = MnasNetSpace.builder(
                        Skeleton.mobileNetV2(16, 4, 2, 1).withInputChannels(1).withWidth(quick.spaceWidth()))
                .build();
        // three controllers with the search seed, RL and random again with every replica seed
        assertThat(findings.path("searches"))
                .hasSize(3 + 2 * quick.replicaSeeds().size());
        assertThat(findings.path("rlVsRandom").path("rlBestRewards"))
                .hasSize(1 + quick.replicaSeeds().size());
        assertThat(r.verdicts())
                .anyMatch(v -> v.startsWith("RL vs random search at equal budget") && v.contains("seed spread"));
        assertThat(findings.path("proxyVsFinal").path("networks").asInt())
                .isEqualTo(2 * findings.path("picks").size());
        for (JsonNode s : findings.path("searches")) {
            assertThat(s.path("proposals").asInt()).isEqualTo(quick.iterations() * quick.batchSize());
            assertThat(s.path("meanRewardByIter")).hasSize(quick.iterations());
            assertThat(s.path("failures").asInt())
                    .as(s.path("controller").asText())
                    .isZero();
            String file = "search-" + s.path("controller").asText()
                    + (s.path("seed").asLong() == quick.searchSeed()
                            ? ""
                            : "-seed" + s.path("seed").asLong()) + ".json";
            JsonNode search = Json.mapper().readTree(dir.resolve(file).toFile());
            for (JsonNode c : search.path("candidates")) {
                double ms = exact.predictMs(
                        space.decode(Genotype.parse(c.path("genotype").asText())));
                assertThat(c.path("latencyMs").asDouble()).isCloseTo(ms, org.assertj.core.data.Offset.offset(1e-9));
            }
        }

        // each pick lies in its window around its level, and is compared with a width of the family
        JsonNode picks = findings.path("picks");
        assertThat(picks.size()
                        + r.verdicts().stream()
                                .filter(v -> v.startsWith("No searched"))
                                .count())
                .isEqualTo(quick.levels().size());
        for (JsonNode p : picks) {
            double at = p.path("level").asDouble() * t;
            assertThat(Math.abs(p.path("candidate").path("latencyMs").asDouble() / at - 1))
                    .isLessThanOrEqualTo(p.path("window").asDouble() + 1e-9);
            assertThat(quick.familyWidths()).contains(p.path("match").asDouble());
        }
        assertThat(findings.path("comparisons").size()).isEqualTo(picks.size());
        assertThat(r.summary()).hasSize(2 * picks.size());
        r.summary().forEach(s -> assertThat(s.seeds()).isEqualTo(quick.seeds().size()));
        for (String png : List.of(
                "reward-per-iteration.png",
                "candidates-rl.png",
                "candidates-evolution.png",
                "candidates-random.png",
                "pareto.png")) {
            assertThat(Files.size(dir.resolve(png))).as(png).isGreaterThan(2000);
        }
        assertThat(Files.readString(dir.resolve("results.md"))).contains("## Searches", "## Picks", "Overall:");
        // the trained searched networks as ONNX models
        assertThat(dir.resolve("onnx")).isNotEmptyDirectory();
        if (picks.findValues("level").stream().anyMatch(l -> l.asDouble() == 1.0)) {
            assertThat(Files.size(dir.resolve("model.onnx"))).isGreaterThan(1000);
        }

        // a rerun trains nothing again and gives the same report
        long search = Files.readAllLines(dir.resolve("search").resolve(ExperimentRunner.JOURNAL))
                .size();
        long fin = Files.readAllLines(dir.resolve("final").resolve(ExperimentRunner.JOURNAL))
                .size();
        ExperimentReport again = MnasNetExperiment.run(quick);
        assertThat(Files.readAllLines(dir.resolve("search").resolve(ExperimentRunner.JOURNAL)))
                .hasSize((int) search);
        assertThat(Files.readAllLines(dir.resolve("final").resolve(ExperimentRunner.JOURNAL)))
                .hasSize((int) fin);
        assertThat(again.summary()).isEqualTo(r.summary());
    }

    @Test
    void badSettingsNameTheField(@TempDir Path dir) {
        MnasNetExperiment.Config q = MnasNetExperiment.Config.quick(dir);
        assertThatThrownBy(() -> new MnasNetExperiment.Config(
                        "x",
                        q.task(),
                        0.25,
                        0.25,
                        List.of(0.25),
                        10,
                        1,
                        32,
                        0.05,
                        0,
                        3,
                        0.02,
                        4,
                        2,
                        List.of(1.0),
                        1,
                        List.of(1L),
                        1,
                        List.of(),
                        3,
                        dir,
                        1))
                .hasMessageContaining("iterations 0");
        assertThatThrownBy(() -> new MnasNetExperiment.Config(
                        "x",
                        q.task(),
                        0.25,
                        0.25,
                        List.of(0.25),
                        10,
                        1,
                        32,
                        0.05,
                        2,
                        3,
                        0.02,
                        4,
                        5,
                        List.of(1.0),
                        1,
                        List.of(1L),
                        1,
                        List.of(),
                        3,
                        dir,
                        1))
                .hasMessageContaining("tournament 5");
        assertThatThrownBy(() -> new MnasNetExperiment.Config(
                        "x",
                        q.task(),
                        0.25,
                        0.25,
                        List.of(),
                        10,
                        1,
                        32,
                        0.05,
                        2,
                        3,
                        0.02,
                        4,
                        2,
                        List.of(1.0),
                        1,
                        List.of(1L),
                        1,
                        List.of(),
                        3,
                        dir,
                        1))
                .hasMessageContaining("config.familyWidths");
        assertThatThrownBy(() -> new MnasNetExperiment.Config(
                        "x",
                        q.task(),
                        0.25,
                        0.25,
                        List.of(0.25),
                        10,
                        1,
                        32,
                        0.05,
                        2,
                        3,
                        0.02,
                        4,
                        2,
                        List.of(1.0),
                        1,
                        List.of(1L),
                        1,
                        List.of(1L),
                        3,
                        dir,
                        1))
                .hasMessageContaining("config.replicaSeeds [1]");
    }
}
