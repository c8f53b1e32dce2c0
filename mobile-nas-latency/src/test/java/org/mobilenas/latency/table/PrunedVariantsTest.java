package org.mobilenas.latency.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mobilenas.core.adapt.PrunableLayer;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.latency.LayerKeys;
import org.mobilenas.latency.TestNets;
import org.mobilenas.latency.measure.FakeMeasurer;

class PrunedVariantsTest {
    private final PrunedVariants variants =
            PrunedVariants.of(TestNets.mobile(16, 32), 4).levels(3);

    @Test
    void gridWidthsAreMultiplesOfTheGranularityFromTheFullWidthDown() {
        for (PrunableLayer l : variants.layers()) {
            int[] g = variants.gridWidths(l);
            assertThat(g[0]).isEqualTo(l.channels());
            for (int i = 1; i < g.length; i++) {
                assertThat(g[i] % 4).isZero();
                assertThat(g[i]).isLessThan(g[i - 1]).isPositive();
            }
        }
    }

    @Test
    void variantsAreValidNetworksWithTheChosenWidths() {
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < 20; i++) {
            NetworkSpec grid = variants.grid(rng);
            NetworkSpec any = variants.any(rng);
            NetworkSpec path = variants.path(rng);
            assertThat(grid.graph()).isNotNull();
            assertThat(any.graph()).isNotNull();
            assertThat(path.graph()).isNotNull();
        }
        // a path prunes at least one layer and never below one granularity step
        for (int i = 0; i < 50; i++) {
            NetworkSpec path = variants.path(rng);
            String[] widths =
                    path.name().substring(path.name().lastIndexOf('-') + 1).split("\\.");
            boolean pruned = false;
            for (int l = 0; l < widths.length; l++) {
                int w = Integer.parseInt(widths[l]);
                int full = variants.layers().get(l).channels();
                assertThat(w).isBetween(Math.min(4, full), full);
                pruned |= w < full;
            }
            assertThat(pruned).as(path.name()).isTrue();
        }
        int[] widths =
                variants.layers().stream().mapToInt(PrunableLayer::channels).toArray();
        assertThat(variants.withWidths(widths, "full").graph().nodes().size())
                .isEqualTo(variants.original().graph().nodes().size());
        widths[0] = widths[0] + 1;
        assertThatThrownBy(() -> variants.withWidths(widths, "x")).hasMessageContaining("widths[0]");
        assertThatThrownBy(() -> PrunedVariants.of(TestNets.mobile(16, 32), 0)).hasMessageContaining("granularity 0");
    }

    /**
     * A table measured on grid variants only predicts off-grid pruned variants through channel interpolation,
     * close to what the device reports for the whole network.
     */
    @Test
    void aLayerwiseTablePredictsOffGridVariantsItNeverMeasured() {
        FakeMeasurer device = new FakeMeasurer();
        LatencyTable table = LatencyTableBuilder.with(device)
                .specs(List.of(variants.original()))
                .sampled(variants::grid, 300, 3)
                .progress(false)
                .build();
        TableLatencyModel model = TableLatencyModel.builder(table)
                .interpolation(Interpolation.CHANNELS)
                .build();
        SplittableRandom rng = new SplittableRandom(9);
        List<Double> errors = new ArrayList<>();
        int offGrid = 0;
        for (int i = 0; i < 30; i++) {
            NetworkSpec s = variants.any(rng);
            boolean missing = LayerKeys.of(s, 1).stream().anyMatch(k -> !table.contains(k.key()));
            offGrid += missing ? 1 : 0;
            double measured = device.measure(s, 1).medianMs();
            errors.add(Math.abs(model.predictMs(s) - measured) / measured);
        }
        assertThat(offGrid).as("variants with keys the table never measured").isGreaterThan(10);
        assertThat(errors.stream().filter(e -> e <= 0.10).count()).isGreaterThanOrEqualTo(29);
    }
}
