package org.mobilenas.core.train;

import org.mobilenas.core.data.ImageDataset;
import org.mobilenas.core.engine.Model;
import org.mobilenas.core.engine.Tensor;

/**
 * Accuracy and loss of a model on a dataset, computed in {@link Model.Mode#EVAL}.
 *
 * <pre>{@code
 * Evaluation e = Evaluation.of(model, testSet, 256);
 * System.out.printf("top-1 %.2f %%, top-5 %.2f %%, loss %.4f%n", 100 * e.top1(), 100 * e.top5(), e.loss());
 * }</pre>
 *
 * @param loss     mean softmax cross-entropy (no label smoothing)
 * @param top1     fraction of images whose label has the highest logit
 * @param top5     fraction whose label is among the five highest (all of them when there are at most five classes)
 * @param examples number of images evaluated
 */
public record Evaluation(double loss, double top1, double top5, int examples) {
    /** Checks the components (a bad one is an error naming it). */
    public Evaluation {
        if (examples <= 0) {
            throw new IllegalArgumentException("examples = " + examples + ", expected > 0");
        }
        if (!(top1 >= 0 && top1 <= 1)) {
            throw new IllegalArgumentException("top1 = " + top1 + ", expected in [0, 1]");
        }
        if (!(top5 >= top1 && top5 <= 1)) {
            throw new IllegalArgumentException("top5 = " + top5 + ", expected in [top1 = " + top1 + ", 1]");
        }
    }

    /**
     * Evaluates {@code model} on all of {@code data} in batches of {@code batchSize}, or of fewer images when a
     * {@link org.mobilenas.core.engine.Network}'s inference buffers for that many would take more than a third of
     * the free heap ({@link org.mobilenas.core.engine.Network#affordableBatch}); the result does not depend on the
     * batch size.
     */
    public static Evaluation of(Model model, ImageDataset data, int batchSize) {
        int batch = model instanceof org.mobilenas.core.engine.Network net && batchSize > 0
                ? net.affordableBatch(batchSize)
                : batchSize;
        Accumulator acc = new Accumulator();
        for (ImageDataset.Batch b : data.batches(batch)) {
            Tensor logits = model.forward(b.images(), Model.Mode.EVAL);
            acc.add(logits, b.labels(), data.numClasses());
        }
        return acc.result();
    }

    /** Sums loss and top-k hits over batches. */
    static final class Accumulator {
        private double lossSum;
        private long top1;
        private long top5;
        private int count;

        void add(Tensor logits, int[] labels, int classes) {
            int k = checkLogits(logits, labels.length, classes);
            int n = labels.length;
            lossSum += Losses.softmaxCrossEntropy(logits.data, n, k, labels, 0, null, 0f) * n;
            for (int i = 0; i < n; i++) {
                int r = Losses.rank(logits.data, i * k, k, labels[i]);
                top1 += r < 1 ? 1 : 0;
                top5 += r < 5 ? 1 : 0;
            }
            count += n;
        }

        Evaluation result() {
            if (count == 0) {
                throw new IllegalArgumentException("no examples to evaluate");
            }
            return new Evaluation(lossSum / count, (double) top1 / count, (double) top5 / count, count);
        }
    }

    static int checkLogits(Tensor logits, int n, int classes) {
        int k = logits.h * logits.w * logits.c;
        if (logits.n != n || k != classes) {
            throw new IllegalArgumentException("model output " + logits + " does not match a batch of " + n
                    + " images of " + classes + " classes; expected [" + n + ", 1, 1, " + classes + "]");
        }
        return k;
    }
}
