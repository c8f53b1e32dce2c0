package org.mobilenas.core.search;

import java.util.random.RandomGenerator;

/**
 * The NASNet/MnasNet controller network: a one-layer LSTM that emits one categorical decision per step. The
 * input of step 0 is a learned start vector; the input of step t &gt; 0 is the embedding of the action taken at
 * step t − 1 (one embedding table per decision). Each step has its own softmax head on the hidden state.
 * Forward and backward passes are written out on plain double arrays; all parameters live in one flat vector
 * (for the optimiser) and are initialised uniformly in [−init, init].
 */
final class LstmPolicy {
    final int hidden;
    final int embed;
    final int[] sizes;
    final double[] theta;
    private final int oW;
    private final int oB;
    private final int oStart;
    private final int[] oV;
    private final int[] oU;
    private final int[] oEmb;

    /** One forward pass through all decisions, with what the backward pass needs. */
    static final class Trace {
        final int[] actions;
        final double[][] x;
        final double[][] hPrev;
        final double[][] cPrev;
        final double[][] gi;
        final double[][] gf;
        final double[][] go;
        final double[][] gg;
        final double[][] tc;
        final double[][] h;
        final double[][] p;
        double logProb;
        double entropy;

        Trace(int steps) {
            actions = new int[steps];
            x = new double[steps][];
            hPrev = new double[steps][];
            cPrev = new double[steps][];
            gi = new double[steps][];
            gf = new double[steps][];
            go = new double[steps][];
            gg = new double[steps][];
            tc = new double[steps][];
            h = new double[steps][];
            p = new double[steps][];
        }
    }

    LstmPolicy(int[] sizes, int hidden, int embed, double init, RandomGenerator rng) {
        if (sizes.length == 0) {
            throw new IllegalArgumentException("policy needs at least one decision");
        }
        this.sizes = sizes.clone();
        this.hidden = hidden;
        this.embed = embed;
        int o = 0;
        oW = o;
        o += 4 * hidden * (embed + hidden);
        oB = o;
        o += 4 * hidden;
        oStart = o;
        o += embed;
        oV = new int[sizes.length];
        oU = new int[sizes.length];
        oEmb = new int[sizes.length];
        for (int t = 0; t < sizes.length; t++) {
            oV[t] = o;
            o += sizes[t] * hidden;
            oU[t] = o;
            o += sizes[t];
            oEmb[t] = o;
            o += sizes[t] * embed;
        }
        theta = new double[o];
        for (int i = 0; i < o; i++) {
            theta[i] = (rng.nextDouble() * 2 - 1) * init;
        }
    }

    int parameterCount() {
        return theta.length;
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    /**
     * Runs the policy. With {@code actions == null} it samples each decision from {@code rng} (or takes the
     * most likely option when {@code rng} is null); otherwise it scores the given actions.
     */
    Trace run(int[] actions, RandomGenerator rng) {
        int steps = sizes.length;
        if (actions != null && actions.length != steps) {
            throw new IllegalArgumentException("policy got " + actions.length + " actions, expected " + steps);
        }
        int in = embed + hidden;
        Trace tr = new Trace(steps);
        double[] hp = new double[hidden];
        double[] cp = new double[hidden];
        double[] x = new double[embed];
        System.arraycopy(theta, oStart, x, 0, embed);
        for (int t = 0; t < steps; t++) {
            double[] gi = new double[hidden];
            double[] gf = new double[hidden];
            double[] go = new double[hidden];
            double[] gg = new double[hidden];
            double[] c = new double[hidden];
            double[] tc = new double[hidden];
            double[] h = new double[hidden];
            for (int j = 0; j < 4 * hidden; j++) {
                double z = theta[oB + j];
                int row = oW + j * in;
                for (int k = 0; k < embed; k++) {
                    z += theta[row + k] * x[k];
                }
                for (int k = 0; k < hidden; k++) {
                    z += theta[row + embed + k] * hp[k];
                }
                int gate = j / hidden;
                int u = j % hidden;
                switch (gate) {
                    case 0 -> gi[u] = sigmoid(z);
                    case 1 -> gf[u] = sigmoid(z);
                    case 2 -> go[u] = sigmoid(z);
                    default -> gg[u] = Math.tanh(z);
                }
            }
            for (int u = 0; u < hidden; u++) {
                c[u] = gf[u] * cp[u] + gi[u] * gg[u];
                tc[u] = Math.tanh(c[u]);
                h[u] = go[u] * tc[u];
            }
            int n = sizes[t];
            double[] logits = new double[n];
            double max = Double.NEGATIVE_INFINITY;
            for (int a = 0; a < n; a++) {
                double z = theta[oU[t] + a];
                int row = oV[t] + a * hidden;
                for (int u = 0; u < hidden; u++) {
                    z += theta[row + u] * h[u];
                }
                logits[a] = z;
                max = Math.max(max, z);
            }
            double sum = 0;
            double[] p = new double[n];
            for (int a = 0; a < n; a++) {
                p[a] = Math.exp(logits[a] - max);
                sum += p[a];
            }
            double ent = 0;
            for (int a = 0; a < n; a++) {
                p[a] /= sum;
                if (p[a] > 0) {
                    ent -= p[a] * Math.log(p[a]);
                }
            }
            int act;
            if (actions != null) {
                act = actions[t];
                if (act < 0 || act >= n) {
                    throw new IllegalArgumentException("action " + t + " = " + act + ", expected 0.." + (n - 1));
                }
            } else if (rng == null) {
                act = 0;
                for (int a = 1; a < n; a++) {
                    if (p[a] > p[act]) {
                        act = a;
                    }
                }
            } else {
                double r = rng.nextDouble();
                act = n - 1;
                double acc = 0;
                for (int a = 0; a < n; a++) {
                    acc += p[a];
                    if (r < acc) {
                        act = a;
                        break;
                    }
                }
            }
            tr.actions[t] = act;
            tr.x[t] = x;
            tr.hPrev[t] = hp;
            tr.cPrev[t] = cp;
            tr.gi[t] = gi;
            tr.gf[t] = gf;
            tr.go[t] = go;
            tr.gg[t] = gg;
            tr.tc[t] = tc;
            tr.h[t] = h;
            tr.p[t] = p;
            tr.logProb += Math.log(Math.max(p[act], 1e-300));
            tr.entropy += ent;
            hp = h;
            cp = c;
            x = new double[embed];
            System.arraycopy(theta, oEmb[t] + act * embed, x, 0, embed);
        }
        return tr;
    }

    /**
     * Adds to {@code grad} the gradient of {@code coefLogProb · Σ_t log p_t(a_t) + coefEntropy · Σ_t H(p_t)}
     * with respect to the parameters, for the actions of {@code tr}.
     */
    void backward(Trace tr, double coefLogProb, double coefEntropy, double[] grad) {
        int steps = sizes.length;
        int in = embed + hidden;
        double[] dhNext = new double[hidden];
        double[] dcNext = new double[hidden];
        for (int t = steps - 1; t >= 0; t--) {
            int n = sizes[t];
            double[] p = tr.p[t];
            double ent = 0;
            for (int a = 0; a < n; a++) {
                if (p[a] > 0) {
                    ent -= p[a] * Math.log(p[a]);
                }
            }
            double[] dz = new double[n];
            for (int a = 0; a < n; a++) {
                double lp = p[a] > 0 ? Math.log(p[a]) : 0;
                dz[a] = coefLogProb * ((a == tr.actions[t] ? 1 : 0) - p[a]) - coefEntropy * p[a] * (lp + ent);
            }
            double[] h = tr.h[t];
            double[] dh = dhNext.clone();
            for (int a = 0; a < n; a++) {
                int row = oV[t] + a * hidden;
                grad[oU[t] + a] += dz[a];
                for (int u = 0; u < hidden; u++) {
                    grad[row + u] += dz[a] * h[u];
                    dh[u] += theta[row + u] * dz[a];
                }
            }
            double[] dZ = new double[4 * hidden];
            double[] dcPrev = new double[hidden];
            for (int u = 0; u < hidden; u++) {
                double i = tr.gi[t][u];
                double f = tr.gf[t][u];
                double o = tr.go[t][u];
                double g = tr.gg[t][u];
                double tc = tr.tc[t][u];
                double dc = dcNext[u] + dh[u] * o * (1 - tc * tc);
                double dO = dh[u] * tc;
                dZ[u] = dc * g * i * (1 - i);
                dZ[hidden + u] = dc * tr.cPrev[t][u] * f * (1 - f);
                dZ[2 * hidden + u] = dO * o * (1 - o);
                dZ[3 * hidden + u] = dc * i * (1 - g * g);
                dcPrev[u] = dc * f;
            }
            double[] x = tr.x[t];
            double[] hp = tr.hPrev[t];
            double[] dx = new double[embed];
            double[] dhp = new double[hidden];
            for (int j = 0; j < 4 * hidden; j++) {
                double d = dZ[j];
                if (d == 0) {
                    continue;
                }
                grad[oB + j] += d;
                int row = oW + j * in;
                for (int k = 0; k < embed; k++) {
                    grad[row + k] += d * x[k];
                    dx[k] += theta[row + k] * d;
                }
                for (int k = 0; k < hidden; k++) {
                    grad[row + embed + k] += d * hp[k];
                    dhp[k] += theta[row + embed + k] * d;
                }
            }
            int target = t == 0 ? oStart : oEmb[t - 1] + tr.actions[t - 1] * embed;
            for (int k = 0; k < embed; k++) {
                grad[target + k] += dx[k];
            }
            dhNext = dhp;
            dcNext = dcPrev;
        }
    }
}
