package org.mobilenas.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilenas.core.search.Evaluator;
import org.mobilenas.core.tiny.TinyScaler;

class TinyNetExampleTest {

    private static Evaluator.Realizer realizer() {
        return TinyNetExample.engineRealizer();
    }

    @Test
    void quickRunProducesTheSideBySideTableAndItsFiles(@TempDir Path dir) throws Exception {
        TinyNetExample.Result r = TinyNetExample.run(TinyNetExample.Config.quick(dir), realizer());
        assertThat(r.rows()).hasSize(2 * 3);
        assertThat(r.rows()).extracting(TinyNetExample.Row::method)
                .containsExactly("tiny", "inverse-giant", "width-only", "tiny", "inverse-giant", "width-only");
        // the tiny formula's network lands within the tolerance of every budget, and is trained
        assertThat(r.rows()).filteredOn(x -> x.method().equals("tiny")).allSatisfy(x -> {
            assertThat(Math.abs(x.fraction() - x.budget()) / x.budget()).isLessThanOrEqualTo(0.03);
            assertThat(x.accuracy()).isBetween(0.0, 1.0);
        });
        assertThat(r.rows()).allSatisfy(x -> assertThat(Double.isNaN(x.accuracy()) ? x.note() : "ok").isNotNull());
        assertThat(r.sampledModels()).isGreaterThanOrEqualTo(2);
        assertThat(r.table()).contains("budget", "tiny", "inverse-giant", "width-only");
        assertThat(r.formula()).contains("lengthScale=");
        assertThat(Files.size(r.plot())).isGreaterThan(1000);
        assertThat(Files.readString(r.resultJson())).contains("\"rows\"", "\"inverse-giant\"");
        TinyScaler loaded = TinyScaler.load(r.scalerJson());
        assertThat(loaded.formula()).isNotNull();
        assertThat(loaded.tiny(0.3).relativeError(0.3)).isLessThanOrEqualTo(0.03);
    }

    @Test
    void badConfigIsRejected(@TempDir Path dir) {
        assertThatThrownBy(() -> new TinyNetExample.Config(List.of(), 1, 1, 1, 1, 1, 0.1, true, 1, dir))
                .hasMessageContaining("config.budgets must be a non-empty list");
        assertThatThrownBy(() -> new TinyNetExample.Config(List.of(0.5), 0, 1, 1, 1, 1, 0.1, true, 1, dir))
                .hasMessageContaining("config.samplesPerBudget 0");
    }
}
