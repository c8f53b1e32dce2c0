package org.mobilenas.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilenas.core.testing.TestImages;

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

    @Test
    void theFullPresetRunsOnAFolderOfImagesGivenAsData(@TempDir Path dir) throws Exception {
        Path images = dir.resolve("photos");
        TestImages.writeFolder(images, 4, 24, 11);
        Path out = dir.resolve("out");
        ProxyTaskExperiment.Config c = ProxyTaskExperiment.Config.full(out, images, 2);
        assertThat(c.task().name()).isEqualTo("images-photos");
        ProxyTaskExperiment.Result r = ProxyTaskExperiment.run(c);
        assertThat(r.jobs()).hasSize(2);
        assertThat(r.summary().testMean()).isGreaterThan(0.5); // 4 classes: chance is 0.25
        assertThat(Files.readString(out.resolve("report.json"))).contains("images-photos", "image_folder");
    }
}
