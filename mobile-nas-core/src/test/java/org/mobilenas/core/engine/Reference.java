package org.mobilenas.core.engine;

import java.util.Random;
import java.util.function.Function;
import org.mobilenas.core.spec.Activation;

/** Plain double-precision reference implementations and numeric gradients for the kernel tests. */
final class Reference {
    private Reference() {}

    static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    /** Grouped convolution, NHWC, weights [out, k, k, in/groups]. */
    static double[] conv(
            double[] x,
            int n,
            int h,
            int w,
            int cin,
            double[] wt,
            double[] bias,
            int cout,
            int k,
            int s,
            int p,
            int g) {
        int ho = (h + 2 * p - k) / s + 1;
        int wo = (w + 2 * p - k) / s + 1;
        int ig = cin / g;
        int og = cout / g;
        double[] y = new double[n * ho * wo * cout];
        for (int b = 0; b < n; b++) {
            for (int oy = 0; oy < ho; oy++) {
                for (int ox = 0; ox < wo; ox++) {
                    for (int co = 0; co < cout; co++) {
                        int grp = co / og;
                        double acc = bias == null ? 0 : bias[co];
                        for (int ky = 0; ky < k; ky++) {
                            for (int kx = 0; kx < k; kx++) {
                                int iy = oy * s - p + ky;
                                int ix = ox * s - p + kx;
                                if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                                    continue;
                                }
                                for (int ci = 0; ci < ig; ci++) {
                                    acc += x[((b * h + iy) * w + ix) * cin + grp * ig + ci]
                                            * wt[((co * k + ky) * k + kx) * ig + ci];
                                }
                            }
                        }
                        y[((b * ho + oy) * wo + ox) * cout + co] = acc;
                    }
                }
            }
        }
        return y;
    }

    static double act(Activation a, double v) {
        return switch (a) {
            case NONE -> v;
            case RELU -> Math.max(v, 0);
            case RELU6 -> Math.min(Math.max(v, 0), 6);
            case HSWISH -> v * Math.min(Math.max(v + 3, 0), 6) / 6;
            case HSIGMOID -> Math.min(Math.max(v + 3, 0), 6) / 6;
            case SIGMOID -> 1 / (1 + Math.exp(-v));
            case SWISH -> v / (1 + Math.exp(-v));
        };
    }

    /** Batch norm with batch statistics (biased variance), eps 1e-5. */
    static double[] batchNorm(double[] x, int rows, int c, double[] gamma, double[] beta) {
        double[] y = new double[x.length];
        for (int j = 0; j < c; j++) {
            double m = 0;
            for (int r = 0; r < rows; r++) {
                m += x[r * c + j];
            }
            m /= rows;
            double v = 0;
            for (int r = 0; r < rows; r++) {
                v += (x[r * c + j] - m) * (x[r * c + j] - m);
            }
            v /= rows;
            for (int r = 0; r < rows; r++) {
                y[r * c + j] = (x[r * c + j] - m) / Math.sqrt(v + 1e-5) * gamma[j] + beta[j];
            }
        }
        return y;
    }

    static double[] pool(double[] x, int n, int h, int w, int c, int k, int s, int p, boolean max) {
        int ho = (h + 2 * p - k) / s + 1;
        int wo = (w + 2 * p - k) / s + 1;
        double[] y = new double[n * ho * wo * c];
        for (int b = 0; b < n; b++) {
            for (int oy = 0; oy < ho; oy++) {
                for (int ox = 0; ox < wo; ox++) {
                    for (int ch = 0; ch < c; ch++) {
                        double acc = max ? Double.NEGATIVE_INFINITY : 0;
                        for (int ky = 0; ky < k; ky++) {
                            for (int kx = 0; kx < k; kx++) {
                                int iy = oy * s - p + ky;
                                int ix = ox * s - p + kx;
                                if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                                    continue;
                                }
                                double v = x[((b * h + iy) * w + ix) * c + ch];
                                acc = max ? Math.max(acc, v) : acc + v;
                            }
                        }
                        y[((b * ho + oy) * wo + ox) * c + ch] = max ? acc : acc / (k * k);
                    }
                }
            }
        }
        return y;
    }

    /**
     * Central-difference gradient of {@code sum(dy * f(x))} with respect to {@code x}, in double. Exact up to
     * rounding for functions linear in {@code x}.
     */
    static double[] numericGradient(Function<double[], double[]> f, double[] x, double[] dy, double eps) {
        double[] g = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double old = x[i];
            x[i] = old + eps;
            double plus = dot(f.apply(x), dy);
            x[i] = old - eps;
            double minus = dot(f.apply(x), dy);
            x[i] = old;
            g[i] = (plus - minus) / (2 * eps);
        }
        return g;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** ||a - b|| / max(||b||, 1e-12), over the first {@code b.length} elements of {@code a}. */
    static double relativeError(float[] a, double[] b) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < b.length; i++) {
            num += (a[i] - b[i]) * (a[i] - b[i]);
            den += b[i] * b[i];
        }
        return Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-12);
    }
}
