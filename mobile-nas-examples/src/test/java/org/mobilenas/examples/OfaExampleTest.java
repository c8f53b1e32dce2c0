package org.mobilenas.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilenas.core.ofa.ElasticSpace;
import org.mobilenas.latency.table.Interpolation;
import org.mobilenas.latency.table.LatencyTable;
import org.mobilenas.latency.table.TableLatencyModel;
import org.mobilenas.spaces.ofa.OfaSpaces;

class OfaExampleTest {

    @Test
    void quickRunSpecialisesForThreeBudgetsAndComparesWithScratch(@TempDir Path dir) throws Exception {
        OfaExample.Result r = OfaExample.run(OfaExample.Config.quick(dir));
        assertThat(r.supernet().phases()).hasSize(6);
        assertThat(r.supernetEpochs()).isEqualTo(6);
        assertThat(r.rows()).hasSize(3);
        assertThat(r.rows()).allSatisfy(row -> {
            assertThat(row.tableMs()).isLessThanOrEqualTo(row.budgetMs());
            assertThat(row.ofaTop1()).isBetween(0.0, 1.0);
            assertThat(row.scratchTop1()).isBetween(0.0, 1.0);
            assertThat(row.macs()).isPositive();
            assertThat(row.measuredMs()).isPositive();
        });
        assertThat(r.smallestMs()).isLessThan(r.largestMs());
        assertThat(r.rows().get(0).budgetMs()).isLessThan(r.rows().get(2).budgetMs());
        assertThat(r.predictor().trainSamples() + r.predictor().validationSamples()).isEqualTo(8);
        assertThat(r.table()).contains("budget", "OFA", "scratch");
        assertThat(Files.size(r.plot())).isGreaterThan(1000);
        assertThat(Files.readString(r.resultJson())).contains("\"rows\"", "\"predictor\"", "\"supernet\"");
        LatencyTable lut = LatencyTable.read(Path.of(r.latencyTable()));
        assertThat(lut.size()).isEqualTo(r.latencyEntries());
        ElasticSpace space = OfaSpaces.mobileNetV3Small(0.25, 1, 10);
        assertThat(TableLatencyModel.builder(lut).interpolation(Interpolation.CHANNELS).build()
                .predictMs(space.spec(space.maxConfig()))).isEqualTo(r.largestMs());
    }

    @Test
    void badConfigIsRejected(@TempDir Path dir) {
        assertThatThrownBy(() -> new OfaExample.Config(0.5, 10, 10, 10, 8, 0.1, 0.1, 10, 10, 10, 10, List.of(1.5),
                10, 10, 0, 1, true, 1, dir)).hasMessageContaining("config.budgets contains 1.5");
        assertThatThrownBy(() -> new OfaExample.Config(0.5, 10, 10, 10, 1, 0.1, 0.1, 10, 10, 10, 10, List.of(0.5),
                10, 10, 0, 1, true, 1, dir)).hasMessageContaining("batchSize 1");
    }
}
