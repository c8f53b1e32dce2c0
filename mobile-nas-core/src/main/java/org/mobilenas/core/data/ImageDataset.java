package org.mobilenas.core.data;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import org.mobilenas.core.engine.Tensor;

/**
 * A labelled image-classification dataset held in memory: {@code n} images in NHWC float layout and their
 * integer labels in {@code [0, numClasses)}. Instances are never modified; every transform
 * ({@link #split}, {@link #subset}, {@link #normalize}, {@link #pad}, {@link #resize},
 * {@link #replicateChannels}) returns a new dataset, and every random choice is driven by an explicit seed.
 *
 * <pre>{@code
 * ImageDataset train = FashionMnist.load().train().subset(10_000, 1).padTo(32, 32).replicateChannels(3);
 * ImageDataset.Split s = train.split(0.1, 42);
 * ImageDataset.ChannelStats stats = s.train().channelStats();
 * for (ImageDataset.Batch b : s.train().normalize(stats).shuffledBatches(64, 7, true)) { ... }
 * }</pre>
 */
public final class ImageDataset implements java.io.Serializable {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    private final float[] images;
    private final int[] labels;
    private final int height;
    private final int width;
    private final int channels;
    private final int numClasses;
    private transient volatile String fingerprint;

    /**
     * Creates a dataset from copies of the given arrays.
     *
     * @param images     {@code labels.length * height * width * channels} values, NHWC
     * @param labels     one label per image, each in {@code [0, numClasses)}
     * @param height     image height, positive
     * @param width      image width, positive
     * @param channels   channels per pixel, positive
     * @param numClasses number of classes, at least 2
     */
    public ImageDataset(float[] images, int[] labels, int height, int width, int channels, int numClasses) {
        this(
                check(images, labels, height, width, channels, numClasses).clone(),
                labels.clone(),
                height,
                width,
                channels,
                numClasses,
                true);
    }

    private ImageDataset(
            float[] images, int[] labels, int height, int width, int channels, int numClasses, boolean owned) {
        this.images = images;
        this.labels = labels;
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.numClasses = numClasses;
    }

    /** Validates without copying; used by transforms that build fresh arrays. */
    /** A deserialized dataset is checked like a constructed one. */
    @java.io.Serial
    private Object readResolve() throws java.io.ObjectStreamException {
        try {
            return wrap(images, labels, height, width, channels, numClasses);
        } catch (IllegalArgumentException e) {
            throw new java.io.InvalidObjectException("image dataset: " + e.getMessage());
        }
    }

    static ImageDataset wrap(float[] images, int[] labels, int height, int width, int channels, int numClasses) {
        check(images, labels, height, width, channels, numClasses);
        return new ImageDataset(images, labels, height, width, channels, numClasses, true);
    }

    private static float[] check(float[] images, int[] labels, int height, int width, int channels, int numClasses) {
        if (images == null) {
            throw new IllegalArgumentException("images must not be null");
        }
        if (labels == null) {
            throw new IllegalArgumentException("labels must not be null");
        }
        positive("height", height);
        positive("width", width);
        positive("channels", channels);
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses = " + numClasses + ", expected at least 2");
        }
        long expected = (long) labels.length * height * width * channels;
        if (images.length != expected) {
            throw new IllegalArgumentException("images: " + images.length + " values, expected " + expected + " = "
                    + labels.length + " labels x " + height + "x" + width + "x" + channels);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException(
                        "labels[" + i + "] = " + labels[i] + ", expected 0.." + (numClasses - 1));
            }
        }
        return images;
    }

    private static void positive(String field, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(field + " = " + v + ", expected a positive value");
        }
    }

    /** Number of images. */
    public int size() {
        return labels.length;
    }

    /** Image height in pixels. */
    public int height() {
        return height;
    }

    /** Image width in pixels. */
    public int width() {
        return width;
    }

    /** Channels per pixel. */
    public int channels() {
        return channels;
    }

    /** Number of classes. */
    public int numClasses() {
        return numClasses;
    }

    /** Values per image ({@code height * width * channels}). */
    public int imageSize() {
        return height * width * channels;
    }

    /** The label of image {@code i}. */
    public int label(int i) {
        return labels[checkIndex(i)];
    }

    /** A copy of all labels. */
    public int[] labels() {
        return labels.clone();
    }

    /** A copy of image {@code i} in HWC order. */
    public float[] image(int i) {
        int s = imageSize();
        return Arrays.copyOfRange(images, checkIndex(i) * s, (i + 1) * s);
    }

    /** Pixel value of image {@code i} at ({@code y}, {@code x}, {@code ch}). */
    public float pixel(int i, int y, int x, int ch) {
        return images[((checkIndex(i) * height + y) * width + x) * channels + ch];
    }

    /** A copy of all images (NHWC). */
    public float[] images() {
        return images.clone();
    }

    private int checkIndex(int i) {
        if (i < 0 || i >= labels.length) {
            throw new IndexOutOfBoundsException("index " + i + " not in [0, " + labels.length + ")");
        }
        return i;
    }

    /** Images per class. */
    public int[] classCounts() {
        int[] counts = new int[numClasses];
        for (int y : labels) {
            counts[y]++;
        }
        return counts;
    }

    /** The images at the given indices, in that order (repeats allowed). */
    public ImageDataset select(int[] indices) {
        int s = imageSize();
        float[] x = new float[indices.length * s];
        int[] y = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = checkIndex(indices[k]);
            System.arraycopy(images, i * s, x, k * s, s);
            y[k] = labels[i];
        }
        return new ImageDataset(x, y, height, width, channels, numClasses, true);
    }

    /** The dataset in a seeded random order. */
    public ImageDataset shuffled(long seed) {
        return select(permutation(size(), new SplittableRandom(seed)));
    }

    /** A train/validation pair. */
    public record Split(ImageDataset train, ImageDataset validation) {
        /** Checks the components (a bad one is an error naming it). */
        public Split {
            if (train == null || validation == null) {
                throw new IllegalArgumentException("train and validation must not be null");
            }
        }
    }

    /** A stratified split: each class contributes {@code round(fraction * classCount)} images to validation. */
    public Split split(double validationFraction, long seed) {
        return split(validationFraction, seed, true);
    }

    /**
     * Splits into disjoint train and validation parts; the same seed gives the same split. Stratified: per class
     * {@code round(fraction * classCount)} images go to validation; otherwise {@code round(fraction * n)} images chosen
     * uniformly. Both parts keep the original relative order.
     */
    public Split split(double validationFraction, long seed, boolean stratified) {
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validationFraction = " + validationFraction + ", expected in (0, 1)");
        }
        SplittableRandom rng = new SplittableRandom(seed);
        boolean[] inValidation = new boolean[size()];
        if (stratified) {
            int[][] byClass = indicesByClass();
            for (int[] idx : byClass) {
                int[] perm = permutation(idx.length, rng);
                int take = (int) Math.round(validationFraction * idx.length);
                for (int k = 0; k < take; k++) {
                    inValidation[idx[perm[k]]] = true;
                }
            }
        } else {
            int[] perm = permutation(size(), rng);
            int take = (int) Math.round(validationFraction * size());
            for (int k = 0; k < take; k++) {
                inValidation[perm[k]] = true;
            }
        }
        int nv = 0;
        for (boolean b : inValidation) {
            nv += b ? 1 : 0;
        }
        if (nv == 0 || nv == size()) {
            throw new IllegalArgumentException("validationFraction = " + validationFraction + " of " + size()
                    + " images leaves an empty " + (nv == 0 ? "validation" : "training") + " part");
        }
        int[] t = new int[size() - nv];
        int[] v = new int[nv];
        int ti = 0;
        int vi = 0;
        for (int i = 0; i < size(); i++) {
            if (inValidation[i]) {
                v[vi++] = i;
            } else {
                t[ti++] = i;
            }
        }
        return new Split(select(t), select(v));
    }

    /** {@code n} distinct images chosen uniformly with a seed, in their original relative order. */
    public ImageDataset subset(int n, long seed) {
        if (n <= 0 || n > size()) {
            throw new IllegalArgumentException("subset n = " + n + ", expected 1.." + size());
        }
        int[] perm = permutation(size(), new SplittableRandom(seed));
        int[] idx = Arrays.copyOf(perm, n);
        Arrays.sort(idx);
        return select(idx);
    }

    /** The first {@code n} images. */
    public ImageDataset head(int n) {
        if (n <= 0 || n > size()) {
            throw new IllegalArgumentException("head n = " + n + ", expected 1.." + size());
        }
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return select(idx);
    }

    private int[][] indicesByClass() {
        int[] counts = classCounts();
        int[][] out = new int[numClasses][];
        for (int k = 0; k < numClasses; k++) {
            out[k] = new int[counts[k]];
        }
        int[] fill = new int[numClasses];
        for (int i = 0; i < labels.length; i++) {
            out[labels[i]][fill[labels[i]]++] = i;
        }
        return out;
    }

    /** A seeded Fisher-Yates permutation of {@code 0..n-1}. */
    static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    // ---------------------------------------------------------------- batches

    /**
     * A mini-batch: images as an NHWC tensor and their labels.
     *
     * @param images  {@code [labels.length, h, w, c]}
     * @param labels  class of each image
     * @param indices position of each image in the dataset it came from
     */
    public record Batch(Tensor images, int[] labels, int[] indices) {
        /** Checks the components (a bad one is an error naming it). */
        public Batch {
            if (images == null || labels == null || indices == null) {
                throw new IllegalArgumentException("images, labels and indices must not be null");
            }
            if (images.n != labels.length || indices.length != labels.length) {
                throw new IllegalArgumentException("batch of " + images.n + " images has " + labels.length
                        + " labels and " + indices.length + " indices, expected equal counts");
            }
            labels = labels.clone();
            indices = indices.clone();
        }

        /** A copy of the labels. */
        @Override
        public int[] labels() {
            return labels.clone();
        }

        /** A copy of the indices. */
        @Override
        public int[] indices() {
            return indices.clone();
        }

        /** Label of image {@code i} of the batch. */
        public int label(int i) {
            return labels[i];
        }

        /** Images in this batch. */
        public int size() {
            return labels.length;
        }
    }

    /** Batches in dataset order; the last one may be smaller. */
    public Iterable<Batch> batches(int batchSize) {
        positive("batchSize", batchSize);
        int[] order = new int[size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        return () -> new BatchIterator(order, batchSize, false);
    }

    /** Batches over a seeded random order; with {@code dropLast} a final partial batch is skipped. */
    public Iterable<Batch> shuffledBatches(int batchSize, long seed, boolean dropLast) {
        positive("batchSize", batchSize);
        int[] order = permutation(size(), new SplittableRandom(seed));
        return () -> new BatchIterator(order, batchSize, dropLast);
    }

    /** Number of batches {@link #shuffledBatches} yields. */
    public int batchCount(int batchSize, boolean dropLast) {
        positive("batchSize", batchSize);
        return dropLast ? size() / batchSize : (size() + batchSize - 1) / batchSize;
    }

    /** Copies the images at {@code indices} into a new batch. */
    public Batch batch(int[] indices) {
        int s = imageSize();
        float[] x = new float[indices.length * s];
        int[] y = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = checkIndex(indices[k]);
            System.arraycopy(images, i * s, x, k * s, s);
            y[k] = labels[i];
        }
        return new Batch(new Tensor(x, indices.length, height, width, channels), y, indices);
    }

    private final class BatchIterator implements Iterator<Batch> {
        private final int[] order;
        private final int batchSize;
        private final int end;
        private int pos;

        BatchIterator(int[] order, int batchSize, boolean dropLast) {
            this.order = order;
            this.batchSize = batchSize;
            this.end = dropLast ? order.length - order.length % batchSize : order.length;
        }

        @Override
        public boolean hasNext() {
            return pos < end;
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException("no more batches");
            }
            int m = Math.min(batchSize, end - pos);
            int[] idx = Arrays.copyOfRange(order, pos, pos + m);
            pos += m;
            return batch(idx);
        }
    }

    // ---------------------------------------------------------------- normalisation

    /**
     * Per-channel mean and standard deviation.
     *
     * <pre>{@code
     * ImageDataset.ChannelStats s = train.channelStats();
     * ImageDataset trainN = train.normalize(s), valN = validation.normalize(s);
     * }</pre>
     */
    public record ChannelStats(double[] mean, double[] std) {
        /** Checks the components and copies the arrays. */
        public ChannelStats {
            if (mean == null || std == null || mean.length != std.length || mean.length == 0) {
                throw new IllegalArgumentException("mean and std: expected equal, non-zero lengths, got "
                        + (mean == null ? "null" : mean.length) + " and " + (std == null ? "null" : std.length));
            }
            for (int i = 0; i < std.length; i++) {
                if (!(std[i] > 0) || !Double.isFinite(std[i])) {
                    throw new IllegalArgumentException(
                            "std[" + i + "] = " + std[i] + ", expected a positive finite value");
                }
                if (!Double.isFinite(mean[i])) {
                    throw new IllegalArgumentException("mean[" + i + "] = " + mean[i] + ", expected a finite value");
                }
            }
            mean = mean.clone();
            std = std.clone();
        }

        /** Per-channel means (a copy). */
        @Override
        public double[] mean() {
            return mean.clone();
        }

        /** Per-channel standard deviations (a copy). */
        @Override
        public double[] std() {
            return std.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ChannelStats s && Arrays.equals(s.mean, mean) && Arrays.equals(s.std, std);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
        }

        @Override
        public String toString() {
            return "ChannelStats[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
        }
    }

    /** Mean and (population) standard deviation of each channel over all pixels; a constant channel gets std 1. */
    public ChannelStats channelStats() {
        double[] sum = new double[channels];
        double[] sq = new double[channels];
        for (int i = 0; i < images.length; i++) {
            double v = images[i];
            sum[i % channels] += v;
            sq[i % channels] += v * v;
        }
        long per = (long) size() * height * width;
        double[] mean = new double[channels];
        double[] std = new double[channels];
        for (int ch = 0; ch < channels; ch++) {
            mean[ch] = sum[ch] / per;
            double var = Math.max(0, sq[ch] / per - mean[ch] * mean[ch]);
            std[ch] = var > 1e-12 ? Math.sqrt(var) : 1.0;
        }
        return new ChannelStats(mean, std);
    }

    /** {@code (x - mean[c]) / std[c]} for every pixel of every channel. */
    public ImageDataset normalize(ChannelStats stats) {
        if (stats.mean.length != channels) {
            throw new IllegalArgumentException("stats have " + stats.mean.length + " channels, expected " + channels);
        }
        float[] out = new float[images.length];
        float[] m = new float[channels];
        float[] inv = new float[channels];
        for (int ch = 0; ch < channels; ch++) {
            m[ch] = (float) stats.mean[ch];
            inv[ch] = (float) (1.0 / stats.std[ch]);
        }
        for (int i = 0; i < images.length; i++) {
            int ch = i % channels;
            out[i] = (images[i] - m[ch]) * inv[ch];
        }
        return new ImageDataset(out, labels, height, width, channels, numClasses, true);
    }

    /** Normalises with this dataset's own {@link #channelStats()}. */
    public ImageDataset normalize() {
        return normalize(channelStats());
    }

    // ---------------------------------------------------------------- geometry

    /** Pads every side with {@code value}. */
    public ImageDataset pad(int top, int bottom, int left, int right, float value) {
        if (top < 0 || bottom < 0 || left < 0 || right < 0) {
            throw new IllegalArgumentException("padding (top " + top + ", bottom " + bottom + ", left " + left
                    + ", right " + right + "), expected all >= 0");
        }
        int nh = height + top + bottom;
        int nw = width + left + right;
        float[] out = new float[size() * nh * nw * channels];
        if (value != 0f) {
            Arrays.fill(out, value);
        }
        int row = width * channels;
        for (int i = 0; i < size(); i++) {
            for (int y = 0; y < height; y++) {
                int src = ((i * height + y) * width) * channels;
                int dst = ((i * nh + y + top) * nw + left) * channels;
                System.arraycopy(images, src, out, dst, row);
            }
        }
        return new ImageDataset(out, labels, nh, nw, channels, numClasses, true);
    }

    /** Zero-pads symmetrically (extra row/column at the bottom/right) to {@code h x w}, e.g. 28x28 to 32x32. */
    public ImageDataset padTo(int h, int w) {
        if (h < height || w < width) {
            throw new IllegalArgumentException("padTo " + h + "x" + w + " is smaller than the images (" + height + "x"
                    + width + "); expected at least the current size");
        }
        int top = (h - height) / 2;
        int left = (w - width) / 2;
        return pad(top, h - height - top, left, w - width - left, 0f);
    }

    /**
     * Bilinear resize to {@code h x w} with half-pixel centres (edges clamped), the convention of
     * {@code align_corners=false} in common frameworks.
     */
    public ImageDataset resize(int h, int w) {
        positive("h", h);
        positive("w", w);
        if (h == height && w == width) {
            return this;
        }
        int[] y0 = new int[h];
        int[] y1 = new int[h];
        float[] fy = new float[h];
        axis(height, h, y0, y1, fy);
        int[] x0 = new int[w];
        int[] x1 = new int[w];
        float[] fx = new float[w];
        axis(width, w, x0, x1, fx);
        float[] out = new float[size() * h * w * channels];
        for (int i = 0; i < size(); i++) {
            int base = i * height * width * channels;
            for (int y = 0; y < h; y++) {
                int r0 = base + y0[y] * width * channels;
                int r1 = base + y1[y] * width * channels;
                float wy = fy[y];
                for (int x = 0; x < w; x++) {
                    int a = x0[x] * channels;
                    int b = x1[x] * channels;
                    float wx = fx[x];
                    int o = ((i * h + y) * w + x) * channels;
                    for (int ch = 0; ch < channels; ch++) {
                        float top = images[r0 + a + ch] + (images[r0 + b + ch] - images[r0 + a + ch]) * wx;
                        float bot = images[r1 + a + ch] + (images[r1 + b + ch] - images[r1 + a + ch]) * wx;
                        out[o + ch] = top + (bot - top) * wy;
                    }
                }
            }
        }
        return new ImageDataset(out, labels, h, w, channels, numClasses, true);
    }

    private static void axis(int in, int out, int[] lo, int[] hi, float[] frac) {
        double scale = (double) in / out;
        for (int i = 0; i < out; i++) {
            double src = Math.max(0, (i + 0.5) * scale - 0.5);
            int l = Math.min((int) Math.floor(src), in - 1);
            lo[i] = l;
            hi[i] = Math.min(l + 1, in - 1);
            frac[i] = (float) (src - l);
        }
    }

    /** Copies a single-channel dataset into {@code c} identical channels (e.g. grayscale to RGB). */
    public ImageDataset replicateChannels(int c) {
        if (channels != 1) {
            throw new IllegalArgumentException("replicateChannels needs 1 channel, dataset has " + channels);
        }
        positive("c", c);
        if (c == 1) {
            return this;
        }
        float[] out = new float[images.length * c];
        for (int i = 0; i < images.length; i++) {
            Arrays.fill(out, i * c, i * c + c, images[i]);
        }
        return new ImageDataset(out, labels, height, width, c, numClasses, true);
    }

    /** This dataset in one grey channel, the mean of its channels (itself when it has one channel). */
    public ImageDataset grey() {
        if (channels == 1) {
            return this;
        }
        int pixels = images.length / channels;
        float[] out = new float[pixels];
        for (int i = 0; i < pixels; i++) {
            float sum = 0;
            for (int c = 0; c < channels; c++) {
                sum += images[i * channels + c];
            }
            out[i] = sum / channels;
        }
        return new ImageDataset(out, labels, height, width, 1, numClasses, true);
    }

    /** Concatenates datasets of the same geometry and classes. */
    public static ImageDataset concat(List<ImageDataset> parts) {
        if (parts == null || parts.isEmpty()) {
            throw new IllegalArgumentException("parts: expected at least one dataset");
        }
        ImageDataset f = parts.get(0);
        int n = 0;
        for (int k = 0; k < parts.size(); k++) {
            ImageDataset p = parts.get(k);
            if (p.height != f.height
                    || p.width != f.width
                    || p.channels != f.channels
                    || p.numClasses != f.numClasses) {
                throw new IllegalArgumentException(
                        "parts[" + k + "] is " + p + ", expected the geometry and classes of " + f);
            }
            n += p.size();
        }
        float[] x = new float[n * f.imageSize()];
        int[] y = new int[n];
        int off = 0;
        int yo = 0;
        for (ImageDataset p : parts) {
            System.arraycopy(p.images, 0, x, off, p.images.length);
            System.arraycopy(p.labels, 0, y, yo, p.labels.length);
            off += p.images.length;
            yo += p.labels.length;
        }
        return new ImageDataset(x, y, f.height, f.width, f.channels, f.numClasses, true);
    }

    /**
     * A content fingerprint: the first 16 hex digits of SHA-256 over the geometry, the labels and every pixel
     * value. Equal datasets have equal fingerprints; any changed pixel or label changes it.
     */
    public String fingerprint() {
        String f = fingerprint;
        if (f == null) {
            f = computeFingerprint();
            fingerprint = f;
        }
        return f;
    }

    private String computeFingerprint() {
        java.security.MessageDigest md = org.mobilenas.core.io.Hashing.digest();
        java.nio.ByteBuffer head = java.nio.ByteBuffer.allocate(20);
        head.putInt(labels.length).putInt(height).putInt(width).putInt(channels).putInt(numClasses);
        md.update(head.array());
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(1 << 16);
        for (int y : labels) {
            if (buf.remaining() < 4) {
                md.update(buf.array(), 0, buf.position());
                buf.clear();
            }
            buf.putInt(y);
        }
        for (float v : images) {
            if (buf.remaining() < 4) {
                md.update(buf.array(), 0, buf.position());
                buf.clear();
            }
            buf.putInt(Float.floatToIntBits(v));
        }
        md.update(buf.array(), 0, buf.position());
        return java.util.HexFormat.of().formatHex(md.digest()).substring(0, 16);
    }

    @Override
    public String toString() {
        return "ImageDataset[" + size() + " x " + height + "x" + width + "x" + channels + ", " + numClasses
                + " classes]";
    }
}
