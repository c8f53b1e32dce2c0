package org.mobilenas.latency;

import static org.mobilenas.core.testing.Reliability.c;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.testing.Reliability;
import org.mobilenas.core.testing.Reliability.Case;
import org.mobilenas.latency.analytic.AnalyticLatencyModel;
import org.mobilenas.latency.measure.CommandLatencyMeasurer;
import org.mobilenas.latency.measure.FakeMeasurer;
import org.mobilenas.latency.measure.LatencyMeasurers;
import org.mobilenas.latency.table.DeviceCheck;
import org.mobilenas.latency.table.LatencyTable;
import org.mobilenas.latency.table.LatencyTableBuilder;
import org.mobilenas.latency.table.TableLatencyModel;

/** The latency module's reliability suite ({@link Reliability}): tables, models and measurers given bad input. */
class LatencyReliabilityTest {
    private static final Reliability HARNESS = new Reliability(Duration.ofSeconds(60));
    private static final Path TMP;
    private static final List<NetworkSpec> NETS = List.of(TestNets.mobile(8, 32), TestNets.shuffle(64));

    static {
        try {
            TMP = Files.createTempDirectory("mobilenas-latency-reliability");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String good() {
        return LatencyTableBuilder.with(new FakeMeasurer())
                .specs(NETS)
                .progress(false)
                .groupSize(2)
                .build()
                .toJson();
    }

    private static Path table(String name, String text) throws IOException {
        Path f = TMP.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    static List<Case> cases() {
        String good = good();
        List<Case> cs = new ArrayList<>();
        cs.add(c("table-file", "missing file", () -> LatencyTable.read(TMP.resolve("none.json")), "none.json"));
        cs.add(c("table-file", "a directory", () -> LatencyTable.read(TMP), TMP.toString()));
        cs.add(c(
                "table-file",
                "truncated",
                () -> LatencyTable.read(table("cut.json", good.substring(0, good.length() / 2))),
                "cut.json",
                "not valid JSON"));
        cs.add(c("table-file", "empty", () -> LatencyTable.read(table("empty.json", "")), "empty.json"));
        cs.add(c(
                "table-file",
                "a JSON array",
                () -> LatencyTable.read(table("array.json", "[1, 2]")),
                "array.json",
                "format"));
        cs.add(c(
                "table-file",
                "another format",
                () -> LatencyTable.read(
                        table("other.json", good.replace("mobile-nas/latency-table", "mobile-nas/network"))),
                "format 'mobile-nas/network'"));
        cs.add(c(
                "table-file",
                "future version",
                () -> LatencyTable.read(table("v7.json", good.replace("\"version\" : 3", "\"version\" : 7"))),
                "version 7"));
        cs.add(c(
                "table-file",
                "version 3.5",
                () -> LatencyTable.read(table("v25.json", good.replace("\"version\" : 3", "\"version\" : 3.5"))),
                "version"));
        cs.add(c(
                "table-file",
                "negative latency",
                () -> LatencyTable.read(table("neg.json", good.replaceFirst("\"ms\" : [0-9.Ee-]+", "\"ms\" : -1.0"))),
                "neg.json",
                "-1.0"));
        cs.add(c(
                "table-file",
                "latency as text",
                () -> LatencyTable.read(
                        table("text.json", good.replaceFirst("\"ms\" : [0-9.Ee-]+", "\"ms\" : \"fast\""))),
                "text.json"));
        cs.add(c(
                "table-file",
                "unknown field",
                () -> LatencyTable.read(table(
                        "field.json", good.replaceFirst("\"version\" : 3", "\"version\" : 3, \"colour\" : \"red\""))),
                "colour"));
        cs.add(c(
                "table-file",
                "trailing garbage",
                () -> LatencyTable.read(table("trail.json", good + "]")),
                "trail.json"));
        cs.add(c(
                "table-model",
                "a network with a layer the table lacks",
                () -> TableLatencyModel.of(LatencyTable.fromJson(good, "t")).predictMs(TestNets.mobile(24, 48)),
                "key"));
        cs.add(c(
                "table-model",
                "a table of another device under REFUSE",
                () -> TableLatencyModel.builder(LatencyTable.fromJson(good, "t"))
                        .device(new FakeMeasurer("other-phone", 1).device(), DeviceCheck.REFUSE)
                        .build(),
                "other-phone"));
        cs.add(c(
                "analytic",
                "missing model file",
                () -> AnalyticLatencyModel.read(TMP.resolve("fit.json")),
                "fit.json"));
        cs.add(c(
                "analytic",
                "a table file given as a model",
                () -> AnalyticLatencyModel.read(table("asfit.json", good)),
                "asfit.json"));
        cs.add(c("measurer", "unknown measurer name", () -> LatencyMeasurers.named("tpu9000"), "tpu9000"));
        cs.add(c(
                "measurer",
                "command that does not exist",
                () -> CommandLatencyMeasurer.builder(
                                List.of(TMP.resolve("no-such-bench").toString(), "{spec}"))
                        .build()
                        .measure(NETS.get(0), 1),
                "no-such-bench"));
        cs.add(c(
                "measurer",
                "command that prints no timing",
                () -> CommandLatencyMeasurer.builder(List.of("echo", "hello"))
                        .build()
                        .measure(NETS.get(0), 1),
                "echo"));
        cs.add(c(
                "measurer",
                "command that hangs past its timeout",
                () -> CommandLatencyMeasurer.builder(List.of("sleep", "30"))
                        .timeout(Duration.ofSeconds(1))
                        .build()
                        .measure(NETS.get(0), 1),
                "did not finish within"));
        cs.add(c("measurer", "empty command", () -> CommandLatencyMeasurer.builder(List.of()), "command"));
        cs.add(c("measurer", "batch size 0", () -> new FakeMeasurer().measure(NETS.get(0), 0), "batch"));
        cs.add(c(
                "builder",
                "no networks",
                () -> LatencyTableBuilder.with(new FakeMeasurer())
                        .specs(List.of())
                        .progress(false)
                        .build(),
                "no networks"));
        cs.add(c(
                "builder",
                "table file of another device",
                () -> {
                    Path f = TMP.resolve("dev.json");
                    LatencyTableBuilder.with(new FakeMeasurer())
                            .specs(NETS)
                            .progress(false)
                            .file(f)
                            .build();
                    return LatencyTableBuilder.with(new FakeMeasurer("other-phone", 1))
                            .specs(NETS)
                            .file(f)
                            .progress(false)
                            .build();
                },
                "other-phone"));
        return cs;
    }

    @TestFactory
    Stream<DynamicTest> everyBadInputEndsInAClearError() {
        return HARNESS.rows(cases());
    }

    @AfterAll
    static void counts() {
        System.out.println(HARNESS.counts("latency reliability suite"));
    }
}
