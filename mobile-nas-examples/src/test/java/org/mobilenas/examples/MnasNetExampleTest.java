package org.mobilenas.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilenas.core.search.Candidate;

class MnasNetExampleTest {

    @Test
    void quickRunSearchesComparesAndWritesItsFiles(@TempDir Path dir) throws Exception {
        MnasNetExample.Result r = MnasNetExample.run(MnasNetExample.Config.quick(dir));
        assertThat(r.targetMs()).isPositive();
        assertThat(r.search().candidates()).hasSizeBetween(1, 6);
        assertThat(r.search().latencyModel()).startsWith("measured:jvm");
        assertThat(r.search().controller()).isEqualTo("rl-ppo");
        assertThat(r.rows()).hasSize(r.search().best() == null ? 2 : 3);
        assertThat(r.rows()).anyMatch(x -> x.network().equals("mobilenet_v2_0.25_small"));
        assertThat(r.rows()).allSatisfy(x -> assertThat(x.latencyMs()).isPositive());
        assertThat(r.table()).contains("lat (ms)", "mobilenet_v2_0.35_small");
        assertThat(Files.readAllLines(r.journal()).size()).isEqualTo(r.search().candidates().size() + 1);
        assertThat(Files.size(r.plot())).isGreaterThan(1000);
        assertThat(Files.readString(r.resultJson())).contains("\"rows\"", "\"targetMs\"");
        assertThat(r.budgetSeconds()).isPositive();

        // running again resumes from the journal: nothing is evaluated twice
        MnasNetExample.Result again = MnasNetExample.run(MnasNetExample.Config.quick(dir));
        assertThat(again.search().candidates()).extracting(Candidate::genotype)
                .containsExactlyElementsOf(r.search().candidates().stream().map(Candidate::genotype).toList());
    }

    @Test
    void hardRewardNeverReportsABestAboveTheTarget(@TempDir Path dir) {
        MnasNetExample.Result r = MnasNetExample.run(MnasNetExample.Config.quick(dir).withHard(true));
        if (r.search().best() != null) {
            assertThat(r.search().best().latencyMs()).isLessThanOrEqualTo(r.targetMs());
        }
        assertThat(r.search().reward()).contains("0.0 if <= T else -1.0");
    }

    @Test
    void badConfigIsRejected(@TempDir Path dir) {
        assertThatThrownBy(() -> new MnasNetExample.Config(0.5, 0.5, List.of(), false, 1, 1, 0.1, 10, 10, 1, 10, 1,
                true, 1, dir)).hasMessageContaining("config.baselineWidths must be a non-empty list");
        assertThatThrownBy(() -> new MnasNetExample.Config(0.5, 0.5, List.of(0.5), false, 0, 1, 0.1, 10, 10, 1, 10,
                1, true, 1, dir)).hasMessageContaining("config.iterations 0 must be >= 1");
    }
}
