package org.mobilenas.core.data;

import java.util.SplittableRandom;
import org.mobilenas.core.engine.Tensor;

/**
 * Light, seeded training-time augmentation applied to a whole mini-batch: a random crop after padding every side
 * by {@code padding} pixels (the padded border repeats the edge pixels, so it matches the image's background
 * whatever the normalisation) and a random horizontal flip with probability 1/2. Each image draws its own shift
 * and flip from one random stream seeded per batch, so the same seed gives the same batch.
 *
 * <pre>{@code
 * Augmentation aug = Augmentation.standard(2);          // crop with 2 px padding + horizontal flip
 * Tensor x = aug.apply(batch.images(), 42L);            // a new tensor; the input is not changed
 * Trainer t = Trainer.builder().augmentation(aug).build();
 * }</pre>
 *
 * @param padding        pixels of padding on each side before the random crop, 0 for no crop
 * @param horizontalFlip whether images are mirrored left-right with probability 1/2
 */
public record Augmentation(int padding, boolean horizontalFlip) implements java.io.Serializable {
    /** The largest padding accepted. */
    public static final int MAX_PADDING = 64;

    /** Checks the components (a bad one is an error naming it). */
    public Augmentation {
        if (padding < 0 || padding > MAX_PADDING) {
            throw new IllegalArgumentException("augmentation.padding " + padding + ": expected 0.." + MAX_PADDING);
        }
    }

    /** No augmentation. */
    public static Augmentation none() {
        return new Augmentation(0, false);
    }

    /** Random crop with {@code padding} pixels of padding and a random horizontal flip. */
    public static Augmentation standard(int padding) {
        return new Augmentation(padding, true);
    }

    /** Whether this changes anything. */
    public boolean isNone() {
        return padding == 0 && !horizontalFlip;
    }

    /**
     * The augmented batch as a new tensor of the same shape; the input is returned unchanged when
     * {@link #isNone()}.
     *
     * @param images NHWC images
     * @param seed   the batch's seed
     */
    public Tensor apply(Tensor images, long seed) {
        if (images == null) {
            throw new IllegalArgumentException("images is missing");
        }
        if (isNone()) {
            return images;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int h = images.h;
        int w = images.w;
        int c = images.c;
        float[] src = images.data;
        float[] out = new float[images.size()];
        int item = h * w * c;
        for (int b = 0; b < images.n; b++) {
            int dy = padding == 0 ? 0 : rng.nextInt(2 * padding + 1) - padding;
            int dx = padding == 0 ? 0 : rng.nextInt(2 * padding + 1) - padding;
            boolean flip = horizontalFlip && rng.nextBoolean();
            int base = b * item;
            for (int y = 0; y < h; y++) {
                int sy = clamp(y + dy, h);
                int srcRow = base + sy * w * c;
                int dstRow = base + y * w * c;
                for (int x = 0; x < w; x++) {
                    int xx = flip ? w - 1 - x : x;
                    int sx = clamp(xx + dx, w);
                    System.arraycopy(src, srcRow + sx * c, out, dstRow + x * c, c);
                }
            }
        }
        return new Tensor(out, images.n, h, w, c);
    }

    private static int clamp(int v, int n) {
        return v < 0 ? 0 : (v >= n ? n - 1 : v);
    }

    @Override
    public String toString() {
        return isNone() ? "none" : "crop(pad " + padding + ")" + (horizontalFlip ? "+hflip" : "");
    }
}
