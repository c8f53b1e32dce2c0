package org.mobilenas.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilenas.core.engine.Network;
import org.mobilenas.core.json.Json;
import org.mobilenas.core.train.TrainingResult;
import org.mobilenas.spaces.catalog.Catalog;

class QuickStartTest {
    @Test
    void tinyRunLearnsAndWritesItsReport(@TempDir Path dir) throws Exception {
        // 600 images for 2 epochs at the default learning rate 0.1 scored 17-41 % across seeds, and 1,200 for 3
        // epochs anywhere from 18 % to 85 % (a rounding change flips a run between them); at 0.05, 82-91 %
        QuickStart.Options o = QuickStart.Options.defaults()
                .withSynthetic(true)
                .withEpochs(3)
                .withTrainImages(1200)
                .withLearningRate(0.05)
                .withWidth(0.25)
                .withProgress(false)
                .withOutput(dir);
        QuickStart.Result r = QuickStart.run(o);

        assertThat(r.catalogue()).hasSize(Catalog.names().size());
        assertThat(r.dataset()).isEqualTo("synthetic");
        assertThat(r.training().status()).isEqualTo(TrainingResult.Status.COMPLETED);
        assertThat(r.validation().top1()).as("well above the 10 % chance level").isGreaterThan(0.3);
        assertThat(r.imagesPerSecond()).isPositive();

        JsonNode report = Json.mapper().readTree(Files.readString(dir.resolve("report.json")));
        assertThat(report.get("validation").get("top1").asDouble())
                .isEqualTo(r.validation().top1());
        assertThat(report.get("params").asLong()).isEqualTo(r.networkCosts().params());
        assertThat(Files.size(dir.resolve("training.png"))).isPositive();

        Network loaded = Network.load(dir.resolve("model.bin"));
        assertThat(loaded.spec()).isEqualTo(r.network());
    }

    @Test
    void badOptionsAreExplained() {
        assertThatThrownBy(() -> QuickStart.Options.parse("--epochs", "zero"))
                .hasMessage("--epochs: 'zero' is not a number");
        assertThatThrownBy(() -> QuickStart.Options.parse("--frobnicate"))
                .hasMessageContaining("unknown option --frobnicate");
        assertThatThrownBy(() -> QuickStart.Options.parse("--width", "-1")).hasMessage("width -1.0 must be in (0, 4]");
        assertThat(QuickStart.Options.parse("--epochs", "2", "--synthetic").epochs())
                .isEqualTo(2);
    }
}
