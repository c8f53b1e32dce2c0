package org.mobilenas.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilenas.latency.table.LatencyTable;

class OnnxRuntimeLatencyExperimentTest {

    @Test
    void quickPresetChecksTheOnnxRuntimeTableAndRunsTheSearchUnderBothTables(@TempDir Path dir) throws Exception {
        OnnxRuntimeLatencyExperiment.Preset quick = OnnxRuntimeLatencyExperiment.Preset.quick();
        OnnxRuntimeLatencyExperiment.Result r = OnnxRuntimeLatencyExperiment.run(quick, dir, System.out);
        assertThat(r.fidelity().n()).isEqualTo(quick.networks());
        assertThat(r.fidelity().mape()).isFinite();
        assertThat(LatencyTable.read(dir.resolve("ort-mobilenetv2-table.json"))
                        .device()
                        .measurer())
                .isEqualTo("onnxruntime");
        assertThat(LatencyTable.read(dir.resolve("jvm-mnasnet-table.json"))
                        .device()
                        .measurer())
                .isEqualTo("jvm");
        assertThat(r.searches())
                .extracting(OnnxRuntimeLatencyExperiment.SearchOutcome::device)
                .containsExactly("jvm", "onnxruntime");
        r.searches().forEach(s -> {
            assertThat(s.targetMs()).isPositive();
            assertThat(s.candidates()).isBetween(1, quick.iterations() * quick.batchSize());
        });
        assertThat(r.paretoOverlap()).isBetween(0.0, 1.0);
        assertThat(Files.readString(dir.resolve("results.md"))).contains("within ±10 %", "Pareto fronts share");
        assertThat(Files.size(dir.resolve("fidelity.png"))).isGreaterThan(2000);
    }
}
