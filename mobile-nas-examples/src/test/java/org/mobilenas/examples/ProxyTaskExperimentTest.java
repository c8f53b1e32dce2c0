package org.mobilenas.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProxyTaskExperimentTest {
    @Test
    void quickPresetTrainsTheReferenceOverSeedsAndWritesTheReport(@TempDir Path dir) throws Exception {
        ProxyTaskExperiment.Result r = ProxyTaskExperiment.run(ProxyTaskExperiment.Config.quick(dir));
        assertThat(r.jobs()).hasSize(2);
        assertThat(r.summary().seeds()).isEqualTo(2);
        assertThat(r.summary().testMean()).isBetween(0.0, 1.0);
        assertThat(r.report().verdicts()).singleElement().asString().contains("test top-1");
        assertThat(Files.readString(dir.resolve("results.md"))).contains("| reference |");
        assertThat(Files.readString(dir.resolve("report.json"))).contains("\"provenance\"", "\"wallSeconds\"");
    }
}
