package org.mobilenas.core.train;

/**
 * Classification losses on a batch of logits ({@code n} rows of {@code k} values), averaged over the batch, with
 * their gradients with respect to the logits. Gradients are added (scaled) into a caller's buffer so several
 * losses can be combined.
 *
 * <pre>{@code
 * float[] grad = new float[n * k];
 * double ce = Losses.softmaxCrossEntropy(logits, n, k, labels, 0.1, grad, 1f);
 * double kd = Losses.distillation(logits, teacherLogits, n, k, 4.0, grad, 0.5f);
 * }</pre>
 */
public final class Losses {
    private Losses() {}

    /**
     * Mean softmax cross-entropy against label-smoothed targets {@code (1 - s) onehot(y) + s / k}.
     *
     * @param logits    {@code n * k} values
     * @param labels    {@code n} labels in {@code [0, k)}
     * @param smoothing label smoothing {@code s} in [0, 1)
     * @param grad      if not null, receives {@code scale * (softmax - target) / n}
     * @param scale     weight of this loss in the gradient
     * @return the mean loss
     */
    public static double softmaxCrossEntropy(
            float[] logits, int n, int k, int[] labels, double smoothing, float[] grad, float scale) {
        checkShape(logits, n, k, grad);
        if (labels.length < n) {
            throw new IllegalArgumentException("labels: " + labels.length + " given, expected " + n);
        }
        if (!(smoothing >= 0 && smoothing < 1)) {
            throw new IllegalArgumentException("labelSmoothing = " + smoothing + ", expected in [0, 1)");
        }
        double total = 0;
        double[] logp = new double[k];
        double off = smoothing / k;
        for (int i = 0; i < n; i++) {
            int y = labels[i];
            if (y < 0 || y >= k) {
                throw new IllegalArgumentException("labels[" + i + "] = " + y + ", expected 0.." + (k - 1));
            }
            logSoftmax(logits, i * k, k, 1.0, logp);
            double loss = 0;
            for (int j = 0; j < k; j++) {
                double t = off + (j == y ? 1 - smoothing : 0);
                loss -= t * logp[j];
                if (grad != null) {
                    grad[i * k + j] += (float) (scale * (Math.exp(logp[j]) - t) / n);
                }
            }
            total += loss;
        }
        return total / n;
    }

    /**
     * Mean distillation loss {@code T^2 KL(softmax(teacher / T) || softmax(student / T))}, the Hinton et al.
     * scaling, whose gradient with respect to the student logits is {@code T (p_student - p_teacher)}.
     *
     * @param student     {@code n * k} student logits
     * @param teacher     {@code n * k} teacher logits
     * @param temperature {@code T > 0}
     * @param grad        if not null, receives {@code scale * T (p_s - p_t) / n}
     * @param scale       weight of this loss in the gradient
     * @return the mean loss
     */
    public static double distillation(
            float[] student, float[] teacher, int n, int k, double temperature, float[] grad, float scale) {
        checkShape(student, n, k, grad);
        if (teacher.length < n * k) {
            throw new IllegalArgumentException("teacher logits: " + teacher.length + " values, expected " + n * k);
        }
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature = " + temperature + ", expected a finite value > 0");
        }
        double t2 = temperature * temperature;
        double[] ls = new double[k];
        double[] lt = new double[k];
        double total = 0;
        for (int i = 0; i < n; i++) {
            logSoftmax(student, i * k, k, temperature, ls);
            logSoftmax(teacher, i * k, k, temperature, lt);
            double kl = 0;
            for (int j = 0; j < k; j++) {
                double pt = Math.exp(lt[j]);
                kl += pt * (lt[j] - ls[j]);
                if (grad != null) {
                    grad[i * k + j] += (float) (scale * temperature * (Math.exp(ls[j]) - pt) / n);
                }
            }
            total += t2 * kl;
        }
        return total / n;
    }

    private static void checkShape(float[] logits, int n, int k, float[] grad) {
        if (n <= 0 || k < 2) {
            throw new IllegalArgumentException(
                    "batch n = " + n + ", classes k = " + k + ": expected n >= 1 and k >= 2");
        }
        if (logits.length < n * k) {
            throw new IllegalArgumentException("logits: " + logits.length + " values, expected " + n * k);
        }
        if (grad != null && grad.length < n * k) {
            throw new IllegalArgumentException("grad: " + grad.length + " values, expected " + n * k);
        }
    }

    /** {@code log softmax(z / T)} of row {@code z[off .. off+k)}. */
    static void logSoftmax(float[] z, int off, int k, double temperature, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            max = Math.max(max, z[off + j] / temperature);
        }
        double sum = 0;
        for (int j = 0; j < k; j++) {
            sum += Math.exp(z[off + j] / temperature - max);
        }
        double lse = max + Math.log(sum);
        for (int j = 0; j < k; j++) {
            out[j] = z[off + j] / temperature - lse;
        }
    }

    /** 0-based rank of the label's logit in its row (ties broken toward the lower class index, like argmax). */
    static int rank(float[] z, int off, int k, int label) {
        float v = z[off + label];
        int r = 0;
        for (int j = 0; j < k; j++) {
            float u = z[off + j];
            if (u > v || (u == v && j < label) || Float.isNaN(u)) {
                r++;
            }
        }
        return r;
    }
}
