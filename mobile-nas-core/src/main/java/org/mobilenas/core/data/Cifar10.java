package org.mobilenas.core.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CIFAR-10 from its binary files, given by the user (nothing is downloaded): {@code data_batch_1.bin} ..
 * {@code data_batch_5.bin} (50,000 training images) and {@code test_batch.bin} (10,000), each record one label byte
 * and 3,072 pixel bytes (the red, green and blue 32×32 planes). Pixels are scaled to [0, 1], NHWC, 3 channels.
 *
 * <pre>{@code
 * Cifar10 cifar = Cifar10.load(Path.of("cifar-10-batches-bin"));
 * ImageDataset train = cifar.train();     // 50000 x 32x32x3, 10 classes
 * }</pre>
 *
 * @param train the training images
 * @param test  the test images
 */
public record Cifar10(ImageDataset train, ImageDataset test) {
    /** Class names by label. */
    public static final List<String> CLASS_NAMES =
            List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");
    /** Bytes per record: one label and 32×32×3 pixels. */
    public static final int RECORD = 1 + 32 * 32 * 3;

    /** Checks the components (a bad one is an error naming it). */
    public Cifar10 {
        if (train == null || test == null) {
            throw new IllegalArgumentException("train and test must not be null");
        }
    }

    /** Reads the six batch files from {@code dir} (the {@code cifar-10-batches-bin} folder). */
    public static Cifar10 load(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("CIFAR-10 directory " + dir + " is not a directory; expected the "
                    + "cifar-10-batches-bin folder with data_batch_1.bin .. data_batch_5.bin and test_batch.bin");
        }
        List<Path> train = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            train.add(dir.resolve("data_batch_" + i + ".bin"));
        }
        return new Cifar10(read(train), read(List.of(dir.resolve("test_batch.bin"))));
    }

    /** Reads records from batch files in the CIFAR-10 binary format, in order. */
    public static ImageDataset read(List<Path> files) {
        if (files == null || files.isEmpty()) {
            throw new IllegalArgumentException("CIFAR-10 files are missing: expected at least one .bin file");
        }
        long total = 0;
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new IllegalArgumentException("CIFAR-10 file " + f + " is missing or not a regular file");
            }
            long size;
            try {
                size = Files.size(f);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read CIFAR-10 file " + f + ": " + e.getMessage(), e);
            }
            if (size == 0 || size % RECORD != 0) {
                throw new IllegalArgumentException("CIFAR-10 file " + f + " has " + size + " bytes, expected a "
                        + "positive multiple of " + RECORD + " (one label byte and 3072 pixel bytes per image)");
            }
            total += size / RECORD;
        }
        if (total * 3072 > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("CIFAR-10 files hold " + total + " images, more than one dataset holds");
        }
        int n = (int) total;
        float[] pixels = new float[n * 3072];
        int[] labels = new int[n];
        int i = 0;
        for (Path f : files) {
            byte[] b;
            try {
                b = Files.readAllBytes(f);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read CIFAR-10 file " + f + ": " + e.getMessage(), e);
            }
            for (int r = 0; r < b.length / RECORD; r++, i++) {
                int base = r * RECORD;
                int label = b[base] & 0xff;
                if (label > 9) {
                    throw new IllegalArgumentException(
                            "CIFAR-10 file " + f + " record " + r + ": label " + label + ", expected 0..9");
                }
                labels[i] = label;
                int o = i * 3072;
                for (int p = 0; p < 1024; p++) {
                    for (int ch = 0; ch < 3; ch++) {
                        pixels[o + p * 3 + ch] = (b[base + 1 + ch * 1024 + p] & 0xff) / 255f;
                    }
                }
            }
        }
        return ImageDataset.wrap(pixels, labels, 32, 32, 3, 10);
    }
}
