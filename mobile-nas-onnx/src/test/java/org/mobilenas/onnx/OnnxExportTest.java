package org.mobilenas.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilenas.core.engine.Model;
import org.mobilenas.core.engine.Network;
import org.mobilenas.core.engine.Param;
import org.mobilenas.core.engine.Tensor;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.testing.RandomSpecs;
import org.mobilenas.spaces.catalog.EfficientNets;
import org.mobilenas.spaces.catalog.MnasNets;
import org.mobilenas.spaces.catalog.MobileNets;
import org.mobilenas.spaces.catalog.ShuffleNets;

class OnnxExportTest {

    /** Every catalogue family at a small size: ONNX Runtime computes what the engine computes. */
    @Test
    void everyCatalogueFamilyRunsInOnnxRuntimeWithTheEnginesOutputs() {
        List<NetworkSpec> families = List.of(
                MobileNets.mobileNetV1(0.25, 64, 10),
                MobileNets.mobileNetV1Small(0.25, 32, 10),
                MobileNets.mobileNetV2(0.35, 64, 10),
                MobileNets.mobileNetV2Small(0.25, 32, 10).withInputChannels(1),
                MobileNets.mobileNetV3Large(0.35, 64, 10),
                MobileNets.mobileNetV3Small(0.5, 64, 10),
                ShuffleNets.shuffleNetV1(3, 0.5, 64, 10),
                ShuffleNets.shuffleNetV2(0.5, 64, 10),
                ShuffleNets.shuffleNetV2Small(0.5, 32, 10),
                MnasNets.mnasNetA1(0.35, 64, 10),
                MnasNets.mnasNetB1(0.35, 64, 10),
                EfficientNets.efficientNet(0, 64, 10),
                EfficientNets.tinyNet('e', 64, 10));
        for (NetworkSpec spec : families) {
            assertSameOutputs(spec, 3);
        }
    }

    /** Random networks of every block kind (every skip, SE, activation, group and pool variant they draw). */
    @Property(tries = 40)
    void randomNetworksOfEveryKindRunInOnnxRuntimeWithTheEnginesOutputs(
            @ForAll @IntRange(min = 0, max = 10_000) int seed, @ForAll @IntRange(min = 0, max = 6) int kind) {
        assertSameOutputs(RandomSpecs.of(seed, RandomSpecs.KINDS.get(kind)), 2);
    }

    @Test
    void aNonFiniteWeightIsRefusedNamingTheNodeAndNothingIsWritten(@TempDir Path dir) {
        Network net = Network.realize(MobileNets.mobileNetV2Small(0.25, 32, 10), 1);
        Param w = net.parameters().get("stages[2].blocks[1].dw.conv.weight");
        w.value()[3] = Float.NaN;
        Path file = dir.resolve("model.onnx");
        assertThatThrownBy(() -> OnnxExport.write(net, file))
                .isInstanceOf(OnnxExportException.class)
                .hasMessageContaining("node 'stages[2].blocks[1].dw.conv'")
                .hasMessageContaining("non-finite");
        assertThat(file).doesNotExist();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void theModelNamesItsInputAndOutputAndCarriesTheSpec(@TempDir Path dir) throws Exception {
        NetworkSpec spec = MobileNets.mobileNetV2Small(0.25, 28, 10).withInputChannels(1);
        Path file = dir.resolve("model.onnx");
        OnnxExport.write(Network.realize(spec, 2), file);
        byte[] bytes = Files.readAllBytes(file);
        String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(text)
                .contains(OnnxExport.INPUT, OnnxExport.OUTPUT, OnnxExport.SPEC_METADATA, spec.name(), "Conv", "Gemm");
        // batch norms are folded: no BatchNormalization node after a convolution
        assertThat(text).doesNotContain("BatchNormalization");
        try (OnnxRuntimeSession s = OnnxRuntimeSession.open(bytes, 1, "none")) {
            float[] out = s.run(new float[2 * 28 * 28], 2, 1, 28, 28);
            assertThat(out).hasSize(2 * 10);
        }
    }

    /** Realizes {@code spec}, gives its batch norms non-trivial statistics, and compares engine and runtime. */
    static void assertSameOutputs(NetworkSpec spec, int batch) {
        Network net = Network.realize(spec, 11);
        SplittableRandom rng = new SplittableRandom(spec.name().hashCode());
        for (Param p : net.parameters().all()) {
            float[] v = p.value();
            switch (p.role()) {
                case BN_RUNNING_MEAN, BN_BETA, BIAS -> fill(v, rng, -0.2, 0.2);
                case BN_RUNNING_VAR -> fill(v, rng, 0.5, 1.5);
                case BN_GAMMA -> fill(v, rng, 0.7, 1.3);
                default -> {}
            }
        }
        int c = spec.inputChannels();
        int r = spec.resolution();
        float[] nhwc = new float[batch * r * r * c];
        for (int i = 0; i < nhwc.length; i++) {
            nhwc[i] = (float) rng.nextGaussian();
        }
        float[] expected = net.forward(new Tensor(nhwc.clone(), batch, r, r, c), Model.Mode.EVAL)
                .data
                .clone();
        float[] nchw = new float[nhwc.length];
        for (int n = 0; n < batch; n++) {
            for (int y = 0; y < r; y++) {
                for (int x = 0; x < r; x++) {
                    for (int ch = 0; ch < c; ch++) {
                        nchw[((n * c + ch) * r + y) * r + x] = nhwc[((n * r + y) * r + x) * c + ch];
                    }
                }
            }
        }
        float[] actual;
        try (OnnxRuntimeSession s = OnnxRuntimeSession.open(OnnxExport.toBytes(net), 1, "all")) {
            actual = s.run(nchw, batch, c, r, r);
        }
        assertThat(actual).as(spec.name()).hasSameSizeAs(expected);
        double scale = 1e-3;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            assertThat(Math.abs(actual[i] - expected[i]) / scale)
                    .as(spec.name() + " logit " + i + ": engine " + expected[i] + ", onnxruntime " + actual[i])
                    .isLessThanOrEqualTo(1e-4);
        }
    }

    private static void fill(float[] v, SplittableRandom rng, double lo, double hi) {
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (lo + (hi - lo) * rng.nextDouble());
        }
    }
}
