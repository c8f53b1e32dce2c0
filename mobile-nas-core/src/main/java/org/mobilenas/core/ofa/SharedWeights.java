package org.mobilenas.core.ofa;

import java.util.ArrayList;
import java.util.List;
import org.mobilenas.core.engine.Network;
import org.mobilenas.core.engine.Param;
import org.mobilenas.core.engine.ParameterStore;

/**
 * The weight sharing of an {@link ElasticSupernet}: a subnet's parameters are the leading slices of the shared
 * full-size tensors (first channels, first blocks), and a smaller depthwise kernel is the centre crop of the larger
 * one passed through the chain of kernel transformation matrices. Gathering copies those values into a subnet;
 * scattering adds the subnet's gradients back (through the transforms, which receive gradients of their own) and
 * copies its batch-norm statistics.
 */
final class SharedWeights {
    private final ParameterStore store;
    /** Kernel sizes, descending: the transform chain runs from the first to the requested one. */
    private final List<Integer> chain;

    SharedWeights(ParameterStore store, List<Integer> chain) {
        this.store = store;
        this.chain = List.copyOf(chain);
    }

    /** Copies the shared values into {@code net}'s parameters and zeroes its gradients. */
    void gather(Network net) {
        for (Param p : net.parameters().all()) {
            Param f = store.get(p.name());
            if (p.shape().length == 4 && p.dim(1) != f.dim(1)) {
                gatherKernel(p, f);
            } else {
                copyLeading(f.value(), f.shape(), p.value(), p.shape(), true);
            }
            p.zeroGrad();
        }
    }

    /** Adds the gradients of {@code net}'s trainable parameters into the shared ones and zeroes them. */
    void scatterGradients(Network net) {
        for (Param p : net.parameters().all()) {
            if (!p.trainable()) {
                continue;
            }
            Param f = store.get(p.name());
            if (p.shape().length == 4 && p.dim(1) != f.dim(1)) {
                scatterKernel(p, f);
            } else {
                addLeading(p.grad(), p.shape(), f.grad(), f.shape());
            }
            p.zeroGrad();
        }
    }

    /** Copies {@code net}'s batch-norm running statistics into the shared ones. */
    void scatterStatistics(Network net) {
        for (Param p : net.parameters().all()) {
            if (!p.trainable()) {
                Param f = store.get(p.name());
                System.arraycopy(p.value(), 0, f.value(), 0, p.size());
            }
        }
    }

    /**
     * Copies the leading block of {@code full} (first indices along every dimension) into {@code sub}
     * ({@code toSub}) or back.
     */
    private static void copyLeading(float[] full, int[] fs, float[] sub, int[] ss, boolean toSub) {
        if (fs.length != ss.length) {
            throw new IllegalStateException("rank mismatch " + fs.length + " vs " + ss.length);
        }
        if (java.util.Arrays.equals(fs, ss)) {
            if (toSub) {
                System.arraycopy(full, 0, sub, 0, sub.length);
            } else {
                System.arraycopy(sub, 0, full, 0, sub.length);
            }
            return;
        }
        if (ss.length == 1) {
            if (toSub) {
                System.arraycopy(full, 0, sub, 0, ss[0]);
            } else {
                System.arraycopy(sub, 0, full, 0, ss[0]);
            }
            return;
        }
        int[] f4 = as4(fs);
        int[] s4 = as4(ss);
        for (int o = 0; o < s4[0]; o++) {
            for (int y = 0; y < s4[1]; y++) {
                for (int x = 0; x < s4[2]; x++) {
                    int si = ((o * s4[1] + y) * s4[2] + x) * s4[3];
                    int fi = ((o * f4[1] + y) * f4[2] + x) * f4[3];
                    if (toSub) {
                        System.arraycopy(full, fi, sub, si, s4[3]);
                    } else {
                        System.arraycopy(sub, si, full, fi, s4[3]);
                    }
                }
            }
        }
    }

    private static void addLeading(float[] sub, int[] ss, float[] full, int[] fs) {
        if (ss.length == 1) {
            for (int i = 0; i < ss[0]; i++) {
                full[i] += sub[i];
            }
            return;
        }
        int[] f4 = as4(fs);
        int[] s4 = as4(ss);
        for (int o = 0; o < s4[0]; o++) {
            for (int y = 0; y < s4[1]; y++) {
                for (int x = 0; x < s4[2]; x++) {
                    int si = ((o * s4[1] + y) * s4[2] + x) * s4[3];
                    int fi = ((o * f4[1] + y) * f4[2] + x) * f4[3];
                    for (int i = 0; i < s4[3]; i++) {
                        full[fi + i] += sub[si + i];
                    }
                }
            }
        }
    }

    private static int[] as4(int[] s) {
        return s.length == 4 ? s : new int[] {s[0], 1, 1, s[1]};
    }

    /** The transform matrices of {@code convPrefix}, in chain order down to {@code kernel}. */
    private List<Param> transforms(String convPrefix, int kernel) {
        List<Param> out = new ArrayList<>();
        for (int i = 0; i + 1 < chain.size() && chain.get(i) > kernel; i++) {
            out.add(store.get(ElasticSupernet.transformName(convPrefix, chain.get(i), chain.get(i + 1))));
        }
        return out;
    }

    /** Centre {@code k x k} crop of a {@code K x K} kernel. */
    private static float[] crop(float[] w, int big, int k) {
        float[] out = new float[k * k];
        int off = (big - k) / 2;
        for (int y = 0; y < k; y++) {
            System.arraycopy(w, (y + off) * big + off, out, y * k, k);
        }
        return out;
    }

    /** {@code M x} for an {@code n x n} matrix. */
    private static float[] apply(float[] m, float[] x) {
        int n = x.length;
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += m[i * n + j] * x[j];
            }
            y[i] = (float) s;
        }
        return y;
    }

    private String convPrefix(String paramName) {
        return paramName.substring(0, paramName.length() - ".weight".length());
    }

    /** Depthwise weights {@code [c, k, k, 1]}: first channels, centre crops through the transform chain. */
    private void gatherKernel(Param p, Param f) {
        int k = p.dim(1);
        int big = f.dim(1);
        List<Param> ts = transforms(convPrefix(p.name()), k);
        float[] fv = f.value();
        float[] pv = p.value();
        for (int c = 0; c < p.dim(0); c++) {
            float[] w = java.util.Arrays.copyOfRange(fv, c * big * big, (c + 1) * big * big);
            int cur = big;
            for (int i = 0; i < ts.size(); i++) {
                int next = chain.get(i + 1);
                w = apply(ts.get(i).value(), crop(w, cur, next));
                cur = next;
            }
            System.arraycopy(w, 0, pv, c * k * k, k * k);
        }
    }

    /** Back-propagates a depthwise weight gradient through the transform chain into the shared kernel. */
    private void scatterKernel(Param p, Param f) {
        int k = p.dim(1);
        int big = f.dim(1);
        List<Param> ts = transforms(convPrefix(p.name()), k);
        float[] fv = f.value();
        float[] fg = f.grad();
        float[] pg = p.grad();
        for (int c = 0; c < p.dim(0); c++) {
            float[] w = java.util.Arrays.copyOfRange(fv, c * big * big, (c + 1) * big * big);
            List<float[]> crops = new ArrayList<>();
            int cur = big;
            for (int i = 0; i < ts.size(); i++) {
                int next = chain.get(i + 1);
                float[] cr = crop(w, cur, next);
                crops.add(cr);
                w = apply(ts.get(i).value(), cr);
                cur = next;
            }
            float[] g = java.util.Arrays.copyOfRange(pg, c * k * k, (c + 1) * k * k);
            for (int i = ts.size() - 1; i >= 0; i--) {
                float[] m = ts.get(i).value();
                float[] gm = ts.get(i).grad();
                float[] cr = crops.get(i);
                int n = g.length;
                float[] gc = new float[n];
                for (int r = 0; r < n; r++) {
                    float gr = g[r];
                    for (int j = 0; j < n; j++) {
                        gm[r * n + j] += gr * cr[j];
                        gc[j] += m[r * n + j] * gr;
                    }
                }
                int prev = chain.get(i);
                int small = chain.get(i + 1);
                float[] gp = new float[prev * prev];
                int off = (prev - small) / 2;
                for (int y = 0; y < small; y++) {
                    System.arraycopy(gc, y * small, gp, (y + off) * prev + off, small);
                }
                g = gp;
            }
            for (int j = 0; j < big * big; j++) {
                fg[c * big * big + j] += g[j];
            }
        }
    }
}
