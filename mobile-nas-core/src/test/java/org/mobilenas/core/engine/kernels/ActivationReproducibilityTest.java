package org.mobilenas.core.engine.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mobilenas.core.spec.Activation;

/**
 * Sigmoid and swish give the same floats in a JVM that never compiles them ({@code -Xint}) as in this one, where
 * they are compiled: the Vector API's own {@code exp} rounds differently as a compiled intrinsic and as its
 * interpreted fallback, which made two runs of one training disagree.
 */
class ActivationReproducibilityTest {
    /** Forward and backward of sigmoid and swish on fixed inputs, as one hash of their bits. */
    static int fingerprint() {
        int n = 1000;
        float[] x = new float[n];
        float[] dy = new float[n];
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextDouble(-30, 30));
            dy[i] = (float) r.nextGaussian();
        }
        int h = 1;
        for (Activation act : new Activation[] {Activation.SIGMOID, Activation.SWISH}) {
            float[] y = new float[n];
            float[] dx = new float[n];
            Activations.forward(act, x, y, n);
            Activations.backward(act, x, dy, dx, false, n);
            for (int i = 0; i < n; i++) {
                h = 31 * (31 * h + Float.floatToRawIntBits(y[i])) + Float.floatToRawIntBits(dx[i]);
            }
        }
        return h;
    }

    /** Prints {@link #fingerprint()} (run in the child JVM). */
    public static void main(String[] args) {
        System.out.println(fingerprint());
    }

    @Test
    void interpretedAndCompiledActivationsAgreeToTheBit() throws IOException, InterruptedException {
        int here = 0;
        for (int i = 0; i < 2000; i++) {
            here = fingerprint(); // long enough for the JIT to compile the kernels
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xint");
        cmd.add("-Dmobilenas.threads=1");
        if (Gemm.vectorAvailable()) {
            cmd.add("--add-modules");
            cmd.add("jdk.incubator.vector");
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ActivationReproducibilityTest.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor()).isZero();
        assertThat(out).isEqualTo(Integer.toString(here));
    }
}
