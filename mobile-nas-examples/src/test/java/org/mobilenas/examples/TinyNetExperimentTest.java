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
import org.mobilenas.core.experiment.Summary;
import org.mobilenas.core.json.Json;
import org.mobilenas.core.tiny.TinyScaler;

class TinyNetExperimentTest {

    @Test
    void quickPresetWritesReportTablePlotsAndResumesWithoutRetraining(@TempDir Path dir) throws Exception {
        TinyNetExperiment.Result r = TinyNetExperiment.run(TinyNetExperiment.Config.quick(dir));
        // 2 budgets (moved onto the width ladder) x 3 methods + the base, each with 2 seeds
        JsonNode findings =
                Json.mapper().readTree(dir.resolve("report.json").toFile()).path("findings");
        assertThat(findings.path("infeasible")).isEmpty();
        assertThat(r.summary()).hasSize(7);
        assertThat(findings.path("budgets")).hasSize(2);
        assertThat(r.summary()).anySatisfy(s -> assertThat(s.testMean()).isGreaterThan(0.4));
        assertThat(r.summary())
                .allSatisfy(s -> assertThat(s.seeds() + s.failed()).isEqualTo(2));
        assertThat(r.summary())
                .extracting(Summary::group)
                .containsExactly(
                        "tiny c=0.36",
                        "inverse-giant c=0.36",
                        "width-only c=0.36",
                        "tiny c=0.59",
                        "inverse-giant c=0.59",
                        "width-only c=0.59",
                        "base");
        assertThat(r.comparisons()).hasSize(4);
        assertThat(r.comparisons()).allSatisfy(c -> assertThat(c.verdict()).contains("seed spread"));
        assertThat(Files.size(r.plot())).isGreaterThan(2000);
        assertThat(Files.size(r.curves())).isGreaterThan(2000);
        JsonNode report = Json.mapper().readTree(dir.resolve("report.json").toFile());
        assertThat(report.path("format").asText()).isEqualTo("mobile-nas/experiment-report");
        assertThat(report.path("provenance").path("seeds")).hasSize(2);
        assertThat(report.path("provenance").path("wallSeconds").asDouble()).isPositive();
        assertThat(report.path("findings").path("spearmanRanking")).hasSize(3);
        assertThat(report.path("findings").path("fitSamples")).hasSize(6);
        assertThat(Files.readString(dir.resolve("results.md")))
                .contains("| tiny c=0.36 |", "± ", "What the numbers say", "accuracy-vs-macs.png");
        assertThat(TinyScaler.load(dir.resolve("tiny-scaler.json")).formula()).isNotNull();

        // a second run finds every job in the journal and reproduces the table exactly
        long lines = Files.readAllLines(dir.resolve(ExperimentRunner.JOURNAL)).size();
        TinyNetExperiment.Result again = TinyNetExperiment.run(TinyNetExperiment.Config.quick(dir));
        assertThat(Files.readAllLines(dir.resolve(ExperimentRunner.JOURNAL))).hasSize((int) lines);
        assertThat(again.summary()).isEqualTo(r.summary());
    }

    @Test
    void argumentsAreCheckedAndHelpIsAvailable() {
        assertThat(ExperimentArgs.parse("x", new String[] {"--help"}).help()).isTrue();
        ExperimentArgs a = ExperimentArgs.parse("x", new String[] {"--preset", "quick", "--parallel", "2"});
        assertThat(a.preset()).isEqualTo("quick");
        assertThat(a.parallel()).isEqualTo(2);
        assertThatThrownBy(() -> ExperimentArgs.parse("x", new String[] {"--preset", "huge"}))
                .hasMessageContaining("--preset huge: expected quick or full");
        assertThatThrownBy(() -> ExperimentArgs.parse("x", new String[] {"--bogus"}))
                .hasMessageContaining("unknown option --bogus")
                .hasMessageContaining("usage");
        assertThatThrownBy(() -> new TinyNetExperiment.Config(
                        "quick", null, 1, List.of(0.5), 2, null, List.of(1L), 1, Path.of("x"), 1))
                .hasMessageContaining("config.task");
    }
}
