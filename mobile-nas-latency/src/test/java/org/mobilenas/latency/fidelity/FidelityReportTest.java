package org.mobilenas.latency.fidelity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilenas.core.cost.Costs;
import org.mobilenas.core.json.Json;
import org.mobilenas.core.latency.LatencyModel;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.latency.TestNets;
import org.mobilenas.latency.measure.FakeMeasurer;
import org.mobilenas.latency.table.LatencyTableBuilder;
import org.mobilenas.latency.table.TableLatencyModel;

class FidelityReportTest {
    @Test
    void repeatedPassesGiveMediansAndTheDevicesOwnRepeatability() {
        List<NetworkSpec> nets = List.of(
                org.mobilenas.core.testing.RandomSpecs.of(1),
                org.mobilenas.core.testing.RandomSpecs.of(2),
                org.mobilenas.core.testing.RandomSpecs.of(3));
        FakeMeasurer fake = new FakeMeasurer();
        FidelityReport.Passes p = FidelityReport.measurePasses(fake, nets, 1, 3);
        assertThat(p.median()).hasSize(3);
        for (int i = 0; i < nets.size(); i++) {
            // the fake device is deterministic: every pass agrees, the median is its latency
            assertThat(p.median().get(i).medianMs()).isCloseTo(FakeMeasurer.latency(nets.get(i)), within(1e-9));
            assertThat(p.median().get(i).samples()).isEqualTo(3);
        }
        assertThat(p.repeatability().within5()).isEqualTo(1.0);
        assertThat(p.repeatability().mape()).isCloseTo(0.0, within(1e-12));
        assertThatThrownBy(() -> FidelityReport.measurePasses(fake, nets, 1, 1)).hasMessageContaining("passes 1");
    }

    @Test
    void metricsOfKnownNumbers() {
        double[] measured = {10, 20, 30, 40};
        FidelityReport.ModelFidelity perfect = FidelityReport.metrics("p", measured.clone(), measured);
        assertThat(perfect.rmseMs()).isZero();
        assertThat(perfect.mape()).isZero();
        assertThat(perfect.within5()).isEqualTo(1.0);
        assertThat(perfect.spearman()).isEqualTo(1.0);
        assertThat(perfect.kendall()).isEqualTo(1.0);

        double[] predicted = {10.4, 21.8, 27, 44.4}; // errors 4 %, 9 %, -10 %, 11 %
        FidelityReport.ModelFidelity f = FidelityReport.metrics("f", predicted, measured);
        assertThat(f.mape()).isCloseTo((0.04 + 0.09 + 0.10 + 0.11) / 4, within(1e-12));
        assertThat(f.within5()).isEqualTo(0.25);
        assertThat(f.within10()).isEqualTo(0.75);
        assertThat(f.rmseMs()).isCloseTo(Math.sqrt((0.16 + 3.24 + 9 + 19.36) / 4), within(1e-12));
        assertThat(f.spearman()).isEqualTo(1.0);

        double[] swapped = {20, 10, 30, 40};
        FidelityReport.ModelFidelity s = FidelityReport.metrics("s", swapped, measured);
        assertThat(s.spearman()).isCloseTo(0.8, within(1e-12));
        assertThat(s.kendall()).isCloseTo(4.0 / 6, within(1e-12));

        assertThatThrownBy(() -> FidelityReport.metrics("x", new double[] {1}, new double[] {1}))
                .hasMessageContaining("need equally many (>= 2)");
        assertThatThrownBy(() -> FidelityReport.metrics("x", new double[] {1, 2}, new double[] {1, 0}))
                .hasMessageContaining("measurement 1 is 0.0, expected > 0");
    }

    @Test
    void reportsEveryModelAsJsonAndPlot(@TempDir Path dir) throws Exception {
        var space = TestNets.tinySpace(32);
        FakeMeasurer device = new FakeMeasurer();
        TableLatencyModel table = TableLatencyModel.of(LatencyTableBuilder.with(device)
                .space(space, 300, 1)
                .progress(false)
                .build());
        LatencyModel flops = LatencyModel.of("macs", s -> Costs.of(s).macs() / 1e6);
        List<NetworkSpec> nets = TestNets.samples(space, 12, 77);
        FidelityReport r = FidelityReport.measure(device, nets, 1, List.of(table, flops));

        assertThat(r.samples()).hasSize(12);
        assertThat(r.model("lut:fake-device").within5()).isEqualTo(1.0);
        assertThat(r.model("lut:fake-device").spearman()).isGreaterThan(0.99);
        assertThat(r.model("macs").mape())
                .isGreaterThan(r.model("lut:fake-device").mape());
        assertThat(r.text()).contains("lut:fake-device").contains("Spearman");

        r.writeJson(dir.resolve("f.json"));
        r.writePlot(dir.resolve("f.png"));
        JsonNode json = Json.mapper().readTree(Files.readString(dir.resolve("f.json")));
        assertThat(json.get("models")).hasSize(2);
        assertThat(json.get("samples").get(0).get("predictedMs").has("macs")).isTrue();
        assertThat(Files.size(dir.resolve("f.png"))).isGreaterThan(1000);
        assertThatThrownBy(() -> r.model("nope")).hasMessageContaining("no model 'nope'");
        assertThatThrownBy(() -> FidelityReport.measure(device, nets, 1, List.of(flops, flops)))
                .hasMessageContaining("two models are named 'macs'");
    }
}
