package org.mobilenas.core.data;

import java.util.SplittableRandom;

/**
 * A seeded generator of a small image-classification task for tests and machines without real data.
 * Class {@code k} of {@code K} shows stripes at angle {@code pi k / K} (random phase and slightly random
 * frequency) plus a soft blob at a class-specific place on a circle around the centre (jittered by a pixel or two),
 * under Gaussian noise. The blob makes the task linearly learnable; the stripes reward convolutions.
 *
 * <pre>{@code
 * ImageDataset ds = SyntheticImages.builder().classes(4).size(16).channels(1).samples(2000).noise(0.3).seed(7).build();
 * }</pre>
 */
public final class SyntheticImages {
    private final int classes;
    private final int size;
    private final int channels;
    private final int samples;
    private final double noise;
    private final long seed;

    private SyntheticImages(Builder b) {
        this.classes = b.classes;
        this.size = b.size;
        this.channels = b.channels;
        this.samples = b.samples;
        this.noise = b.noise;
        this.seed = b.seed;
    }

    /** A builder with the defaults given on its setters. */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings for {@link SyntheticImages}; defaults: 4 classes, 16x16, 1 channel, 1000 samples, noise 0.3, seed 0. */
    public static final class Builder {
        private int classes = 4;
        private int size = 16;
        private int channels = 1;
        private int samples = 1000;
        private double noise = 0.3;
        private long seed;

        private Builder() {}

        /** Number of classes, 2..64. */
        public Builder classes(int classes) {
            if (classes < 2 || classes > 64) {
                throw new IllegalArgumentException("classes = " + classes + ", expected 2..64");
            }
            this.classes = classes;
            return this;
        }

        /** Image height and width, 8..512. */
        public Builder size(int size) {
            if (size < 8 || size > 512) {
                throw new IllegalArgumentException("size = " + size + ", expected 8..512");
            }
            this.size = size;
            return this;
        }

        /** Channels per pixel, 1..16 (channels differ by a fixed gain). */
        public Builder channels(int channels) {
            if (channels < 1 || channels > 16) {
                throw new IllegalArgumentException("channels = " + channels + ", expected 1..16");
            }
            this.channels = channels;
            return this;
        }

        /** Number of images (classes are balanced: image {@code i} has class {@code i % classes}). */
        public Builder samples(int samples) {
            if (samples < 1) {
                throw new IllegalArgumentException("samples = " + samples + ", expected at least 1");
            }
            this.samples = samples;
            return this;
        }

        /** Standard deviation of the additive Gaussian noise, 0..10. */
        public Builder noise(double noise) {
            if (!(noise >= 0 && noise <= 10)) {
                throw new IllegalArgumentException("noise = " + noise + ", expected 0..10");
            }
            this.noise = noise;
            return this;
        }

        /** Seed of the generated shapes and noise. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Generates the dataset; the same settings give the same images. */
        public ImageDataset build() {
            return new SyntheticImages(this).generate();
        }
    }

    private ImageDataset generate() {
        SplittableRandom rng = new SplittableRandom(seed);
        int px = size * size * channels;
        float[] x = new float[samples * px];
        int[] y = new int[samples];
        double c0 = (size - 1) / 2.0;
        double radius = 0.28 * size;
        double sigma = Math.max(1.0, size / 8.0);
        for (int i = 0; i < samples; i++) {
            int k = i % classes;
            y[i] = k;
            double angle = Math.PI * k / classes;
            double cos = Math.cos(angle);
            double sin = Math.sin(angle);
            double freq = (2.5 + rng.nextDouble(-0.4, 0.4)) / size;
            double phase = rng.nextDouble(0, 2 * Math.PI);
            double around = 2 * Math.PI * k / classes;
            double by = c0 + radius * Math.sin(around) + rng.nextDouble(-1.5, 1.5);
            double bx = c0 + radius * Math.cos(around) + rng.nextDouble(-1.5, 1.5);
            int base = i * px;
            for (int r = 0; r < size; r++) {
                for (int c = 0; c < size; c++) {
                    double stripe = 0.5 * Math.sin(2 * Math.PI * freq * (c * cos + r * sin) + phase);
                    double d2 = (r - by) * (r - by) + (c - bx) * (c - bx);
                    double blob = Math.exp(-d2 / (2 * sigma * sigma));
                    double v = stripe + blob;
                    for (int ch = 0; ch < channels; ch++) {
                        double gain = 1.0 - 0.15 * ch / Math.max(1, channels);
                        x[base + (r * size + c) * channels + ch] = (float) (gain * v + noise * gaussian(rng));
                    }
                }
            }
        }
        return ImageDataset.wrap(x, y, size, size, channels, classes);
    }

    private static double gaussian(SplittableRandom rng) {
        double u1 = 1.0 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
