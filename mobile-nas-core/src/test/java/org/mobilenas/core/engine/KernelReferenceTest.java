package org.mobilenas.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mobilenas.core.engine.Reference.numericGradient;
import static org.mobilenas.core.engine.Reference.random;
import static org.mobilenas.core.engine.Reference.relativeError;
import static org.mobilenas.core.engine.Reference.toDouble;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mobilenas.core.engine.kernels.Activations;
import org.mobilenas.core.engine.kernels.BatchNormKernel;
import org.mobilenas.core.engine.kernels.Conv2d;
import org.mobilenas.core.engine.kernels.ConvShape;
import org.mobilenas.core.engine.kernels.Gemm;
import org.mobilenas.core.engine.kernels.Pooling;
import org.mobilenas.core.engine.kernels.TensorOps;
import org.mobilenas.core.spec.Activation;

/** Every kernel's forward and backward against plain double-precision references on small random shapes. */
class KernelReferenceTest {
    private static final double TOL = 1e-4;

    static Stream<Arguments> convCases() {
        List<Arguments> cases = new ArrayList<>();
        // n, h, w, cin, cout, k, stride, groups, bias
        int[][] shapes = {
            {2, 7, 5, 8, 12, 1, 1, 1, 0}, // pointwise GEMM
            {2, 6, 6, 8, 12, 1, 1, 4, 1}, // grouped pointwise
            {1, 9, 9, 6, 6, 3, 1, 6, 0}, // depthwise 3x3
            {2, 9, 7, 6, 6, 3, 2, 6, 1}, // depthwise 3x3 stride 2, odd sizes
            {2, 11, 11, 5, 5, 5, 2, 5, 0}, // depthwise 5x5
            {1, 9, 9, 4, 4, 7, 1, 4, 0}, // depthwise 7x7
            {2, 7, 6, 40, 40, 3, 2, 40, 1}, // depthwise, whole channel vectors and a partial one
            {1, 5, 5, 16, 16, 5, 1, 16, 0}, // depthwise, channels exactly one 16-lane vector
            {2, 9, 9, 3, 8, 3, 2, 1, 0}, // stem-like general conv
            {1, 8, 7, 6, 9, 5, 1, 3, 1}, // grouped 5x5
            {2, 5, 5, 4, 6, 1, 2, 2, 0}, // 1x1 stride 2 (im2col path)
            {1, 10, 9, 2, 4, 7, 2, 1, 1}, // 7x7 stride 2
        };
        for (String gemm : List.of("vector", "java", "nd4j")) {
            for (int[] s : shapes) {
                cases.add(Arguments.of(gemm, s));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("convCases")
    void convolutionForwardAndBackward(String gemmName, int[] c) {
        Gemm gemm = Gemm.named(gemmName);
        int n = c[0], h = c[1], w = c[2], cin = c[3], cout = c[4], k = c[5], s = c[6], g = c[7];
        boolean withBias = c[8] == 1;
        int p = k / 2;
        ConvShape shape = new ConvShape(n, h, w, cin, cout, k, s, p, g);
        Random r = new Random(cin * 31 + k * 7 + s);
        float[] x = random(r, shape.inputSize());
        float[] wt = random(r, shape.weightSize());
        float[] b = withBias ? random(r, cout) : null;
        float[] y = new float[shape.outputSize()];
        Conv2d.forward(gemm, shape, x, wt, b, y);
        double[] xd = toDouble(x);
        double[] wd = toDouble(wt);
        double[] bd = b == null ? null : toDouble(b);
        double[] ref = Reference.conv(xd, n, h, w, cin, wd, bd, cout, k, s, p, g);
        assertThat(relativeError(y, ref)).isLessThan(TOL);

        float[] dy = random(r, y.length);
        double[] dyd = toDouble(dy);
        float[] dx = random(r, x.length);
        float[] dw = new float[wt.length];
        float[] db = withBias ? new float[cout] : null;
        Conv2d.backward(gemm, shape, x, wt, dy, dx, false, dw, db);
        double[] refDx = numericGradient(v -> Reference.conv(v, n, h, w, cin, wd, bd, cout, k, s, p, g), xd, dyd, 1);
        double[] refDw = numericGradient(v -> Reference.conv(xd, n, h, w, cin, v, bd, cout, k, s, p, g), wd, dyd, 1);
        assertThat(relativeError(dx, refDx)).as("dx").isLessThan(TOL);
        assertThat(relativeError(dw, refDw)).as("dw").isLessThan(TOL);
        if (withBias) {
            double[] refDb =
                    numericGradient(v -> Reference.conv(xd, n, h, w, cin, wd, v, cout, k, s, p, g), bd, dyd, 1);
            assertThat(relativeError(db, refDb)).as("db").isLessThan(TOL);
        }
        // accumulate mode adds to the existing input gradient, and weight gradients accumulate
        float[] dx2 = dx.clone();
        Conv2d.backward(gemm, shape, x, wt, dy, dx2, true, dw, null);
        double[] twice = new double[x.length];
        for (int i = 0; i < twice.length; i++) {
            twice[i] = 2 * refDx[i];
        }
        assertThat(relativeError(dx2, twice)).as("dx accumulated").isLessThan(TOL);
        double[] twiceW = new double[wt.length];
        for (int i = 0; i < twiceW.length; i++) {
            twiceW[i] = 2 * refDw[i];
        }
        assertThat(relativeError(dw, twiceW)).as("dw accumulated").isLessThan(TOL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"vector", "java", "nd4j", "auto"})
    void gemmHandlesTransposesOffsetsAndBeta(String name) {
        Gemm gemm = Gemm.named(name);
        Random r = new Random(3);
        for (int[] size : new int[][] {
            {37, 29, 133},
            {9, 600, 300},
            {130, 16, 600},
            {5, 8, 3},
            {64, 48, 1},
            // N below one strip and a partial last strip, rows a multiple of the tile (register tile, partial store)
            {784, 24, 288},
            {8, 40, 17},
            // one or two rows (a linear layer at batch 1), k a multiple of the vector length, with a tail, shorter
            {1, 1000, 1280},
            {2, 7, 33},
            {1, 3, 5}
        }) {
            gemmCase(gemm, r, size[0], size[1], size[2]);
        }
    }

    private static void gemmCase(Gemm gemm, Random r, int m, int n, int k) {
        for (float beta : new float[] {0f, 1f, 2f}) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    gemmCase(gemm, r, m, n, k, ta, tb, beta);
                }
            }
        }
    }

    private static void gemmCase(Gemm gemm, Random r, int m, int n, int k, boolean ta, boolean tb, float beta) {
        {
            {
                int lda = (ta ? m : k) + 3;
                int ldb = (tb ? k : n) + 2;
                int ldc = n + 5;
                float[] a = random(r, 4 + (ta ? k : m) * lda);
                float[] b = random(r, 1 + (tb ? n : k) * ldb);
                float[] c = random(r, 2 + m * ldc);
                double[] expected = new double[m * n];
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double acc = 0;
                        for (int q = 0; q < k; q++) {
                            double av = ta ? a[4 + q * lda + i] : a[4 + i * lda + q];
                            double bv = tb ? b[1 + j * ldb + q] : b[1 + q * ldb + j];
                            acc += av * bv;
                        }
                        expected[i * n + j] = 0.5 * acc + beta * (double) c[2 + i * ldc + j];
                    }
                }
                gemm.gemm(ta, tb, m, n, k, 0.5f, a, 4, lda, b, 1, ldb, beta, c, 2, ldc);
                float[] got = new float[m * n];
                for (int i = 0; i < m; i++) {
                    System.arraycopy(c, 2 + i * ldc, got, i * n, n);
                }
                assertThat(relativeError(got, expected))
                        .as("transA=%s transB=%s beta=%s", ta, tb, beta)
                        .isLessThan(TOL);
            }
        }
    }

    @Test
    void gemmRejectsOutOfRangeOperands() {
        float[] small = new float[10];
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> Gemm.java().gemm(false, false, 4, 4, 4, 1f, small, 0, 4, small, 0, 4, 0f, small, 0, 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exceeds array length 10");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Gemm.named("blas"))
                .hasMessageContaining("mobilenas.gemm 'blas' not in [vector, java, nd4j, auto]");
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void activationsForwardAndBackward(Activation act) {
        Random r = new Random(act.ordinal());
        int size = 1000;
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            float v;
            do {
                v = (float) (r.nextGaussian() * 4);
            } while (Math.abs(v) < 1e-2 || Math.abs(Math.abs(v) - 3) < 1e-2 || Math.abs(v - 6) < 1e-2);
            x[i] = v;
        }
        float[] y = new float[size];
        Activations.forward(act, x, y, size);
        double[] xd = toDouble(x);
        double[] ref = new double[size];
        for (int i = 0; i < size; i++) {
            ref[i] = Reference.act(act, xd[i]);
        }
        assertThat(relativeError(y, ref)).isLessThan(TOL);
        float[] dy = random(r, size);
        float[] dx = new float[size];
        Activations.backward(act, x, dy, dx, false, size);
        double[] refDx = numericGradient(
                v -> {
                    double[] o = new double[size];
                    for (int i = 0; i < size; i++) {
                        o[i] = Reference.act(act, v[i]);
                    }
                    return o;
                },
                xd,
                toDouble(dy),
                1e-5);
        assertThat(relativeError(dx, refDx)).isLessThan(TOL);
    }

    /**
     * Sigmoid and swish (vectorised {@code exp} when the Vector API is present) against double precision, over
     * lengths with and without a tail shorter than a vector, at values where {@code exp} overflows, and with the
     * gradient both written and accumulated.
     */
    @ParameterizedTest
    @EnumSource(
            value = Activation.class,
            names = {"SIGMOID", "SWISH"})
    void sigmoidAndSwishMatchDoublePrecisionAtEveryLength(Activation act) {
        Random r = new Random(11);
        for (int n : new int[] {1, 15, 16, 37, 1000}) {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = (float) (r.nextGaussian() * 6);
            }
            x[0] = n > 1 ? 120f : -120f;
            float[] y = new float[n];
            Activations.forward(act, x, y, n);
            float[] dy = new float[n];
            float[] dx = new float[n];
            float[] acc = new float[n];
            for (int i = 0; i < n; i++) {
                dy[i] = (float) r.nextGaussian();
                acc[i] = 1f;
            }
            Activations.backward(act, x, dy, dx, false, n);
            Activations.backward(act, x, dy, acc, true, n);
            for (int i = 0; i < n; i++) {
                double s = 1 / (1 + Math.exp(-(double) x[i]));
                double want = act == Activation.SWISH ? x[i] * s : s;
                double grad = dy[i] * (act == Activation.SWISH ? s * (1 + x[i] * (1 - s)) : s * (1 - s));
                assertThat((double) y[i])
                        .as("%s(%s), n=%d", act, x[i], n)
                        .isCloseTo(want, org.assertj.core.api.Assertions.within(1e-5 * Math.max(1, Math.abs(want))));
                assertThat((double) dx[i])
                        .as("%s'(%s)", act, x[i])
                        .isCloseTo(grad, org.assertj.core.api.Assertions.within(1e-5 * Math.max(1, Math.abs(grad))));
                assertThat((double) acc[i])
                        .isCloseTo(
                                1 + grad, org.assertj.core.api.Assertions.within(1e-5 * Math.max(1, Math.abs(grad))));
            }
        }
    }

    @Test
    void activationGradientsAtKinksFollowPyTorch() {
        assertThat(Activations.derivative(Activation.RELU, 0f)).isZero();
        assertThat(Activations.derivative(Activation.RELU6, 6f)).isZero();
        assertThat(Activations.derivative(Activation.HSWISH, 3f)).isEqualTo(1.5f);
        assertThat(Activations.derivative(Activation.HSWISH, -3f)).isEqualTo(-0.5f);
        assertThat(Activations.derivative(Activation.HSIGMOID, 3f)).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 17})
    void batchNormTrainingForwardAndBackward(int c) {
        Random r = new Random(c);
        int rows = 2 * 5 * 3;
        float[] x = random(r, rows * c);
        for (int i = 0; i < x.length; i++) {
            x[i] = x[i] * 3 + 1;
        }
        float[] gamma = random(r, c);
        float[] beta = random(r, c);
        float[] mean = new float[c];
        float[] var = new float[c];
        float[] inv = new float[c];
        BatchNormKernel.batchStatistics(x, rows, c, mean, var);
        for (int j = 0; j < c; j++) {
            inv[j] = (float) (1 / Math.sqrt(var[j] + 1e-5));
        }
        float[] y = new float[x.length];
        BatchNormKernel.normalize(x, y, rows, c, mean, inv, gamma, beta);
        double[] xd = toDouble(x);
        double[] gd = toDouble(gamma);
        double[] bd = toDouble(beta);
        assertThat(relativeError(y, Reference.batchNorm(xd, rows, c, gd, bd))).isLessThan(TOL);
        float[] dy = random(r, x.length);
        double[] dyd = toDouble(dy);
        float[] dx = new float[x.length];
        float[] dg = new float[c];
        float[] dbeta = new float[c];
        BatchNormKernel.backward(x, dy, rows, c, mean, inv, gamma, dx, false, dg, dbeta);
        assertThat(relativeError(dx, numericGradient(v -> Reference.batchNorm(v, rows, c, gd, bd), xd, dyd, 1e-4)))
                .isLessThan(TOL);
        assertThat(relativeError(dg, numericGradient(v -> Reference.batchNorm(xd, rows, c, v, bd), gd, dyd, 1e-3)))
                .isLessThan(TOL);
        assertThat(relativeError(dbeta, numericGradient(v -> Reference.batchNorm(xd, rows, c, gd, v), bd, dyd, 1)))
                .isLessThan(TOL);
    }

    @ParameterizedTest
    @EnumSource(
            value = Activation.class,
            names = {"NONE", "RELU", "RELU6"})
    void fusedBatchNormActivationForwardAndBackward(Activation act) {
        Random r = new Random(act.ordinal() + 40);
        int rows = 3 * 4 * 5;
        int c = 19;
        float[] x = random(r, rows * c);
        float[] gamma = random(r, c);
        float[] beta = random(r, c);
        for (int j = 0; j < c; j++) {
            gamma[j] *= 4;
            beta[j] += 1;
        }
        float[] mean = new float[c];
        float[] var = new float[c];
        float[] inv = new float[c];
        BatchNormKernel.batchStatistics(x, rows, c, mean, var);
        for (int j = 0; j < c; j++) {
            inv[j] = (float) (1 / Math.sqrt(var[j] + 1e-5));
        }
        float[] y = new float[x.length];
        BatchNormKernel.normalize(x, y, rows, c, mean, inv, gamma, beta, act);
        double[] xd = toDouble(x);
        double[] gd = toDouble(gamma);
        double[] bd = toDouble(beta);
        java.util.function.Function<double[], double[]> fx =
                v -> activate(act, Reference.batchNorm(v, rows, c, gd, bd));
        double[] expected = fx.apply(xd);
        assertThat(relativeError(y, expected)).isLessThan(TOL);
        if (act == Activation.RELU6) {
            assertThat(expected).as("exercises both kinks").contains(0.0, 6.0);
        }
        float[] dy = random(r, x.length);
        double[] dyd = toDouble(dy);
        float[] dx = new float[x.length];
        float[] dg = new float[c];
        float[] dbeta = new float[c];
        BatchNormKernel.backward(x, y, act, dy, rows, c, mean, inv, gamma, dx, false, dg, dbeta);
        assertThat(relativeError(dx, numericGradient(fx, xd, dyd, 1e-4)))
                .as("dx")
                .isLessThan(TOL);
        assertThat(relativeError(
                        dg,
                        numericGradient(v -> activate(act, Reference.batchNorm(xd, rows, c, v, bd)), gd, dyd, 1e-4)))
                .as("dgamma")
                .isLessThan(TOL);
        assertThat(relativeError(
                        dbeta,
                        numericGradient(v -> activate(act, Reference.batchNorm(xd, rows, c, gd, v)), bd, dyd, 1e-4)))
                .as("dbeta")
                .isLessThan(TOL);
        // accumulate adds to dx; the composed unfused kernels agree
        float[] pre = new float[x.length];
        BatchNormKernel.normalize(x, pre, rows, c, mean, inv, gamma, beta);
        float[] dpre = new float[x.length];
        Activations.backward(act, pre, dy, dpre, false, x.length);
        float[] dx2 = new float[x.length];
        BatchNormKernel.backward(x, dpre, rows, c, mean, inv, gamma, dx2, false, new float[c], new float[c]);
        assertThat(relativeError(dx, toDouble(dx2))).isLessThan(TOL);
        float[] twice = dx.clone();
        BatchNormKernel.backward(x, y, act, dy, rows, c, mean, inv, gamma, twice, true, dg, dbeta);
        double[] doubled = toDouble(dx);
        for (int i = 0; i < doubled.length; i++) {
            doubled[i] *= 2;
        }
        assertThat(relativeError(twice, doubled)).isLessThan(TOL);
    }

    @Test
    void anyActivationRunsInTheNormalisationButOnlyFusableOnesBackward() {
        Random r = new Random(17);
        int rows = 300;
        int c = 24;
        float[] x = random(r, rows * c);
        float[] mean = random(r, c);
        float[] inv = random(r, c);
        float[] gamma = random(r, c);
        float[] beta = random(r, c);
        for (Activation act : new Activation[] {Activation.HSWISH, Activation.SWISH, Activation.RELU6}) {
            float[] fused = new float[x.length];
            BatchNormKernel.normalize(x, fused, rows, c, mean, inv, gamma, beta, act);
            float[] separate = new float[x.length];
            BatchNormKernel.normalize(x, separate, rows, c, mean, inv, gamma, beta);
            Activations.forward(act, separate, separate, separate.length);
            assertThat(fused).as(act.toString()).isEqualTo(separate);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BatchNormKernel.backward(
                        x,
                        new float[x.length],
                        Activation.HSWISH,
                        new float[x.length],
                        rows,
                        c,
                        mean,
                        inv,
                        gamma,
                        new float[x.length],
                        false,
                        new float[c],
                        new float[c]))
                .hasMessageContaining("activation HSWISH cannot be fused")
                .hasMessageContaining("[NONE, RELU, RELU6]");
    }

    private static double[] activate(Activation act, double[] v) {
        double[] o = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            o[i] = Reference.act(act, v[i]);
        }
        return o;
    }

    static Stream<Arguments> poolCases() {
        // n, h, w, c, k, s, p
        return Stream.of(
                Arguments.of(new int[] {2, 7, 7, 3, 3, 2, 1}),
                Arguments.of(new int[] {1, 8, 6, 5, 2, 2, 0}),
                Arguments.of(new int[] {2, 9, 9, 4, 5, 1, 2}),
                Arguments.of(new int[] {1, 11, 10, 2, 7, 2, 3}));
    }

    @ParameterizedTest
    @MethodSource("poolCases")
    void poolingForwardAndBackward(int[] q) {
        int n = q[0], h = q[1], w = q[2], c = q[3], k = q[4], s = q[5], p = q[6];
        int ho = (h + 2 * p - k) / s + 1;
        int wo = (w + 2 * p - k) / s + 1;
        Random r = new Random(h * 13 + k);
        float[] x = random(r, n * h * w * c);
        double[] xd = toDouble(x);
        float[] dy = random(r, n * ho * wo * c);
        double[] dyd = toDouble(dy);
        for (boolean max : new boolean[] {true, false}) {
            float[] y = new float[dy.length];
            float[] dx = random(r, x.length);
            if (max) {
                int[] arg = new int[y.length];
                Pooling.maxForward(n, h, w, c, k, s, p, x, y, arg);
                Pooling.maxBackward(x.length, y.length, n, dy, arg, dx, false);
            } else {
                Pooling.avgForward(n, h, w, c, k, s, p, x, y);
                Pooling.avgBackward(n, h, w, c, k, s, p, dy, dx, false);
            }
            assertThat(relativeError(y, Reference.pool(xd, n, h, w, c, k, s, p, max)))
                    .as("max=%s", max)
                    .isLessThan(TOL);
            assertThat(relativeError(
                            dx, numericGradient(v -> Reference.pool(v, n, h, w, c, k, s, p, max), xd, dyd, 1e-6)))
                    .as("max=%s backward", max)
                    .isLessThan(TOL);
        }
    }

    @Test
    void globalPoolingForwardAndBackward() {
        int n = 3, hw = 10, c = 7;
        Random r = new Random(5);
        float[] x = random(r, n * hw * c);
        double[] xd = toDouble(x);
        float[] dy = random(r, n * c);
        double[] dyd = toDouble(dy);
        for (boolean max : new boolean[] {true, false}) {
            float[] y = new float[n * c];
            float[] dx = random(r, x.length);
            if (max) {
                int[] arg = new int[n * c];
                Pooling.globalMaxForward(n, hw, c, x, y, arg);
                Pooling.maxBackward(x.length, y.length, n, dy, arg, dx, false);
            } else {
                Pooling.globalAvgForward(n, hw, c, x, y);
                Pooling.globalAvgBackward(n, hw, c, dy, dx, false);
            }
            double[] ref = globalPool(xd, n, hw, c, max);
            assertThat(relativeError(y, ref)).isLessThan(TOL);
            assertThat(relativeError(dx, numericGradient(v -> globalPool(v, n, hw, c, max), xd, dyd, 1e-6)))
                    .isLessThan(TOL);
        }
    }

    private static double[] globalPool(double[] x, int n, int hw, int c, boolean max) {
        double[] y = new double[n * c];
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                double acc = max ? Double.NEGATIVE_INFINITY : 0;
                for (int q = 0; q < hw; q++) {
                    double v = x[(b * hw + q) * c + ch];
                    acc = max ? Math.max(acc, v) : acc + v / hw;
                }
                y[b * c + ch] = acc;
            }
        }
        return y;
    }

    @Test
    void squeezeExcitationScaleForwardAndBackward() {
        int n = 2, hw = 6, c = 5;
        Random r = new Random(8);
        float[] x = random(r, n * hw * c);
        float[] g = random(r, n * c);
        float[] y = new float[x.length];
        TensorOps.scale(n, hw, c, x, g, y);
        double[] xd = toDouble(x);
        double[] gd = toDouble(g);
        java.util.function.BiFunction<double[], double[], double[]> ref = (xv, gv) -> {
            double[] o = new double[xv.length];
            for (int b = 0; b < n; b++) {
                for (int q = 0; q < hw; q++) {
                    for (int ch = 0; ch < c; ch++) {
                        o[(b * hw + q) * c + ch] = xv[(b * hw + q) * c + ch] * gv[b * c + ch];
                    }
                }
            }
            return o;
        };
        assertThat(relativeError(y, ref.apply(xd, gd))).isLessThan(TOL);
        float[] dy = random(r, x.length);
        float[] dx = new float[x.length];
        float[] dg = new float[g.length];
        TensorOps.scaleBackward(n, hw, c, x, g, dy, dx, false, dg, false);
        double[] dyd = toDouble(dy);
        assertThat(relativeError(dx, numericGradient(v -> ref.apply(v, gd), xd, dyd, 1)))
                .isLessThan(TOL);
        assertThat(relativeError(dg, numericGradient(v -> ref.apply(xd, v), gd, dyd, 1)))
                .isLessThan(TOL);
    }

    @Test
    void channelShuffleMatchesPyTorchAndInvertsInBackward() {
        int pixels = 3, c = 6, groups = 2;
        float[] x = new float[pixels * c];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        float[] y = new float[x.length];
        TensorOps.shuffle(pixels, c, groups, x, y, false, false);
        // view (2, 3) -> transpose -> (3, 2): channels 0,3,1,4,2,5
        assertThat(java.util.Arrays.copyOf(y, 6)).containsExactly(0, 3, 1, 4, 2, 5);
        float[] back = new float[x.length];
        TensorOps.shuffle(pixels, c, groups, y, back, true, false);
        assertThat(back).containsExactly(x);
        TensorOps.shuffle(pixels, c, groups, y, back, true, true);
        for (int i = 0; i < x.length; i++) {
            assertThat(back[i]).isEqualTo(2 * x[i]);
        }
    }

    @Test
    void concatAndSliceMoveChannels() {
        int pixels = 4;
        float[] a = random(new Random(1), pixels * 3);
        float[] b = random(new Random(2), pixels * 5);
        float[] y = new float[pixels * 8];
        TensorOps.moveChannels(pixels, a, 3, 0, y, 8, 0, 3, false);
        TensorOps.moveChannels(pixels, b, 5, 0, y, 8, 3, 5, false);
        for (int q = 0; q < pixels; q++) {
            for (int ch = 0; ch < 8; ch++) {
                float expected = ch < 3 ? a[q * 3 + ch] : b[q * 5 + ch - 3];
                assertThat(y[q * 8 + ch]).isEqualTo(expected);
            }
        }
        float[] slice = new float[pixels * 5];
        TensorOps.moveChannels(pixels, y, 8, 3, slice, 5, 0, 5, false);
        assertThat(slice).containsExactly(b);
    }
}
