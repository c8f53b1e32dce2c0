package org.mobilenas.latency.analytic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilenas.core.latency.LatencyPrediction;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.latency.TestNets;
import org.mobilenas.latency.measure.FakeMeasurer;
import org.mobilenas.latency.table.LatencyTable;
import org.mobilenas.latency.table.LatencyTableBuilder;

class AnalyticLatencyModelTest {
    private static final LatencyTable TABLE = LatencyTableBuilder.with(new FakeMeasurer())
            .space(TestNets.tinySpace(32), 300, 3)
            .specs(List.of(TestNets.mobile(8, 32), TestNets.shuffle(32)))
            .progress(false)
            .build();

    @Test
    void theRooflineRecoversAnAdditiveDevice() {
        AnalyticLatencyModel m = AnalyticLatencyModel.fit(TABLE, AnalyticLatencyModel.Features.ROOFLINE);
        assertThat(m.fit().quality().r2()).isGreaterThan(0.999);
        assertThat(m.fit().terms()).hasSize(18);
        assertThat(m.fit().terms()).allSatisfy(t -> assertThat(t.coefficient()).isGreaterThanOrEqualTo(0));
        // the fake device charges 1 ms per million MACs of every kind
        assertThat(m.fit().terms().stream()
                        .filter(t -> t.name().equals("pointwise.macs"))
                        .findFirst()
                        .orElseThrow()
                        .coefficient())
                .isCloseTo(1.0, within(0.05));
        for (NetworkSpec s : TestNets.samples(TestNets.tinySpace(40), 10, 5)) {
            double exact = FakeMeasurer.latency(s);
            assertThat(m.predictMs(s)).isCloseTo(exact, within(0.02 * exact));
        }
        LatencyPrediction p = m.predict(TestNets.mobile(8, 32), 1);
        assertThat(p.layers().get(0).layer()).startsWith("stem[0]");
        assertThat(p.layers().stream().mapToDouble(l -> l.ms()).sum() + p.overheadMs())
                .isCloseTo(p.totalMs(), within(1e-9));
        assertThat(m.name()).isEqualTo("analytic:fake-device");
    }

    @Test
    void flopsAloneFitWorse() {
        AnalyticLatencyModel roofline = AnalyticLatencyModel.fit(TABLE, AnalyticLatencyModel.Features.ROOFLINE);
        AnalyticLatencyModel flops = AnalyticLatencyModel.fit(TABLE, AnalyticLatencyModel.Features.MACS);
        assertThat(flops.fit().terms()).hasSize(1);
        assertThat(flops.fit().quality().rmseMs())
                .isGreaterThan(roofline.fit().quality().rmseMs());
        assertThat(flops.name()).isEqualTo("flops:fake-device");
    }

    @Test
    void nonNegativeLeastSquaresDropsNegativeDirections() {
        double[][] x = {{1, 1}, {2, 1}, {3, 1}, {4, 1}};
        double[] y = {1, 2, 3, 4}; // exact fit needs w = (1, 0)
        assertThat(AnalyticLatencyModel.nonNegativeLeastSquares(x, y)[0]).isCloseTo(1, within(1e-6));
        double[] yNeg = {2.5, 2, 1.5, 1}; // decreasing: the slope would be negative
        double[] w = AnalyticLatencyModel.nonNegativeLeastSquares(x, yNeg);
        assertThat(w[0]).isZero();
        assertThat(w[1]).isCloseTo(1.75, within(1e-6));
    }

    @Test
    void saveAndLoadKeepTheFit(@TempDir Path dir) throws Exception {
        AnalyticLatencyModel m = AnalyticLatencyModel.fit(TABLE, AnalyticLatencyModel.Features.ROOFLINE);
        Path f = dir.resolve("analytic.json");
        m.write(f);
        AnalyticLatencyModel back = AnalyticLatencyModel.read(f);
        assertThat(back.fit()).isEqualTo(m.fit());
        assertThat(back.predictMs(TestNets.mobile(8, 32))).isEqualTo(m.predictMs(TestNets.mobile(8, 32)));
        Files.writeString(f, Files.readString(f).replace("\"version\" : 1", "\"version\" : 2"));
        assertThatThrownBy(() -> AnalyticLatencyModel.read(f)).hasMessageContaining("version 2, expected");
        Files.writeString(f, "{");
        assertThatThrownBy(() -> AnalyticLatencyModel.read(f)).hasMessageContaining("analytic latency model");
    }

    @Test
    void anEmptyTableCannotBeFitted() {
        assertThatThrownBy(() -> AnalyticLatencyModel.fit(
                        LatencyTable.empty(new FakeMeasurer().device()), AnalyticLatencyModel.Features.ROOFLINE))
                .hasMessageContaining("empty latency table");
    }
}
