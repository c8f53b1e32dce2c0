package org.mobilenas.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilenas.core.adapt.AdaptationReport;

class NetAdaptExampleTest {

    @Test
    void adaptsToHalfTheMeasuredLatencyAndComparesWithWidthMultipliers(@TempDir Path dir) {
        NetAdaptExample.Result r = NetAdaptExample.run(NetAdaptExample.Config.quick(dir));
        assertThat(r.latencyModel()).isEqualTo("analytic:macs+memory");
        assertThat(r.budgetMs()).isEqualTo(0.5 * r.initialLatencyMs());
        AdaptationReport report = r.report();
        assertThat(report.complete()).isTrue();
        assertThat(report.iterations()).isNotEmpty();
        assertThat(report.longTermAccuracy()).isNotNull();
        // the final network meets the budget as measured by the model that defined it
        NetAdaptExample.Row adapted = r.rows().get(1);
        assertThat(adapted.method()).isEqualTo("netadapt");
        assertThat(adapted.latencyMs()).isLessThanOrEqualTo(r.budgetMs());
        assertThat(r.rows().get(0).method()).isEqualTo("initial");
        assertThat(r.rows()).extracting(NetAdaptExample.Row::method).anyMatch(m -> m.startsWith("width x"));
        assertThat(r.rows()).allSatisfy(row -> assertThat(row.testTop1()).isBetween(0.0, 1.0));
        assertThat(r.table()).contains("netadapt").contains("width x");
        assertThat(r.resultJson()).exists();
        assertThat(r.reportJson()).exists();
        assertThat(r.plot()).exists();
        assertThat(dir.resolve("checkpoints")).isDirectoryContaining(p -> p.toString().endsWith(".mnn"));
    }
}
