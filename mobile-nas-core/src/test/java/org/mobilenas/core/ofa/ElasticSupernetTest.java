package org.mobilenas.core.ofa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mobilenas.core.data.ImageDataset;
import org.mobilenas.core.data.SyntheticImages;
import org.mobilenas.core.engine.Model;
import org.mobilenas.core.engine.Network;
import org.mobilenas.core.engine.Param;
import org.mobilenas.core.engine.Tensor;
import org.mobilenas.core.spec.Activation;
import org.mobilenas.core.train.Losses;

class ElasticSupernetTest {
    private final ElasticSpace space = TinySpaces.tiny();

    static Tensor input(int n, int r, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor t = new Tensor(n, r, r, 1);
        for (int i = 0; i < t.size(); i++) {
            t.data[i] = (float) rng.nextGaussian();
        }
        return t;
    }

    /** Random transforms and BN statistics so nothing is trivially identity. */
    static void scramble(ElasticSupernet net, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (Param p : net.parameters().all()) {
            float[] v = p.value();
            if (p.name().contains("transform")) {
                for (int i = 0; i < v.length; i++) {
                    v[i] += (float) (0.1 * rng.nextGaussian());
                }
            } else if (p.role() == Param.Role.BN_RUNNING_MEAN || p.role() == Param.Role.BN_BETA) {
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (0.1 * rng.nextGaussian());
                }
            } else if (p.role() == Param.Role.BN_RUNNING_VAR || p.role() == Param.Role.BN_GAMMA) {
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (0.5 + rng.nextDouble());
                }
            }
        }
    }

    @Test
    void extractedSubnetComputesTheSameOutputsAsTheSupernetWithItActive() {
        ElasticSupernet net = ElasticSupernet.create(space, 1);
        scramble(net, 2);
        SplittableRandom rng = new SplittableRandom(3);
        for (int trial = 0; trial < 5; trial++) {
            SubnetConfig c = net.sampleActiveSubnet(rng);
            Tensor x = input(3, c.resolution(), trial);
            Tensor a = net.forward(x, Model.Mode.EVAL);
            Network sub = net.extractActiveSubnet();
            assertThat(sub.spec()).isEqualTo(space.spec(c));
            assertThat(sub.parameters().trainableCount())
                    .isLessThanOrEqualTo(net.parameters().trainableCount());
            Tensor b = sub.forward(x, Model.Mode.EVAL);
            assertThat(b.data).containsExactly(a.data);
        }
    }

    @Test
    void theMaxSubnetWithIdentityTransformsIsTheFullNetwork() {
        ElasticSupernet net = ElasticSupernet.create(space, 5);
        Network full = Network.realize(space.spec(space.maxConfig()), 5);
        Tensor x = input(2, 12, 9);
        assertThat(net.forward(x, Model.Mode.EVAL).data).containsExactly(full.forward(x, Model.Mode.EVAL).data);
    }

    @Test
    void aGradientStepOnASubnetChangesExactlyTheSharedSlicesItUsed() {
        ElasticSupernet net = ElasticSupernet.create(space, 11);
        // depth 1 in stage 0, 2 in stage 1; kernel 3 and expand 2 in the used blocks
        SubnetConfig c = new SubnetConfig(8, List.of(1, 2), List.of(3, 7, 3, 5), List.of(2, 3, 2, 2));
        net.setActiveSubnet(c);
        List<float[]> before = new ArrayList<>();
        for (Param p : net.parameters().all()) {
            before.add(p.value().clone());
        }
        net.parameters().zeroGrad();
        Tensor x = input(4, 8, 1);
        Tensor logits = net.forward(x, Model.Mode.TRAIN);
        float[] g = new float[logits.size()];
        Losses.softmaxCrossEntropy(logits.data, 4, 4, new int[] {0, 1, 2, 3}, 0, g, 1f);
        net.backward(new Tensor(g, 4, 1, 1, 4));
        for (Param p : net.parameters().trainable()) {
            float[] v = p.value();
            float[] gr = p.grad();
            for (int i = 0; i < v.length; i++) {
                v[i] -= 0.1f * gr[i];
            }
        }
        int i = 0;
        for (Param p : net.parameters().all()) {
            float[] old = before.get(i++);
            if (!p.trainable()) {
                continue;
            }
            boolean anyChanged = false;
            for (int j = 0; j < old.length; j++) {
                boolean changed = old[j] != p.value()[j];
                anyChanged |= changed;
                if (changed) {
                    assertThat(used(p, j, c))
                            .as("%s[%d] changed but is outside the active subnet", p.name(), j)
                            .isTrue();
                }
            }
            if (p.name().startsWith("stages[1].blocks[1]")) {
                assertThat(anyChanged)
                        .as("%s (stage 0 block 1 is skipped at depth 1)", p.name())
                        .isFalse();
            }
            if (p.name().equals("stages[2].blocks[1].dw.conv.weight")
                    || p.name().equals("stem[0].conv.weight")
                    || p.name().equals("stages[2].blocks[0].dw.conv.transform_5to3")) {
                assertThat(anyChanged).as(p.name()).isTrue();
            }
        }
    }

    /** Whether element {@code j} of shared parameter {@code p} belongs to subnet {@code c}. */
    private boolean used(Param p, int j, SubnetConfig c) {
        String n = p.name();
        if (!n.startsWith("stages[1]") && !n.startsWith("stages[2]")) {
            return true;
        }
        int s = n.startsWith("stages[1]") ? 0 : 1;
        int b = Integer.parseInt(n.substring(n.indexOf("blocks[") + 7, n.indexOf("blocks[") + 8));
        if (b >= c.depths().get(s)) {
            return false;
        }
        int hidden = ElasticSpace.expanded(space.blockInput(s, b), c.expand(s, b));
        int k = c.kernel(s, b);
        int[] shape = p.shape();
        if (n.contains("transform")) {
            int from = Integer.parseInt(
                    n.substring(n.indexOf("transform_") + 10, n.indexOf("to", n.indexOf("transform_"))));
            return from > k;
        }
        if (n.endsWith(".dw.conv.weight")) {
            int ch = j / 49;
            int y = j / 7 % 7;
            int x = j % 7;
            int off = (7 - k) / 2;
            return ch < hidden && y >= off && y < off + k && x >= off && x < off + k;
        }
        if (n.contains(".project.conv.weight") || n.contains(".se.reduce.conv.weight")) {
            int in = j % shape[3];
            int out = j / shape[3];
            if (n.contains(".se.reduce")) {
                return in < hidden
                        && out
                                < org.mobilenas.core.spec.SqueezeExcite.mobileNetV3()
                                        .squeezeChannels(0, hidden);
            }
            return in < hidden;
        }
        if (n.contains(".se.expand.conv.weight")) {
            int sq = org.mobilenas.core.spec.SqueezeExcite.mobileNetV3().squeezeChannels(0, hidden);
            return j / shape[3] < hidden && j % shape[3] < sq;
        }
        if (n.contains(".se.reduce.conv.bias")) {
            return j < org.mobilenas.core.spec.SqueezeExcite.mobileNetV3().squeezeChannels(0, hidden);
        }
        if (n.contains(".expand.") || n.contains(".dw.")) {
            int row = p.size() / shape[0];
            return j / row < hidden;
        }
        return true;
    }

    @Test
    void smallerKernelsGoThroughTheTransformMatrices() {
        ElasticSupernet net = ElasticSupernet.create(space, 4);
        scramble(net, 8);
        SubnetConfig c = space.uniform(8, 1, 3, 2);
        Network sub = net.extract(c);
        String dw = "stages[1].blocks[0].dw.conv";
        float[] w7 = net.parameters().get(dw + ".weight").value();
        float[] m5 =
                net.parameters().get(ElasticSupernet.transformName(dw, 7, 5)).value();
        float[] m3 =
                net.parameters().get(ElasticSupernet.transformName(dw, 5, 3)).value();
        float[] got = sub.parameters().get(dw + ".weight").value();
        float[] plainCrop = new float[9];
        for (int ch = 0; ch < 2; ch++) {
            double[] w5 = new double[25];
            for (int i = 0; i < 25; i++) {
                for (int jj = 0; jj < 25; jj++) {
                    w5[i] += m5[i * 25 + jj] * w7[ch * 49 + (jj / 5 + 1) * 7 + jj % 5 + 1];
                }
            }
            for (int i = 0; i < 9; i++) {
                double w3 = 0;
                for (int jj = 0; jj < 9; jj++) {
                    w3 += m3[i * 9 + jj] * w5[(jj / 3 + 1) * 5 + jj % 3 + 1];
                }
                assertThat((double) got[ch * 9 + i]).isCloseTo(w3, within(1e-5));
                plainCrop[i] = w7[ch * 49 + (i / 3 + 2) * 7 + i % 3 + 2];
            }
            float[] gotCh = java.util.Arrays.copyOfRange(got, ch * 9, ch * 9 + 9);
            assertThat(gotCh).isNotEqualTo(plainCrop);
        }
    }

    @Test
    void transformGradientsMatchFiniteDifferences() {
        ElasticSupernet net = ElasticSupernet.create(space, 21);
        scramble(net, 22);
        SubnetConfig c = space.uniform(8, 1, 3, 2);
        net.setActiveSubnet(c);
        Tensor x = input(4, 8, 5);
        float[] r = new float[16];
        SplittableRandom rng = new SplittableRandom(6);
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) rng.nextGaussian();
        }
        net.parameters().zeroGrad();
        net.forward(x, Model.Mode.TRAIN);
        net.backward(new Tensor(r.clone(), 4, 1, 1, 4));
        String dw = "stages[2].blocks[0].dw.conv";
        for (String name : List.of(
                ElasticSupernet.transformName(dw, 7, 5), ElasticSupernet.transformName(dw, 5, 3), dw + ".weight")) {
            Param p = net.parameters().get(name);
            int idx = name.endsWith("7to5") ? 12 * 25 + 12 : name.endsWith("5to3") ? 4 * 9 + 3 : 3 * 7 + 3;
            double analytic = p.grad()[idx];
            float keep = p.value()[idx];
            double eps = 1e-2;
            p.value()[idx] = (float) (keep + eps);
            double up = dot(net.forward(x, Model.Mode.TRAIN).data, r);
            p.value()[idx] = (float) (keep - eps);
            double down = dot(net.forward(x, Model.Mode.TRAIN).data, r);
            p.value()[idx] = keep;
            double numeric = (up - down) / (2 * eps);
            assertThat(analytic).as(name).isNotZero();
            assertThat(analytic).as(name).isCloseTo(numeric, within(0.05 * Math.abs(numeric) + 1e-3));
        }
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < b.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void channelSortingKeepsTheFullNetworkButReordersChannels() {
        ElasticSupernet net = ElasticSupernet.create(space, 31);
        scramble(net, 32);
        Tensor x = input(3, 12, 4);
        float[] fullBefore = net.forward(x, Model.Mode.EVAL).data;
        SubnetConfig narrow = space.uniform(12, 2, 7, 2);
        net.setActiveSubnet(narrow);
        float[] narrowBefore = net.forward(x, Model.Mode.EVAL).data;
        String proj = "stages[2].blocks[0].project.conv.weight";
        float[] projBefore = net.parameters().get(proj).value().clone();

        net.sortChannels();

        float[] projAfter = net.parameters().get(proj).value();
        assertThat(projAfter).isNotEqualTo(projBefore);
        Param pw = net.parameters().get(proj);
        double prev = Double.POSITIVE_INFINITY;
        for (int i = 0; i < pw.dim(3); i++) {
            double l1 = 0;
            for (int o = 0; o < pw.dim(0); o++) {
                l1 += Math.abs(projAfter[o * pw.dim(3) + i]);
            }
            assertThat(l1).isLessThanOrEqualTo(prev);
            prev = l1;
        }
        net.setActiveSubnet(space.maxConfig());
        float[] fullAfter = net.forward(x, Model.Mode.EVAL).data;
        for (int i = 0; i < fullBefore.length; i++) {
            assertThat((double) fullAfter[i]).isCloseTo(fullBefore[i], within(1e-4));
        }
        net.setActiveSubnet(narrow);
        float[] narrowAfter = net.forward(x, Model.Mode.EVAL).data;
        assertThat(narrowAfter).isNotEqualTo(narrowBefore);
    }

    @Test
    void bandedSortingKeepsTheChannelsOfTrainedRatiosAndSortsOnlyForTheNewOne() {
        ElasticSpace three = new ElasticSpace(
                "three_ratios",
                1,
                4,
                List.of(8, 12),
                8,
                1,
                8,
                List.of(
                        new ElasticStage("s1", 8, 2, Activation.RELU, false),
                        new ElasticStage("s2", 16, 2, Activation.HSWISH, true)),
                List.of(1, 2),
                List.of(3, 5, 7),
                List.of(2, 3, 4),
                32,
                32,
                0.0);
        Tensor x = input(3, 12, 4);
        SubnetConfig full = three.maxConfig();
        SubnetConfig trained = three.uniform(12, 2, 7, 3);
        SubnetConfig fresh = three.uniform(12, 2, 7, 2);
        ElasticSupernet banded = ElasticSupernet.create(three, 33);
        scramble(banded, 34);
        ElasticSupernet global = ElasticSupernet.create(three, 33);
        scramble(global, 34);
        float[][] before = outputs(banded, x, full, trained, fresh);

        banded.sortChannels(List.of(3));
        global.sortChannels();

        float[][] after = outputs(banded, x, full, trained, fresh);
        float[][] globalAfter = outputs(global, x, full, trained, fresh);
        for (int i = 0; i < before[0].length; i++) {
            assertThat((double) after[0][i]).isCloseTo(before[0][i], within(1e-4));
            // ratio 3 was trained: its channels stay (reordered inside the band), so it computes the same
            assertThat((double) after[1][i]).isCloseTo(before[1][i], within(1e-4));
        }
        assertThat(after[2]).isNotEqualTo(before[2]);
        assertThat(globalAfter[1]).isNotEqualTo(before[1]);
        assertThatThrownBy(() -> banded.sortChannels(List.of(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("trainedExpands contains 5");
    }

    private static float[][] outputs(ElasticSupernet net, Tensor x, SubnetConfig... configs) {
        float[][] out = new float[configs.length][];
        for (int i = 0; i < configs.length; i++) {
            net.setActiveSubnet(configs[i]);
            out[i] = net.forward(x, Model.Mode.EVAL).data.clone();
        }
        return out;
    }

    @Test
    void batchNormRecalibrationReplacesStaleStatistics() {
        ElasticSupernet net = ElasticSupernet.create(space, 41);
        for (Param p : net.parameters().all()) {
            if (p.role() == Param.Role.BN_RUNNING_MEAN) {
                java.util.Arrays.fill(p.value(), 100f);
            }
        }
        ImageDataset data = SyntheticImages.builder()
                .classes(4)
                .size(12)
                .channels(1)
                .samples(64)
                .seed(3)
                .build();
        SubnetConfig c = space.uniform(8, 1, 5, 3);
        Network stale = net.extract(c);
        Network fresh = net.extractCalibrated(c, data, 64, 7);
        float[] mean = fresh.parameters().get("stem[0].bn.running_mean").value();
        assertThat(stale.parameters().get("stem[0].bn.running_mean").value()[0]).isEqualTo(100f);
        // the recalibrated mean is the mean of the stem conv's outputs on the (resized) calibration images
        ImageDataset small = ElasticSupernet.atResolution(data, 8);
        fresh.keepActivations(true);
        fresh.forward(
                small.batch(java.util.stream.IntStream.range(0, 64).toArray()).images(), Model.Mode.EVAL);
        Tensor conv = fresh.activation("stem[0].conv");
        double m0 = 0;
        for (int i = 0; i < conv.size(); i += conv.c) {
            m0 += conv.data[i];
        }
        m0 /= conv.size() / conv.c;
        assertThat((double) mean[0]).isCloseTo(m0, within(1e-3 + 1e-3 * Math.abs(m0)));
        Tensor x = small.batch(new int[] {0, 1}).images();
        assertThat(fresh.forward(x, Model.Mode.EVAL).data).isNotEqualTo(stale.forward(x, Model.Mode.EVAL).data);
    }

    @Test
    void badConfigsAreRejectedWithTheField() {
        ElasticSupernet net = ElasticSupernet.create(space, 1);
        assertThatThrownBy(() -> net.setActiveSubnet(10, 3, 2, 1))
                .hasMessageContaining("subnet.resolution = 10")
                .hasMessageContaining("[8, 12]");
        assertThatThrownBy(() -> net.setActiveSubnet(8, 4, 2, 1)).hasMessageContaining("subnet.kernels[0] = 4");
        assertThatThrownBy(() -> net.setActiveSubnet(8, List.of(3, 3, 3), List.of(2, 2, 2), List.of(1, 1)))
                .hasMessageContaining("subnet.kernels has 3 entries, expected 4");
    }
}
