package org.mobilenas.latency.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilenas.core.json.JsonFormatException;
import org.mobilenas.core.latency.LatencyPrediction;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.latency.LayerKey;
import org.mobilenas.latency.LayerKeys;
import org.mobilenas.latency.TestNets;
import org.mobilenas.latency.measure.DeviceInfo;
import org.mobilenas.latency.measure.FakeMeasurer;

class LatencyTableTest {
    private static final List<NetworkSpec> NETS =
            List.of(TestNets.mobile(8, 32), TestNets.mobile(16, 32), TestNets.shuffle(64));

    private static LatencyTable build(FakeMeasurer m) {
        return LatencyTableBuilder.with(m)
                .specs(NETS)
                .progress(false)
                .groupSize(3)
                .build();
    }

    @Test
    void predictionsOfAnAdditiveDeviceAreExact() {
        FakeMeasurer m = new FakeMeasurer();
        LatencyTable table = build(m);
        TableLatencyModel model = TableLatencyModel.of(table);
        // The fitted overhead is the device's fixed cost plus what probing leaves over (the classifier probe's
        // 2-class base layer), a few hundredths of a millisecond here.
        assertThat(table.overheadMs()).isCloseTo(FakeMeasurer.OVERHEAD_MS, within(0.05));
        assertThat(table.calibration()).hasSize(3);
        for (NetworkSpec s : NETS) {
            double exact = FakeMeasurer.latency(s);
            assertThat(model.predictMs(s)).isCloseTo(exact, within(0.005 * exact));
            LatencyPrediction p = model.predict(s, 1);
            assertThat(p.totalMs()).isCloseTo(model.predictMs(s), within(1e-12));
            assertThat(p.layers()).hasSize(LayerKeys.count(s));
            assertThat(p.layers().stream().mapToDouble(l -> l.ms()).sum() + p.overheadMs())
                    .isCloseTo(p.totalMs(), within(1e-9));
            assertThat(p.layers().get(0).layer()).isEqualTo("stem[0]");
        }
        assertThat(model.name()).isEqualTo("lut:fake-device");
    }

    @Test
    void eachKeyIsMeasuredOnce() {
        FakeMeasurer m = new FakeMeasurer();
        LatencyTableBuilder b = LatencyTableBuilder.with(m)
                .specs(NETS)
                .specs(NETS)
                .progress(false)
                .calibrationNetworks(0);
        int keys = b.keys().size();
        LatencyTable t = b.build();
        assertThat(t.size()).isEqualTo(keys);
        // one probe per key plus at most one base per key (bases shared by keys of one group are run once)
        assertThat(m.calls.get()).isLessThanOrEqualTo(2 * keys).isGreaterThan(keys);
    }

    @Test
    void anInterruptedBuildResumesWhereItStopped(@TempDir Path dir) {
        Path file = dir.resolve("t.json");
        FakeMeasurer failing = new FakeMeasurer("fake-device", 20);
        LatencyTableBuilder first = LatencyTableBuilder.with(failing)
                .specs(NETS)
                .file(file)
                .groupSize(2)
                .progress(false);
        int total = first.keys().size();
        assertThatThrownBy(first::build).hasMessage("device disconnected");
        LatencyTable partial = LatencyTable.read(file);
        assertThat(partial.size()).isPositive().isLessThan(total);

        FakeMeasurer again = new FakeMeasurer();
        LatencyTable done = LatencyTableBuilder.with(again)
                .specs(NETS)
                .file(file)
                .groupSize(2)
                .progress(false)
                .build();
        assertThat(done.size()).isEqualTo(total);
        assertThat(done.entries().subList(0, partial.size())).isEqualTo(partial.entries());
        assertThat(LatencyTable.read(file).entries()).isEqualTo(done.entries());
        int remeasured = again.calls.get();

        FakeMeasurer third = new FakeMeasurer();
        LatencyTableBuilder.with(third).specs(NETS).file(file).progress(false).build();
        assertThat(third.calls.get()).as("complete table: nothing measured").isZero();
        assertThat(remeasured).isLessThan(2 * total + NETS.size());
    }

    @Test
    void aTableOfAnotherDeviceIsRefusedOrWarnedAbout(@TempDir Path dir) {
        Path file = dir.resolve("t.json");
        build(new FakeMeasurer()).write(file);
        FakeMeasurer other = new FakeMeasurer("other-phone", Integer.MAX_VALUE);
        assertThatThrownBy(() -> LatencyTableBuilder.with(other)
                        .specs(NETS)
                        .file(file)
                        .progress(false)
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("fake-device")
                .hasMessageContaining("other-phone");

        LatencyTable table = LatencyTable.read(file);
        DeviceInfo current = other.device();
        assertThatThrownBy(() -> TableLatencyModel.builder(table)
                        .device(current, DeviceCheck.REFUSE)
                        .build())
                .hasMessageContaining("name 'fake-device' vs 'other-phone'");
        List<String> warnings = new ArrayList<>();
        TableLatencyModel warned = TableLatencyModel.builder(table)
                .device(current, DeviceCheck.WARN)
                .warnings(warnings::add)
                .build();
        assertThat(warnings).singleElement().asString().contains("other-phone");
        assertThat(warned.predictMs(NETS.get(0))).isPositive();
        TableLatencyModel.builder(table)
                .device(new FakeMeasurer().device(), DeviceCheck.REFUSE)
                .build();
    }

    @Test
    void jsonRoundTripKeepsEverything(@TempDir Path dir) throws Exception {
        LatencyTable t = build(new FakeMeasurer());
        Path file = dir.resolve("sub/t.json");
        t.write(file);
        LatencyTable back = LatencyTable.read(file);
        assertThat(back.entries()).isEqualTo(t.entries());
        assertThat(back.device()).isEqualTo(t.device());
        assertThat(back.overheadMs()).isEqualTo(t.overheadMs());
        assertThat(back.calibration()).isEqualTo(t.calibration());
        assertThat(Files.readString(file))
                .contains("\"format\" : \"mobile-nas/latency-table\"")
                .contains("\"version\" : 3")
                .contains("\"measurer\" : \"fake\"");
        try (var files = Files.list(file.getParent())) {
            assertThat(files.toList()).as("no temporary files left").containsExactly(file);
        }
    }

    @Test
    void corruptOrForeignFilesAreClearErrors(@TempDir Path dir) throws Exception {
        String good = build(new FakeMeasurer()).toJson();
        Path f = dir.resolve("t.json");
        Files.writeString(f, good.substring(0, good.length() / 2));
        assertThatThrownBy(() -> LatencyTable.read(f))
                .isInstanceOf(JsonFormatException.class)
                .hasMessageContaining("latency table " + f)
                .hasMessageContaining("not valid JSON");
        Files.writeString(f, good.replace("\"version\" : 3", "\"version\" : 7"));
        assertThatThrownBy(() -> LatencyTable.read(f)).hasMessageContaining("version 7, expected 2..3");
        Files.writeString(f, good.replace("\"version\" : 3", "\"version\" : 1"));
        assertThatThrownBy(() -> LatencyTable.read(f)).hasMessageContaining("measure the table again");
        Files.writeString(f, good.replace("mobile-nas/latency-table", "mobile-nas-latency-table"));
        assertThat(LatencyTable.read(f).entries())
                .as("the earlier format id is still read")
                .hasSize(build(new FakeMeasurer()).entries().size());
        Files.writeString(f, good.replace("mobile-nas/latency-table", "something-else"));
        assertThatThrownBy(() -> LatencyTable.read(f)).hasMessageContaining("format 'something-else'");
        Files.writeString(f, good.replaceFirst("\"ms\" : [0-9.Ee-]+", "\"ms\" : -1.0"));
        assertThatThrownBy(() -> LatencyTable.read(f)).hasMessageContaining("entry.ms -1.0");
        Files.writeString(f, good.replaceFirst("\"kernel\" : 3", "\"kernel\" : 3, \"colour\" : 1"));
        assertThatThrownBy(() -> LatencyTable.read(f)).hasMessageContaining("colour");
        Files.writeString(f, "[1, 2]");
        assertThatThrownBy(() -> LatencyTable.read(f)).hasMessageContaining("expected a JSON object");
    }

    @Test
    void aMissingKeyNamesTheKeyAndTheLayer() {
        LatencyTable t = LatencyTableBuilder.with(new FakeMeasurer())
                .specs(List.of(TestNets.mobile(8, 32)))
                .progress(false)
                .build();
        TableLatencyModel strict = TableLatencyModel.of(t);
        NetworkSpec unknown = TestNets.shuffle(64);
        assertThatThrownBy(() -> strict.predictMs(unknown))
                .isInstanceOf(MissingLatencyKeyException.class)
                .hasMessageContaining("no latency for key [conv b1 64x64x3->24 k3 s2 g1 relu v1] of layer stem[0]")
                .hasMessageContaining("interpolation is off");
        TableLatencyModel interp = TableLatencyModel.builder(t)
                .interpolation(Interpolation.CHANNELS)
                .build();
        assertThatThrownBy(() -> interp.predict(unknown, 1))
                .isInstanceOf(MissingLatencyKeyException.class)
                .hasMessageContaining("no entry that differs from it only in channels");
    }

    @Test
    void missingWidthsAreInterpolatedOverChannels() {
        List<NetworkSpec> known = List.of(TestNets.mobile(8, 32), TestNets.mobile(16, 32), TestNets.mobile(32, 32));
        LatencyTable t = LatencyTableBuilder.with(new FakeMeasurer())
                .specs(known)
                .progress(false)
                .build();
        TableLatencyModel model = TableLatencyModel.builder(t)
                .interpolation(Interpolation.CHANNELS)
                .build();
        for (int width : new int[] {12, 24, 40}) {
            NetworkSpec s = TestNets.mobile(width, 32);
            double exact = FakeMeasurer.latency(s);
            assertThat(model.predictMs(s)).as("width " + width).isCloseTo(exact, within(0.1 * exact));
            assertThat(model.predictMs(s)).as("cached").isEqualTo(model.predictMs(s));
        }
        // monotone in channels between known widths
        assertThat(model.predictMs(TestNets.mobile(12, 32)))
                .isBetween(model.predictMs(known.get(0)), model.predictMs(known.get(1)));
    }

    private static LayerKey separable(int in, int out) {
        return new LayerKey(
                org.mobilenas.latency.LayerKind.SEPARABLE,
                1,
                14,
                14,
                in,
                out,
                3,
                1,
                0,
                1,
                0,
                org.mobilenas.core.spec.Activation.RELU,
                org.mobilenas.core.spec.Activation.RELU,
                org.mobilenas.core.spec.Activation.NONE,
                org.mobilenas.core.spec.Skip.NONE,
                0);
    }

    /** A depthwise part linear in the input width plus a pointwise part in the product of both widths. */
    private static double bilinearCost(int in, int out) {
        return 0.01 + 0.002 * in + 0.0001 * in * out;
    }

    /**
     * On a grid of input and output widths (a layer-wise table), an off-grid key is interpolated between the four
     * grid corners around it, exact for a cost of the depthwise-plus-pointwise form; with a corner missing the
     * model falls back to interpolating in work.
     */
    @Test
    void offGridWidthsAreInterpolatedBetweenTheirGridCorners() {
        int[] grid = {8, 24, 48, 64};
        List<LatencyTable.Entry> entries = new ArrayList<>();
        for (int in : grid) {
            for (int out : grid) {
                entries.add(LatencyTable.Entry.of(separable(in, out), bilinearCost(in, out)));
            }
        }
        DeviceInfo device = new FakeMeasurer().device();
        TableLatencyModel model = TableLatencyModel.builder(LatencyTable.of(device, entries, 0))
                .interpolation(Interpolation.CHANNELS)
                .build();
        for (int[] q : new int[][] {{16, 56}, {40, 8}, {24, 30}, {63, 9}}) {
            assertThat(model.layerMs(separable(q[0], q[1])))
                    .as("in %d out %d", q[0], q[1])
                    .isCloseTo(bilinearCost(q[0], q[1]), within(1e-12));
        }
        entries.removeIf(e -> e.key().equals(separable(24, 64)));
        TableLatencyModel holed = TableLatencyModel.builder(LatencyTable.of(device, entries, 0))
                .interpolation(Interpolation.CHANNELS)
                .build();
        double fallback = holed.layerMs(separable(16, 56));
        assertThat(fallback).isPositive().isNotCloseTo(bilinearCost(16, 56), within(1e-9));
    }

    @Test
    void interpolationIsPiecewiseLinearAndProportionalOutside() {
        double[][] pts = {{10, 1}, {20, 3}, {40, 4}};
        assertThat(TableLatencyModel.interpolate(pts, 15)).isCloseTo(2, within(1e-12));
        assertThat(TableLatencyModel.interpolate(pts, 30)).isCloseTo(3.5, within(1e-12));
        assertThat(TableLatencyModel.interpolate(pts, 20)).isCloseTo(3, within(1e-12));
        assertThat(TableLatencyModel.interpolate(pts, 5)).isCloseTo(0.5, within(1e-12));
        assertThat(TableLatencyModel.interpolate(pts, 80)).isCloseTo(8, within(1e-12));
    }

    @Test
    void theSpaceIsSampledUntilNoNewKeysAppear() {
        var space = TestNets.tinySpace(32);
        LatencyTableBuilder b = LatencyTableBuilder.with(new FakeMeasurer())
                .space(space, 2000, 1)
                .progress(false);
        List<LayerKey> keys = b.keys();
        LatencyTable t = b.build();
        TableLatencyModel strict = TableLatencyModel.of(t);
        for (NetworkSpec s : TestNets.samples(space, 50, 99)) {
            assertThat(strict.predictMs(s)).isCloseTo(FakeMeasurer.latency(s), within(0.005 * FakeMeasurer.latency(s)));
        }
        assertThat(t.size()).isEqualTo(keys.size());
    }

    @Test
    void scaleAndOverheadAreFittedToEndToEndMeasurements() {
        LatencyTable empty = LatencyTable.empty(new FakeMeasurer().device());
        List<LatencyTable.Calibration> affine = List.of(
                new LatencyTable.Calibration("a", 0.9 * 10 + 0.2, 10),
                new LatencyTable.Calibration("b", 0.9 * 20 + 0.2, 20),
                new LatencyTable.Calibration("c", 0.9 * 40 + 0.2, 40));
        LatencyTable t = LatencyTableBuilder.fitCalibration(empty, affine);
        assertThat(t.scale()).isCloseTo(0.9, within(1e-9));
        assertThat(t.overheadMs()).isCloseTo(0.2, within(1e-9));
        assertThat(t.calibration()).isEqualTo(affine);
        // networks slowing down more than in proportion: a negative overhead, the line from the smallest one up
        List<LatencyTable.Calibration> superLinear =
                List.of(new LatencyTable.Calibration("a", 8, 10), new LatencyTable.Calibration("b", 17, 20));
        LatencyTable steep = LatencyTableBuilder.fitCalibration(empty, superLinear);
        assertThat(steep.scale()).isCloseTo(0.9, within(1e-9));
        assertThat(steep.overheadMs()).isCloseTo(-1, within(1e-9));
        assertThat(steep.calibratedMs(20)).isCloseTo(17, within(1e-9));
        assertThat(steep.calibratedMs(10)).isCloseTo(8, within(1e-9));
        // below the smallest calibration network: in proportion (0.8 ms per ms of layers), never negative
        assertThat(steep.calibratedMs(5)).isCloseTo(4, within(1e-9));
        assertThat(steep.calibratedMs(0)).isZero();
        // one network: through 0, on its ratio
        LatencyTable through0 =
                LatencyTableBuilder.fitCalibration(empty, List.of(new LatencyTable.Calibration("a", 8, 10)));
        assertThat(through0.overheadMs()).isZero();
        assertThat(through0.scale()).isCloseTo(0.8, within(1e-12));
        LatencyTable.Entry e = LatencyTable.Entry.of(TestNetsKeys.first(), 2.0);
        TableLatencyModel m = TableLatencyModel.of(t.withAll(List.of(e)));
        assertThat(m.layerMs(e.key())).isEqualTo(2.0);
    }

    @Test
    void theCalibrationFollowsRelativeErrorsSoThatSmallNetworksAreFittedToo() {
        // networks that run 3-22 % slower than their layers' sum, more the larger they are: a plain least-squares
        // line through 0 follows the large ones and leaves the smallest more than 10 % off
        List<LatencyTable.Calibration> family = new ArrayList<>();
        double[] layers = {1, 1.5, 2, 3, 5, 8, 12, 16};
        for (int i = 0; i < layers.length; i++) {
            double slowdown = 1.03 + 0.19 * i / (layers.length - 1);
            family.add(new LatencyTable.Calibration("n" + i, layers[i] * slowdown, layers[i]));
        }
        LatencyTable t = LatencyTableBuilder.fitCalibration(LatencyTable.empty(new FakeMeasurer().device()), family);
        double worst = 0;
        for (LatencyTable.Calibration c : family) {
            double predicted = t.scale() * c.layersMs() + t.overheadMs();
            worst = Math.max(worst, Math.abs(predicted - c.measuredMs()) / c.measuredMs());
        }
        double sxy = 0;
        double sxx = 0;
        for (LatencyTable.Calibration c : family) {
            sxy += c.layersMs() * c.measuredMs();
            sxx += c.layersMs() * c.layersMs();
        }
        LatencyTable.Calibration smallest = family.get(0);
        double plain = sxy / sxx * smallest.layersMs();
        assertThat(Math.abs(plain - smallest.measuredMs()) / smallest.measuredMs())
                .isGreaterThan(0.10);
        assertThat(worst).isLessThan(0.10);
    }

    @Test
    void calibrationNetworksAreSpreadOverTheCandidatesRange() {
        FakeMeasurer m = new FakeMeasurer();
        List<NetworkSpec> candidates = new ArrayList<>();
        for (int width = 8; width <= 64; width += 8) {
            candidates.add(TestNets.mobile(width, 32).withName("candidate-" + width));
        }
        LatencyTable t = LatencyTableBuilder.with(m)
                .specs(candidates)
                .calibrationSpecs(candidates)
                .calibrationNetworks(3)
                .progress(false)
                .build();
        // the smallest, the largest and the middle rank (of 8: the fifth)
        assertThat(t.calibration())
                .extracting(LatencyTable.Calibration::network)
                .containsExactlyInAnyOrder("candidate-8", "candidate-40", "candidate-64");
    }

    @Test
    void aNegativeOverheadIsSpreadOverTheLayersAndSurvivesTheFile(@TempDir Path dir) {
        FakeMeasurer m = new FakeMeasurer();
        LatencyTable built = build(m);
        TableLatencyModel unscaled = TableLatencyModel.of(built.withCalibration(1, 0, List.of()));
        double[] sums = NETS.stream().mapToDouble(s -> unscaled.predictMs(s)).toArray();
        double smallest = java.util.Arrays.stream(sums).min().orElseThrow();
        List<LatencyTable.Calibration> cal = new ArrayList<>();
        for (int i = 0; i < NETS.size(); i++) {
            cal.add(new LatencyTable.Calibration(NETS.get(i).name(), 1.2 * sums[i] - 0.1 * smallest, sums[i]));
        }
        LatencyTable t = built.withCalibration(1.2, -0.1 * smallest, cal);
        TableLatencyModel model = TableLatencyModel.of(t);
        for (int i = 0; i < NETS.size(); i++) {
            LatencyPrediction p = model.predict(NETS.get(i), 1);
            assertThat(p.totalMs()).isCloseTo(1.2 * sums[i] - 0.1 * smallest, within(1e-9));
            assertThat(model.predictMs(NETS.get(i))).isCloseTo(p.totalMs(), within(1e-12));
            assertThat(p.overheadMs()).isZero();
            assertThat(p.layers().stream().mapToDouble(l -> l.ms()).sum()).isCloseTo(p.totalMs(), within(1e-9));
        }
        Path file = dir.resolve("t.json");
        t.write(file);
        LatencyTable back = LatencyTable.read(file);
        assertThat(back.overheadMs()).isEqualTo(t.overheadMs());
        assertThat(back.calibratedMs(0.5 * smallest)).isEqualTo(t.calibratedMs(0.5 * smallest));

        assertThatThrownBy(() -> built.withCalibration(1.2, -0.1, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("overheadMs -0.1")
                .hasMessageContaining("calibration");
        assertThatThrownBy(() -> built.withCalibration(1.0, -2 * smallest, cal))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected a positive latency");
    }

    @Test
    void versionTwoTablesAreStillRead(@TempDir Path dir) throws Exception {
        LatencyTable t = build(new FakeMeasurer());
        Path file = dir.resolve("v2.json");
        Files.writeString(file, t.toJson().replace("\"version\" : 3", "\"version\" : 2"));
        LatencyTable back = LatencyTable.read(file);
        assertThat(back.entries()).isEqualTo(t.entries());
        assertThat(back.overheadMs()).isEqualTo(t.overheadMs());
    }

    /** The first key of a small network. */
    private static final class TestNetsKeys {
        static LayerKey first() {
            return LayerKeys.of(TestNets.mobile(8, 32), 1).get(0).key();
        }
    }

    @Test
    void badOptionsAreNamed() {
        var b = LatencyTableBuilder.with(new FakeMeasurer());
        assertThatThrownBy(() -> b.groupSize(0)).hasMessage("groupSize 0 must be >= 1");
        assertThatThrownBy(() -> b.batchSize(0)).hasMessage("batchSize 0 must be >= 1");
        assertThatThrownBy(() -> b.space(TestNets.tinySpace(32), 0, 1)).hasMessage("maxSamples 0 must be >= 1");
    }
}
