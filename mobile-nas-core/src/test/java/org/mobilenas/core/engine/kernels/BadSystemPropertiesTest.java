package org.mobilenas.core.engine.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Bad engine properties are reported by name and the defaults used; the JVM never fails to initialise. */
class BadSystemPropertiesTest {
    /** Prints the engine's thread count and GEMM. */
    public static void main(String[] args) {
        System.out.println(
                "threads=" + Parallel.threads() + " gemm=" + Gemm.defaultGemm().name());
    }

    private static String run(String... props) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(
                System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "-cp",
                System.getProperty("java.class.path")));
        cmd.addAll(List.of(props));
        cmd.add(BadSystemPropertiesTest.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("child JVM did not finish");
        }
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void absurdThreadCountAndUnknownGemmAreReportedAndReplacedByDefaults() throws Exception {
        String out = run("-Dmobilenas.threads=100000", "-Dmobilenas.gemm=bogus");
        assertThat(out).doesNotContain("ExceptionInInitializerError");
        assertThat(out).contains("mobilenas.threads=100000: expected an integer 1..256");
        assertThat(out).contains("mobilenas.gemm=bogus cannot be used").contains("not in [vector, java, nd4j, auto]");
        assertThat(out).containsPattern("threads=\\d+ gemm=(java|vector)");
        assertThat(run("-Dmobilenas.threads=1")).contains("threads=1 ");
    }
}
