package org.mobilenas.spaces.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.mobilenas.core.cost.Costs;
import org.mobilenas.core.engine.Model;
import org.mobilenas.core.engine.Network;
import org.mobilenas.core.engine.Tensor;
import org.mobilenas.core.spec.NetworkSpec;

class InferenceMemoryTest {
    /**
     * Batch-1 inference of MobileNetV2 at 224 px: the lean buffers stay within twice the cost model's peak
     * activation, and the first pass (which allocates them) allocates within twice the peak activation plus the
     * parameters; the whole-graph buffers of a training pass would be many times larger.
     */
    @Test
    void batchOneInferenceOfMobileNetV2FollowsTheCostModel() {
        NetworkSpec spec = MobileNets.mobileNetV2(1.0, 224, 1000);
        Costs costs = Costs.of(spec);
        Network net = Network.realize(spec, 1);
        long lean = net.inferenceBytes(1);
        long all = net.graph().nodes().stream()
                .mapToLong(n -> 4 * n.output().elements())
                .sum();
        System.out.printf(
                "mobilenet_v2_1.0 @224: cost-model peak activation %.1f MB, lean inference buffers %.1f MB, "
                        + "all node outputs %.1f MB, parameters %.1f MB%n",
                costs.peakActivationBytes() / 1e6, lean / 1e6, all / 1e6, 4.0 * costs.params() / 1e6);
        assertThat(lean).isLessThanOrEqualTo(2 * costs.peakActivationBytes());
        assertThat(all).isGreaterThan(4 * lean);

        Tensor x = new Tensor(1, 224, 224, 3);
        long b0 = usedAfterGc();
        Network.realize(spec, 2).forward(x, Model.Mode.EVAL);
        System.out.printf(
                "first network's first pass (classes, JIT, per-thread kernel scratch): %.1f MB kept%n",
                (usedAfterGc() - b0) / 1e6);
        long before = usedAfterGc();
        net.forward(x, Model.Mode.EVAL);
        long retained = usedAfterGc() - before;
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] allocated = new long[3];
        for (int pass = 0; pass < 3; pass++) {
            long a0 = threads.getCurrentThreadAllocatedBytes();
            net.forward(x, Model.Mode.EVAL);
            allocated[pass] = threads.getCurrentThreadAllocatedBytes() - a0;
        }
        System.out.printf(
                "heap kept after the first batch-1 pass %.1f MB; allocated per later pass %.1f / %.1f / %.1f MB%n",
                retained / 1e6, allocated[0] / 1e6, allocated[1] / 1e6, allocated[2] / 1e6);
        assertThat(retained).isLessThanOrEqualTo(2 * costs.peakActivationBytes());
    }

    /** The default evaluation batch (256) of a 0.35-width MobileNetV2 at 224 px completes in a 1 GB heap. */
    @Test
    void evaluationAt224PixelsFitsAOneGigabyteHeap() throws Exception {
        String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java")
                .toString();
        Process p = new ProcessBuilder(
                        javaBin,
                        "-Xmx1g",
                        "--add-modules",
                        "jdk.incubator.vector",
                        "-Dmobilenas.threads=2",
                        "-cp",
                        System.getProperty("java.class.path"),
                        EvaluateInSmallHeap.class.getName())
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
        System.out.print(output);
        assertThat(output).doesNotContain("OutOfMemoryError").contains("examples=256");
        assertThat(p.exitValue()).isZero();
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
