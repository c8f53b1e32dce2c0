package org.mobilenas.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class LossesTest {

    @Test
    void crossEntropyValues() {
        assertThat(Losses.softmaxCrossEntropy(new float[] {0, 0}, 1, 2, new int[] {0}, 0, null, 1f))
                .isCloseTo(Math.log(2), within(1e-9));
        // p = [0.25, 0.75], smoothed target for label 1 with s = 0.2: [0.1, 0.9]
        float[] z = {0, (float) Math.log(3)};
        double expected = -(0.1 * Math.log(0.25) + 0.9 * Math.log(0.75));
        assertThat(Losses.softmaxCrossEntropy(z, 1, 2, new int[] {1}, 0.2, null, 1f))
                .isCloseTo(expected, within(1e-6));
    }

    @Test
    void crossEntropyGradientMatchesFiniteDifferences() {
        int n = 3;
        int k = 5;
        int[] labels = {1, 4, 0};
        for (double smoothing : new double[] {0, 0.1}) {
            checkGradient(
                    n,
                    k,
                    z -> Losses.softmaxCrossEntropy(z, n, k, labels, smoothing, null, 1f),
                    (z, g) -> Losses.softmaxCrossEntropy(z, n, k, labels, smoothing, g, 1f));
        }
    }

    @Test
    void distillationValues() {
        float[] s = {0, 0};
        float[] t = {0, (float) Math.log(3)};
        assertThat(Losses.distillation(s, s, 1, 2, 3, null, 1f)).isCloseTo(0, within(1e-12));
        double kl1 = 0.25 * Math.log(0.25 / 0.5) + 0.75 * Math.log(0.75 / 0.5);
        assertThat(Losses.distillation(s, t, 1, 2, 1, null, 1f)).isCloseTo(kl1, within(1e-6));
        double a = 1 / (1 + Math.sqrt(3));
        double kl2 = a * Math.log(a / 0.5) + (1 - a) * Math.log((1 - a) / 0.5);
        assertThat(Losses.distillation(s, t, 1, 2, 2, null, 1f)).isCloseTo(4 * kl2, within(1e-6));
    }

    @Test
    void distillationGradientMatchesFiniteDifferences() {
        int n = 2;
        int k = 4;
        float[] teacher = random(n * k, 99);
        for (double temperature : new double[] {1, 4}) {
            checkGradient(
                    n,
                    k,
                    z -> Losses.distillation(z, teacher, n, k, temperature, null, 1f),
                    (z, g) -> Losses.distillation(z, teacher, n, k, temperature, g, 1f));
        }
    }

    @Test
    void gradientsAccumulateWithScale() {
        float[] z = random(6, 3);
        float[] g1 = new float[6];
        Losses.softmaxCrossEntropy(z, 2, 3, new int[] {0, 2}, 0, g1, 1f);
        float[] g2 = new float[6];
        java.util.Arrays.fill(g2, 1f);
        Losses.softmaxCrossEntropy(z, 2, 3, new int[] {0, 2}, 0, g2, 0.5f);
        for (int i = 0; i < 6; i++) {
            assertThat(g2[i]).isCloseTo(1f + 0.5f * g1[i], within(1e-6f));
        }
    }

    @Test
    void badInput() {
        assertThatThrownBy(() -> Losses.softmaxCrossEntropy(new float[4], 2, 2, new int[] {0, 2}, 0, null, 1f))
                .hasMessageContaining("labels[1] = 2");
        assertThatThrownBy(() -> Losses.softmaxCrossEntropy(new float[4], 2, 2, new int[] {0, 1}, 1.0, null, 1f))
                .hasMessageContaining("labelSmoothing = 1.0");
        assertThatThrownBy(() -> Losses.distillation(new float[4], new float[4], 2, 2, 0, null, 1f))
                .hasMessageContaining("temperature = 0.0");
    }

    @Test
    void rankBreaksTiesTowardLowerIndex() {
        float[] z = {0, 0, 0};
        assertThat(Losses.rank(z, 0, 3, 0)).isZero();
        assertThat(Losses.rank(z, 0, 3, 2)).isEqualTo(2);
    }

    private interface WithGrad {
        double apply(float[] z, float[] g);
    }

    private static void checkGradient(int n, int k, Function<float[], Double> loss, WithGrad withGrad) {
        float[] z = random(n * k, 7);
        float[] g = new float[n * k];
        withGrad.apply(z, g);
        float eps = 1e-2f;
        for (int i = 0; i < z.length; i++) {
            float orig = z[i];
            z[i] = orig + eps;
            double up = loss.apply(z);
            z[i] = orig - eps;
            double down = loss.apply(z);
            z[i] = orig;
            double fd = (up - down) / (2 * eps);
            assertThat((double) g[i]).as("d loss / d z[%d]", i).isCloseTo(fd, within(2e-4));
        }
    }

    private static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextDouble(-2, 2);
        }
        return v;
    }
}
