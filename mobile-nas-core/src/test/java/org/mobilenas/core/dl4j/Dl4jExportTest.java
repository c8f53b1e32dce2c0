package org.mobilenas.core.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.gradient.Gradient;
import org.junit.jupiter.api.Test;
import org.mobilenas.core.engine.Model;
import org.mobilenas.core.engine.Network;
import org.mobilenas.core.engine.Param;
import org.mobilenas.core.engine.Tensor;
import org.mobilenas.core.graph.Op;
import org.mobilenas.core.spec.Activation;
import org.mobilenas.core.spec.ClassifierSpec;
import org.mobilenas.core.spec.ConvBlock;
import org.mobilenas.core.spec.GlobalPoolBlock;
import org.mobilenas.core.spec.MBConvBlock;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.spec.PoolBlock;
import org.mobilenas.core.spec.SeparableConvBlock;
import org.mobilenas.core.spec.ShuffleV2Block;
import org.mobilenas.core.spec.Skip;
import org.mobilenas.core.spec.SqueezeExcite;
import org.mobilenas.core.spec.StageSpec;
import org.nd4j.linalg.api.ndarray.INDArray;

class Dl4jExportTest {

    /** A small MobileNetV2: stem, inverted residuals with and without skips, 5x5 kernels, 1x1 head, pool, FC. */
    static NetworkSpec mobileNetV2Style() {
        return mobileNetV2Style(0.2);
    }

    static NetworkSpec mobileNetV2Style(double dropout) {
        return new NetworkSpec(
                "mnv2-small",
                16,
                3,
                List.of(ConvBlock.of(8, 3, 2, Activation.RELU6)),
                List.of(
                        StageSpec.of("s0", MBConvBlock.of(8, 3, 1, 1, Activation.RELU6)),
                        StageSpec.of(
                                "s1",
                                MBConvBlock.of(12, 3, 2, 6, Activation.RELU6),
                                MBConvBlock.of(12, 3, 1, 6, Activation.RELU6)),
                        StageSpec.of(
                                "s2",
                                MBConvBlock.of(16, 5, 2, 6, Activation.RELU6),
                                MBConvBlock.of(16, 7, 1, 4, Activation.RELU6))),
                List.of(ConvBlock.of(32, 1, 1, Activation.RELU6), GlobalPoolBlock.avg()),
                ClassifierSpec.of(10, dropout));
    }

    static Tensor random(int n, int h, int w, int c, long seed) {
        Random r = new Random(seed);
        Tensor t = new Tensor(n, h, w, c);
        for (int i = 0; i < t.size(); i++) {
            t.data[i] = (float) r.nextGaussian();
        }
        return t;
    }

    /** Gives batch norm non-trivial statistics and affine parameters, so the comparison exercises them. */
    static void perturb(Network net, long seed) {
        NetworkSpec s = net.spec();
        for (int i = 0; i < 3; i++) {
            net.forward(random(8, s.resolution(), s.resolution(), s.inputChannels(), seed + i), Model.Mode.TRAIN);
        }
        Random r = new Random(seed);
        for (Param p : net.parameters().all()) {
            if (p.role() == Param.Role.BN_GAMMA || p.role() == Param.Role.BN_BETA || p.role() == Param.Role.BIAS) {
                float[] v = p.value();
                for (int i = 0; i < v.length; i++) {
                    v[i] += (float) (0.2 * r.nextGaussian());
                }
            }
        }
    }

    static void assertClose(Tensor ours, Tensor theirs, double rel) {
        assertThat(theirs.size()).isEqualTo(ours.size());
        double scale = 0;
        for (int i = 0; i < ours.size(); i++) {
            scale = Math.max(scale, Math.abs(ours.data[i]));
        }
        for (int i = 0; i < ours.size(); i++) {
            assertThat((double) theirs.data[i])
                    .as("logit %d", i)
                    .isCloseTo(ours.data[i], org.assertj.core.data.Offset.offset(rel * Math.max(scale, 1e-3)));
        }
    }

    @Test
    void sameSpecAndWeightsGiveTheSameLogitsAsTheEngine() {
        NetworkSpec spec = mobileNetV2Style();
        Network net = Network.realize(spec, 5);
        perturb(net, 17);
        Tensor x = random(4, 16, 16, 3, 99);
        Tensor ours = net.forward(x, Model.Mode.EVAL);
        Dl4jNetwork dl4j = Dl4jExport.builder(spec).weights(net.parameters()).build();
        Tensor theirs = dl4j.logits(x);
        assertThat(theirs.n).isEqualTo(4);
        assertThat(theirs.c).isEqualTo(10);
        assertClose(ours, theirs, 1e-4);
    }

    @Test
    void poolingSeparableBiasAndFlattenedLinearMatch() {
        NetworkSpec spec = new NetworkSpec(
                "pool-sep",
                12,
                2,
                List.of(new ConvBlock(6, 3, 1, 1, Activation.RELU, false, true)),
                List.of(StageSpec.of(
                        "s0",
                        new PoolBlock(Op.PoolType.MAX, 3, 2, 1),
                        new SeparableConvBlock(10, 5, 1, Activation.SIGMOID, Activation.SWISH),
                        new PoolBlock(Op.PoolType.AVG, 3, 2, 1))),
                List.of(),
                new ClassifierSpec(7, 0.0, true));
        Network net = Network.realize(spec, 3);
        perturb(net, 4);
        Tensor x = random(3, 12, 12, 2, 8);
        Tensor ours = net.forward(x, Model.Mode.EVAL);
        Tensor theirs =
                Dl4jExport.builder(spec).weights(net.parameters()).build().logits(x);
        assertClose(ours, theirs, 1e-4);
    }

    @Test
    void trainingGradientsMatchTheEngine() {
        NetworkSpec spec = mobileNetV2Style(0.0);
        Network net = Network.realize(spec, 11);
        perturb(net, 12);
        Tensor x = random(6, 16, 16, 3, 13);
        int[] labels = {0, 3, 9, 1, 1, 5};
        Dl4jNetwork dl4j = Dl4jExport.builder(spec).weights(net.parameters()).build();

        net.parameters().zeroGrad();
        Tensor logits = net.forward(x, Model.Mode.TRAIN);
        Tensor g = new Tensor(6, 1, 1, 10);
        for (int b = 0; b < 6; b++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < 10; j++) {
                max = Math.max(max, logits.data[b * 10 + j]);
            }
            double sum = 0;
            for (int j = 0; j < 10; j++) {
                sum += Math.exp(logits.data[b * 10 + j] - max);
            }
            for (int j = 0; j < 10; j++) {
                double p = Math.exp(logits.data[b * 10 + j] - max) / sum;
                g.data[b * 10 + j] = (float) ((p - (j == labels[b] ? 1 : 0)) / 6);
            }
        }
        net.backward(g);

        var cg = dl4j.graph();
        cg.setInputs(dl4j.toNchw(x));
        cg.setLabels(dl4j.oneHot(labels));
        cg.computeGradientAndScore();
        Gradient grad = cg.gradient();
        // the classifier weight: ours [out, in], DL4J [in, out]; DL4J's raw gradient is summed over the batch
        String fc = dl4j.logitsVertex();
        float[] ourFc = net.parameters().get(fc + ".weight").grad();
        INDArray theirFc = grad.getGradientFor(fc + "_W");
        double scale = ratio(theirFc.getDouble(0, 0), ourFc[0]);
        assertThat(scale).isIn(1.0, 6.0);
        double maxAbs = 0;
        for (float v : ourFc) {
            maxAbs = Math.max(maxAbs, Math.abs(v));
        }
        for (int o = 0; o < 10; o++) {
            for (int i = 0; i < 32; i++) {
                assertThat(theirFc.getDouble(i, o) / scale)
                        .isCloseTo(ourFc[o * 32 + i], org.assertj.core.data.Offset.offset(1e-4 * maxAbs));
            }
        }
        // the first (stem) convolution: deepest in the backward pass
        String stem = "stem[0].conv";
        float[] ours = net.parameters().get(stem + ".weight").grad();
        INDArray theirs = grad.getGradientFor(stem + "_W");
        double m = 0;
        for (float v : ours) {
            m = Math.max(m, Math.abs(v));
        }
        assertThat(m).isGreaterThan(0);
        for (int o = 0; o < 8; o++) {
            for (int ky = 0; ky < 3; ky++) {
                for (int kx = 0; kx < 3; kx++) {
                    for (int c = 0; c < 3; c++) {
                        assertThat(theirs.getDouble(o, c, ky, kx) / scale)
                                .as("stem grad %d %d %d %d", o, c, ky, kx)
                                .isCloseTo(
                                        ours[((o * 3 + ky) * 3 + kx) * 3 + c],
                                        org.assertj.core.data.Offset.offset(1e-3 * m));
                    }
                }
            }
        }
    }

    private static double ratio(double a, double b) {
        double r = a / b;
        return Math.abs(r - 6.0) < 0.01 ? 6.0 : Math.abs(r - 1.0) < 0.01 ? 1.0 : r;
    }

    @Test
    void oneSgdStepRunsAndLowersTheLossOnARepeatedBatch() {
        Dl4jNetwork dl4j = Dl4jExport.builder(mobileNetV2Style())
                .learningRate(0.05)
                .seed(3)
                .build();
        Tensor x = random(8, 16, 16, 3, 1);
        int[] labels = {0, 1, 2, 3, 4, 5, 6, 7};
        double first = dl4j.fit(x, labels);
        double later = first;
        for (int i = 0; i < 15; i++) {
            later = dl4j.fit(x, labels);
        }
        assertThat(later).isLessThan(first);
    }

    @Test
    void unsupportedOperationsAreRejectedWithTheNodeName() {
        NetworkSpec se = new NetworkSpec(
                "se",
                8,
                3,
                List.of(ConvBlock.of(8, 3, 1, Activation.RELU)),
                List.of(StageSpec.of(
                        "s0",
                        new MBConvBlock(
                                8, 3, 1, 4, 0, SqueezeExcite.efficientNet(0.25), Activation.RELU, Skip.IDENTITY))),
                List.of(GlobalPoolBlock.avg()),
                ClassifierSpec.of(4, 0));
        assertThatThrownBy(() -> Dl4jExport.builder(se).configuration())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stages[0].blocks[0].se")
                .hasMessageContaining("squeeze-and-excite");
        NetworkSpec shuffle = new NetworkSpec(
                "shuffle",
                8,
                3,
                List.of(ConvBlock.of(8, 3, 1, Activation.RELU)),
                List.of(StageSpec.of("s0", new ShuffleV2Block(8, 1, 3))),
                List.of(GlobalPoolBlock.avg()),
                ClassifierSpec.of(4, 0));
        assertThatThrownBy(() -> Dl4jExport.builder(shuffle).configuration())
                .hasMessageContaining("stages[0].blocks[0]")
                .hasMessageContaining("channel shuffle");
        NetworkSpec hswish = new NetworkSpec(
                "hswish",
                8,
                3,
                List.of(ConvBlock.of(8, 3, 1, Activation.HSWISH)),
                List.of(),
                List.of(GlobalPoolBlock.avg()),
                ClassifierSpec.of(4, 0));
        assertThatThrownBy(() -> Dl4jExport.builder(hswish).configuration())
                .hasMessageContaining("stem[0]")
                .hasMessageContaining("HSWISH");
        assertThatThrownBy(() -> Dl4jExport.builder(hswish).learningRate(0)).hasMessageContaining("learningRate 0.0");
    }
}
