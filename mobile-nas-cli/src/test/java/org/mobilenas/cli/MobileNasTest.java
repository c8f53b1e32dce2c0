package org.mobilenas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilenas.core.engine.Network;
import org.mobilenas.spaces.catalog.MobileNets;

class MobileNasTest {

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = MobileNas.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void helpOfTheToolAndOfEverySubcommand() {
        Run root = run("--help");
        assertThat(root.code()).isZero();
        assertThat(root.out()).contains("costs", "latency", "search", "adapt", "tiny", "ofa", "export");
        for (String[] sub : new String[][] {
            {"costs"},
            {"latency"},
            {"latency", "build"},
            {"latency", "fidelity"},
            {"search"},
            {"adapt"},
            {"tiny"},
            {"ofa"},
            {"proxy"},
            {"export"}
        }) {
            String[] args = java.util.Arrays.copyOf(sub, sub.length + 1);
            args[sub.length] = "--help";
            Run r = run(args);
            assertThat(r.code()).as(String.join(" ", sub)).isZero();
            assertThat(r.out()).as(String.join(" ", sub)).contains("Usage: mobile-nas " + String.join(" ", sub));
        }
        assertThat(run("search", "--help").out()).contains("--preset", "--out", "--data", "--parallel");
    }

    @Test
    void costsOfACatalogueNetworkAndClearErrors() {
        Run r = run("costs", "mobilenet_v2_1.0");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("mobilenet_v2_1.0 at 224 px").contains("MACs");
        assertThat(run("costs", "mobilenet_v2_1.0", "--json").out()).contains("\"macs\"");
        Run bad = run("costs", "mobilenet_v9");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("mobilenet_v9").contains("catalogue names");
        assertThat(run("costs").code()).isEqualTo(2);
        assertThat(run("frobnicate").code()).isEqualTo(2);
    }

    @Test
    void aSavedNetworkIsExportedToOnnx(@TempDir Path dir) throws Exception {
        Path saved = dir.resolve("net" + Network.FILE_EXTENSION);
        Network.realize(MobileNets.mobileNetV2(0.25, 32, 10, 2, 1), 1).save(saved);
        Path onnx = dir.resolve("net.onnx");
        Run r = run("export", saved.toString(), "--onnx", onnx.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.size(onnx)).isGreaterThan(10_000);
        assertThat(run("export", dir.resolve("none.mnas").toString(), "--onnx", onnx.toString())
                        .err())
                .contains("none.mnas");
    }

    @Test
    void aLatencyTableOfOneSmallNetwork(@TempDir Path dir) throws Exception {
        Path table = dir.resolve("t.json");
        Path spec = dir.resolve("small.json");
        org.mobilenas.core.json.SpecJson.write(MobileNets.mobileNetV2(0.25, 32, 10, 2, 1), spec);
        Run r = run("latency", "build", "--network", spec.toString(), "--measurer", "jvm", "--out", table.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("keys measured with jvm");
        assertThat(Files.readString(table)).contains("mobile-nas/latency-table");
        assertThat(run("latency", "build", "--out", table.toString()).err()).contains("--space or at least one");
    }
}
