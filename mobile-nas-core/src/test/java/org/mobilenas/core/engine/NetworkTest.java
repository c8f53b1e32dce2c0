package org.mobilenas.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilenas.core.cost.Costs;
import org.mobilenas.core.engine.kernels.Gemm;
import org.mobilenas.core.spec.Activation;
import org.mobilenas.core.spec.BlockSpec;
import org.mobilenas.core.spec.ClassifierSpec;
import org.mobilenas.core.spec.ConvBlock;
import org.mobilenas.core.spec.GlobalPoolBlock;
import org.mobilenas.core.spec.MBConvBlock;
import org.mobilenas.core.spec.MakeDivisible;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.spec.ShuffleV1Block;
import org.mobilenas.core.spec.ShuffleV2Block;
import org.mobilenas.core.spec.Skip;
import org.mobilenas.core.spec.SqueezeExcite;
import org.mobilenas.core.spec.StageSpec;

class NetworkTest {

    /** MobileNetV2's layout (first four rows of the table) at a small width and resolution. */
    static NetworkSpec smallMobileNetV2(double width, int resolution, int classes) {
        int[][] rows = {{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 2, 2}};
        int in = MakeDivisible.of8(32 * width);
        int stem = in;
        List<StageSpec> stages = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            int c = MakeDivisible.of8(rows[i][1] * width);
            List<BlockSpec> blocks = new ArrayList<>();
            for (int k = 0; k < rows[i][2]; k++) {
                int s = k == 0 ? rows[i][3] : 1;
                blocks.add(MBConvBlock.of(c, 3, s, rows[i][0], Activation.RELU6)
                        .withSkip(s == 1 && in == c ? Skip.IDENTITY : Skip.NONE));
                in = c;
            }
            stages.add(new StageSpec("stage" + i, blocks));
        }
        return new NetworkSpec(
                "mbv2-small",
                resolution,
                3,
                List.of(ConvBlock.of(stem, 3, 2, Activation.RELU6)),
                stages,
                List.of(ConvBlock.of(128, 1, 1, Activation.RELU6), GlobalPoolBlock.avg()),
                ClassifierSpec.of(classes, 0.2));
    }

    /** SE, h-swish, swish, channel split/concat/shuffle, grouped convs and residuals; no dropout. */
    static NetworkSpec mixed(int classes) {
        return NetworkSpec.builder("mixed", 12, 3)
                .stem(ConvBlock.of(8, 3, 1, Activation.HSWISH))
                .stage(
                        "se",
                        new MBConvBlock(
                                8, 3, 1, 3, 0, SqueezeExcite.efficientNet(0.25), Activation.SWISH, Skip.IDENTITY))
                .stage("v2", new ShuffleV2Block(16, 2, 3), new ShuffleV2Block(16, 1, 5))
                .stage(
                        "v1",
                        new ShuffleV1Block(16, 1, 2, true, 4, 3),
                        new MBConvBlock(16, 5, 1, 2, 0, SqueezeExcite.mobileNetV3(), Activation.HSWISH, Skip.IDENTITY))
                .head(GlobalPoolBlock.avg())
                .classifier(new ClassifierSpec(classes, 0.0, true))
                .build();
    }

    /** A shallow net for the finite-difference check: SE, h-swish, split/concat/shuffle, grouped 1x1, residuals. */
    static NetworkSpec gradientCheck(int classes) {
        return NetworkSpec.builder("gradient-check", 8, 3)
                .stem(ConvBlock.of(8, 3, 1, Activation.HSWISH))
                .stage(
                        "se",
                        new MBConvBlock(
                                8, 3, 1, 3, 0, SqueezeExcite.efficientNet(0.25), Activation.HSWISH, Skip.IDENTITY))
                .stage("v2", new ShuffleV2Block(16, 2, 3), new ShuffleV2Block(16, 1, 3))
                .stage("v1", new ShuffleV1Block(16, 1, 2, true, 4, 3))
                .head(GlobalPoolBlock.avg())
                .classifier(new ClassifierSpec(classes, 0.0, true))
                .build();
    }

    static Tensor randomInput(int n, NetworkSpec spec, long seed) {
        Tensor x = new Tensor(n, spec.resolution(), spec.resolution(), spec.inputChannels());
        Random r = new Random(seed);
        for (int i = 0; i < x.size(); i++) {
            x.data[i] = (float) r.nextGaussian();
        }
        return x;
    }

    @Test
    void mobileNetV2LikeSpecGivesFiniteLogitsAndMatchingParameterCount() {
        NetworkSpec spec = smallMobileNetV2(0.5, 32, 10);
        Network net = Network.realize(spec, 1);
        assertThat(net.parameters().trainableCount()).isEqualTo(Costs.of(spec).params());
        Tensor x = randomInput(3, spec, 2);
        for (Model.Mode mode : Model.Mode.values()) {
            Tensor logits = net.forward(x, mode);
            assertThat(new int[] {logits.n, logits.h, logits.w, logits.c}).containsExactly(3, 1, 1, 10);
            for (int i = 0; i < logits.size(); i++) {
                assertThat(Float.isFinite(logits.data[i])).as(mode.toString()).isTrue();
            }
        }
        assertThat(net.parameters().get("stages[1].blocks[0].dw.bn.gamma").shape())
                .containsExactly(48);
        assertThat(net.parameters().get("stages[1].blocks[0].dw.conv.weight").shape())
                .containsExactly(48, 3, 3, 1);
        assertThat(net.parameters()
                        .get("stages[1].blocks[0].expand.conv.weight")
                        .shape())
                .containsExactly(48, 1, 1, 8);
        assertThat(net.parameters().get("classifier.fc.weight").shape()).containsExactly(10, 128);
    }

    @Test
    void initialisationFollowsTorchvision() {
        Network net = Network.realize(smallMobileNetV2(1.0, 32, 10), 3);
        Param w = net.parameters().get("head[0].conv.weight");
        assertThat(std(w.value())).isCloseTo(Math.sqrt(2.0 / 128), org.assertj.core.data.Offset.offset(0.01));
        assertThat(std(net.parameters().get("classifier.fc.weight").value()))
                .isCloseTo(0.01, org.assertj.core.data.Offset.offset(0.001));
        assertThat(net.parameters().get("classifier.fc.bias").value()).containsOnly(0f);
        assertThat(net.parameters().get("stem[0].bn.gamma").value()).containsOnly(1f);
        assertThat(net.parameters().get("stem[0].bn.beta").value()).containsOnly(0f);
        assertThat(net.parameters().get("stem[0].bn.running_mean").value()).containsOnly(0f);
        assertThat(net.parameters().get("stem[0].bn.running_var").value()).containsOnly(1f);
    }

    private static double std(float[] v) {
        double s = 0;
        double q = 0;
        for (float f : v) {
            s += f;
            q += f * (double) f;
        }
        double m = s / v.length;
        return Math.sqrt(q / v.length - m * m);
    }

    @Test
    void sameSeedGivesIdenticalOutputsAndGradients() {
        NetworkSpec spec = smallMobileNetV2(0.5, 16, 5);
        Tensor x = randomInput(4, spec, 9);
        Network a = Network.realize(spec, 11);
        Network b = Network.realize(spec, 11);
        Tensor la = a.forward(x, Model.Mode.TRAIN);
        Tensor lb = b.forward(x, Model.Mode.TRAIN);
        assertThat(la.data).containsExactly(lb.data);
        a.backward(la);
        b.backward(lb);
        for (Param p : a.parameters().trainable()) {
            assertThat(p.grad())
                    .as(p.name())
                    .containsExactly(b.parameters().get(p.name()).grad());
        }
        Network c = Network.realize(spec, 12);
        assertThat(c.parameters().get("stem[0].conv.weight").value())
                .isNotEqualTo(a.parameters().get("stem[0].conv.weight").value());
    }

    @Test
    void dropoutIsSeededAndOnlyActiveInTraining() {
        NetworkSpec spec = smallMobileNetV2(0.5, 16, 5);
        Tensor x = randomInput(4, spec, 9);
        Network net = Network.realize(spec, 1);
        net.seed(5);
        float[] t1 = net.forward(x, Model.Mode.TRAIN).data;
        float[] t2 = net.forward(x, Model.Mode.TRAIN).data;
        net.seed(5);
        float[] t3 = net.forward(x, Model.Mode.TRAIN).data;
        assertThat(t1).containsExactly(t3);
        assertThat(t1).isNotEqualTo(t2);
        assertThat(net.forward(x, Model.Mode.EVAL).data).containsExactly(net.forward(x, Model.Mode.EVAL).data);
    }

    @Test
    void fusedBatchNormActivationMatchesTheUnfusedNetwork() {
        NetworkSpec spec = smallMobileNetV2(0.5, 16, 10);
        Network fused = Network.builder(spec).seed(3).fuse(true).build();
        Network plain = Network.builder(spec).seed(3).fuse(false).build();
        Tensor x = randomInput(4, spec, 21);
        for (int step = 0; step < 2; step++) {
            Tensor a = fused.forward(x, Model.Mode.TRAIN);
            Tensor b = plain.forward(x, Model.Mode.TRAIN);
            assertThat(Reference.relativeError(a.data, Reference.toDouble(b.data)))
                    .isLessThan(1e-5);
            Tensor g = new Tensor(4, 1, 1, a.c);
            Random r = new Random(22 + step);
            for (int i = 0; i < g.size(); i++) {
                g.data[i] = (float) r.nextGaussian();
            }
            fused.parameters().zeroGrad();
            plain.parameters().zeroGrad();
            fused.backward(g);
            plain.backward(g);
            for (Param p : fused.parameters().trainable()) {
                assertThat(Reference.relativeError(
                                p.grad(),
                                Reference.toDouble(
                                        plain.parameters().get(p.name()).grad())))
                        .as(p.name())
                        .isLessThan(1e-4);
            }
        }
        assertThat(Reference.relativeError(
                        fused.forward(x, Model.Mode.EVAL).data,
                        Reference.toDouble(plain.forward(x, Model.Mode.EVAL).data)))
                .isLessThan(1e-5);
    }

    @Test
    void gemmImplementationsAgree() {
        NetworkSpec spec = mixed(4);
        Tensor x = randomInput(3, spec, 4);
        Tensor a = Network.builder(spec).seed(2).gemm(Gemm.java()).build().forward(x, Model.Mode.TRAIN);
        Tensor b = Network.builder(spec).seed(2).gemm(Gemm.nd4j()).build().forward(x, Model.Mode.TRAIN);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.data[i]).isCloseTo(b.data[i], org.assertj.core.data.Offset.offset(1e-4f));
        }
    }

    /**
     * Finite-difference check of the whole network: for every parameter tensor, the directional derivative of
     * {@code L = sum(r * logits)} along a random direction matches the back-propagated gradient.
     */
    @Test
    void wholeNetworkGradientMatchesFiniteDifferences() {
        NetworkSpec spec = gradientCheck(5);
        Network net = Network.builder(spec).seed(21).gemm(Gemm.java()).build();
        // make logits O(1) so float rounding stays far below the differences measured
        for (float[] w = net.parameters().get("classifier.fc.weight").value(); w != null; w = null) {
            for (int i = 0; i < w.length; i++) {
                w[i] *= 100;
            }
        }
        // ReLU and ReLU6 inputs are moved away from their kinks (BN beta 3), so finite differences see a smooth
        // function; BNs feeding smooth activations keep beta 0 (h-swish has its kinks at +-3)
        for (org.mobilenas.core.graph.Node node : net.graph().nodes()) {
            if (node.op() instanceof org.mobilenas.core.graph.Op.BatchNorm) {
                boolean smoothNext = net.graph().consumers(node.id()).stream()
                        .map(id -> net.graph().node(id).op())
                        .anyMatch(op -> op instanceof org.mobilenas.core.graph.Op.Act a
                                && a.activation() != Activation.RELU
                                && a.activation() != Activation.RELU6);
                if (!smoothNext) {
                    java.util.Arrays.fill(
                            net.parameters().get(node.name() + ".beta").value(), 3f);
                }
            }
        }
        Tensor x = randomInput(4, spec, 22);
        Random r = new Random(23);
        Tensor dl = new Tensor(4, 1, 1, 5);
        for (int i = 0; i < dl.size(); i++) {
            dl.data[i] = (float) r.nextGaussian();
        }
        net.parameters().zeroGrad();
        net.forward(x, Model.Mode.TRAIN);
        net.backward(dl);
        int checked = 0;
        for (Param p : net.parameters().trainable()) {
            float[] v = new float[p.size()];
            double norm = 0;
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) r.nextGaussian();
                norm += v[i] * (double) v[i];
            }
            double analytic = 0;
            for (int i = 0; i < v.length; i++) {
                v[i] /= (float) Math.sqrt(norm);
                analytic += p.grad()[i] * (double) v[i];
            }
            // central differences at eps and eps/2 combined by Richardson extrapolation (error O(eps^4))
            double eps = 1e-2;
            float[] orig = p.value().clone();
            double wide = centralDifference(net, p, orig, v, eps, x, dl);
            double narrow = centralDifference(net, p, orig, v, eps / 2, x, dl);
            p.set(orig);
            double numeric = (4 * narrow - wide) / 3;
            assertThat(Math.abs(numeric - analytic))
                    .as("%s: analytic %s numeric %s", p.name(), analytic, numeric)
                    .isLessThanOrEqualTo(5e-2 * Math.max(Math.abs(analytic), Math.abs(numeric)) + 1e-2);
            checked++;
        }
        assertThat(checked).isEqualTo(net.parameters().trainable().size()).isGreaterThan(40);
    }

    private static double centralDifference(
            Network net, Param p, float[] orig, float[] v, double eps, Tensor x, Tensor dl) {
        shift(p, orig, v, eps);
        double plus = loss(net.forward(x, Model.Mode.TRAIN), dl);
        shift(p, orig, v, -eps);
        double minus = loss(net.forward(x, Model.Mode.TRAIN), dl);
        return (plus - minus) / (2 * eps);
    }

    private static void shift(Param p, float[] orig, float[] v, double eps) {
        float[] t = new float[orig.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = (float) (orig[i] + eps * v[i]);
        }
        p.set(t);
    }

    private static double loss(Tensor logits, Tensor r) {
        double s = 0;
        for (int i = 0; i < logits.size(); i++) {
            s += logits.data[i] * (double) r.data[i];
        }
        return s;
    }

    /** Mean softmax cross-entropy; writes d(loss)/d(logits) into {@code grad}. */
    static double softmaxCrossEntropy(Tensor logits, int[] labels, Tensor grad) {
        int n = logits.n;
        int c = logits.c;
        double total = 0;
        for (int b = 0; b < n; b++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                max = Math.max(max, logits.data[b * c + j]);
            }
            double sum = 0;
            for (int j = 0; j < c; j++) {
                sum += Math.exp(logits.data[b * c + j] - max);
            }
            for (int j = 0; j < c; j++) {
                double pj = Math.exp(logits.data[b * c + j] - max) / sum;
                grad.data[b * c + j] = (float) ((pj - (j == labels[b] ? 1 : 0)) / n);
            }
            total += -(logits.data[b * c + labels[b]] - max - Math.log(sum));
        }
        return total / n;
    }

    @Test
    void lossFallsUnderPlainSgd() {
        NetworkSpec spec = NetworkSpec.builder("tiny", 8, 1)
                .stem(ConvBlock.of(8, 3, 1, Activation.RELU))
                .stage("s", MBConvBlock.of(16, 3, 2, 2, Activation.HSWISH))
                .head(GlobalPoolBlock.avg())
                .classifier(new ClassifierSpec(2, 0.0, true))
                .build();
        Network net = Network.realize(spec, 3);
        int n = 16;
        Tensor x = new Tensor(n, 8, 8, 1);
        int[] labels = new int[n];
        Random r = new Random(4);
        for (int b = 0; b < n; b++) {
            labels[b] = b % 2;
            for (int y = 0; y < 8; y++) {
                for (int xx = 0; xx < 8; xx++) {
                    boolean bright = labels[b] == 0 ? y < 4 : y >= 4;
                    x.set(b, y, xx, 0, (bright ? 1f : -1f) + 0.3f * (float) r.nextGaussian());
                }
            }
        }
        Tensor grad = new Tensor(n, 1, 1, 2);
        double first = 0;
        double lastLoss = 0;
        for (int step = 0; step < 25; step++) {
            net.parameters().zeroGrad();
            Tensor logits = net.forward(x, Model.Mode.TRAIN);
            lastLoss = softmaxCrossEntropy(logits, labels, grad);
            if (step == 0) {
                first = lastLoss;
            }
            net.backward(grad);
            for (Param p : net.parameters().trainable()) {
                float[] v = p.value();
                float[] g = p.grad();
                for (int i = 0; i < v.length; i++) {
                    v[i] -= 0.2f * g[i];
                }
            }
        }
        assertThat(first).isCloseTo(Math.log(2), org.assertj.core.data.Offset.offset(0.05));
        assertThat(lastLoss).isLessThan(0.5 * first);
    }

    @Test
    void batchNormRunningStatisticsFollowPyTorch() {
        NetworkSpec spec = smallMobileNetV2(0.5, 16, 5);
        // unfused, so that the batch norm's own output (before ReLU6) can be inspected
        Network net = Network.builder(spec).seed(1).fuse(false).build();
        Tensor x = randomInput(4, spec, 2);
        net.forward(x, Model.Mode.TRAIN);
        Tensor conv = net.activation("stem[0].conv");
        int c = conv.c;
        int rows = conv.n * conv.h * conv.w;
        double[] mean = new double[c];
        double[] var = new double[c];
        stats(conv, mean, var);
        float[] rm = net.parameters().get("stem[0].bn.running_mean").value();
        float[] rv = net.parameters().get("stem[0].bn.running_var").value();
        for (int j = 0; j < c; j++) {
            assertThat((double) rm[j]).isCloseTo(0.1 * mean[j], org.assertj.core.data.Offset.offset(1e-5));
            assertThat((double) rv[j])
                    .isCloseTo(0.9 + 0.1 * var[j] * rows / (rows - 1.0), org.assertj.core.data.Offset.offset(1e-4));
        }
        // EVAL normalises with the running statistics
        net.keepActivations(true);
        net.forward(x, Model.Mode.EVAL);
        Tensor bn = net.activation("stem[0].bn");
        conv = net.activation("stem[0].conv");
        for (int i = 0; i < 50; i++) {
            int j = i % c;
            double expected = (conv.data[i] - rm[j]) / Math.sqrt(rv[j] + 1e-5);
            assertThat((double) bn.data[i]).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-4));
        }
        // CALIBRATE: cumulative average since the reset
        net.resetBatchNormStatistics();
        assertThat(rm).containsOnly(0f);
        Tensor y = randomInput(4, spec, 3);
        net.forward(x, Model.Mode.CALIBRATE);
        double[] m1 = new double[c];
        double[] v1 = new double[c];
        stats(net.activation("stem[0].conv"), m1, v1);
        net.forward(y, Model.Mode.CALIBRATE);
        double[] m2 = new double[c];
        double[] v2 = new double[c];
        stats(net.activation("stem[0].conv"), m2, v2);
        double unbias = rows / (rows - 1.0);
        for (int j = 0; j < c; j++) {
            assertThat((double) rm[j]).isCloseTo((m1[j] + m2[j]) / 2, org.assertj.core.data.Offset.offset(1e-5));
            assertThat((double) rv[j])
                    .isCloseTo((v1[j] + v2[j]) / 2 * unbias, org.assertj.core.data.Offset.offset(1e-4));
        }
    }

    private static void stats(Tensor t, double[] mean, double[] var) {
        int c = t.c;
        int rows = t.n * t.h * t.w;
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < c; j++) {
                mean[j] += t.data[r * c + j] / (double) rows;
            }
        }
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < c; j++) {
                double d = t.data[r * c + j] - mean[j];
                var[j] += d * d / rows;
            }
        }
    }

    @Test
    void misuseIsReportedClearly() {
        NetworkSpec spec = mixed(3);
        Network net = Network.realize(spec, 1);
        assertThatThrownBy(() -> net.backward(new Tensor(1, 1, 1, 3)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TRAIN");
        net.forward(randomInput(2, spec, 1), Model.Mode.EVAL);
        assertThatThrownBy(() -> net.backward(new Tensor(2, 1, 1, 3)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("last forward was EVAL");
        assertThatThrownBy(() -> net.forward(new Tensor(2, 12, 12, 1), Model.Mode.EVAL))
                .hasMessageContaining("input 2x12x12x1 does not match the network input n x 12x12x3");
        net.forward(randomInput(2, spec, 1), Model.Mode.TRAIN);
        assertThatThrownBy(() -> net.backward(new Tensor(2, 1, 1, 4)))
                .hasMessageContaining("gradLogits Tensor[2x1x1x4] must have the logits' shape Tensor[2x1x1x3]");
        NetworkSpec pooled = NetworkSpec.builder("p", 4, 1)
                .stem(ConvBlock.of(4, 1, 1, Activation.RELU))
                .head(GlobalPoolBlock.avg(), ConvBlock.of(4, 1, 1, Activation.RELU))
                .classifier(2, 0)
                .build();
        assertThatThrownBy(() -> Network.realize(pooled, 1).forward(new Tensor(1, 4, 4, 1), Model.Mode.TRAIN))
                .hasMessageContaining("head[1].bn: batch norm in TRAIN needs more than one value per channel");
    }

    @Test
    void batchSizesCanAlternate() {
        NetworkSpec spec = mixed(3);
        Network net = Network.realize(spec, 1);
        Tensor big = randomInput(4, spec, 1);
        Tensor one = new Tensor(java.util.Arrays.copyOf(big.data, big.itemSize()), 1, 12, 12, 3);
        float[] first = net.forward(big, Model.Mode.EVAL).data;
        float[] single = net.forward(one, Model.Mode.EVAL).data;
        float[] again = net.forward(big, Model.Mode.EVAL).data;
        assertThat(again).containsExactly(first);
        for (int j = 0; j < 3; j++) {
            assertThat(single[j]).isCloseTo(first[j], org.assertj.core.data.Offset.offset(1e-5f));
        }
    }

    @Test
    void saveAndLoadRoundTrip(@TempDir Path dir) {
        NetworkSpec spec = mixed(3);
        Network net = Network.realize(spec, 5);
        net.forward(randomInput(4, spec, 1), Model.Mode.TRAIN); // move running statistics away from init
        Path file = dir.resolve("mixed.mnas");
        net.save(file);
        assertThat(Files.exists(file)).isTrue();
        Network back = Network.load(file);
        assertThat(back.spec()).isEqualTo(spec);
        for (Param p : net.parameters().all()) {
            assertThat(back.parameters().get(p.name()).value()).as(p.name()).containsExactly(p.value());
            assertThat(back.parameters().get(p.name()).role()).isEqualTo(p.role());
        }
        Tensor x = randomInput(2, spec, 7);
        assertThat(back.forward(x, Model.Mode.EVAL).data).containsExactly(net.forward(x, Model.Mode.EVAL).data);
    }

    @Test
    void parameterStreamsRoundTripAndReportTheFirstMismatch() {
        NetworkSpec spec = mixed(3);
        Network a = Network.realize(spec, 1);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        a.parameters().write(bytes);
        Network b = Network.realize(spec, 2);
        b.parameters().load(new ByteArrayInputStream(bytes.toByteArray()));
        assertThat(b.parameters().get("stem[0].conv.weight").value())
                .containsExactly(a.parameters().get("stem[0].conv.weight").value());

        Network other = Network.realize(mixed(4), 1);
        float[] before = other.parameters().get("stem[0].conv.weight").value().clone();
        assertThatThrownBy(() -> other.loadParameters(new ByteArrayInputStream(bytes.toByteArray())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("parameter classifier.fc.weight: shape [3, 16], expected [4, 16]");
        assertThat(other.parameters().get("stem[0].conv.weight").value()).containsExactly(before);

        NetworkSpec wider = spec.withStem(List.of(ConvBlock.of(8, 5, 1, Activation.HSWISH)));
        assertThatThrownBy(
                        () -> Network.realize(wider, 1).loadParameters(new ByteArrayInputStream(bytes.toByteArray())))
                .hasMessage("parameter stem[0].conv.weight: shape [8, 3, 3, 3], expected " + "[8, 5, 5, 3]");

        byte[] broken = bytes.toByteArray().clone();
        broken[0] = 'X';
        assertThatThrownBy(() -> ParameterStore.read(new ByteArrayInputStream(broken)))
                .hasMessageContaining("magic");
        byte[] truncated = java.util.Arrays.copyOf(bytes.toByteArray(), 100);
        assertThatThrownBy(() -> ParameterStore.read(new ByteArrayInputStream(truncated)))
                .hasMessageContaining("truncated");
    }

    @Test
    void profilingRecordsEveryNodeUntilTurnedOff() {
        NetworkSpec spec = mixed(3);
        Network net = Network.realize(spec, 1);
        Tensor x = randomInput(2, spec, 1);
        assertThat(net.timings()).isEmpty();
        net.profiling(true);
        Tensor logits = net.forward(x, Model.Mode.TRAIN);
        net.backward(logits);
        List<NodeTiming> t = net.timings();
        assertThat(t).hasSize(net.graph().size() - 1);
        assertThat(t.get(0).node()).isEqualTo("stem[0].conv");
        assertThat(t.get(0).op()).isEqualTo("Conv");
        assertThat(t).allMatch(n -> n.calls() == 1);
        assertThat(t.stream().mapToLong(NodeTiming::forwardNanos).sum()).isPositive();
        assertThat(t.stream().mapToLong(NodeTiming::backwardNanos).sum()).isPositive();
        net.profiling(false);
        net.forward(x, Model.Mode.EVAL);
        assertThat(net.timings()).allMatch(n -> n.calls() == 0 && n.forwardNanos() == 0);
    }
}
