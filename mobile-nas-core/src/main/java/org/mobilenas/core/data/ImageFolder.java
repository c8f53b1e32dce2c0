package org.mobilenas.core.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * A dataset from a folder of images, one subfolder per class ({@code dir/cat/1.png}, {@code dir/dog/7.jpg}, ...):
 * classes are the subfolders in name order, every PNG, JPEG, BMP or GIF file is decoded (Java's ImageIO), resized
 * to {@code size × size} (bilinear, the whole image, no crop) and scaled to [0, 1], as grey (1 channel, the mean of
 * R, G and B) or RGB (3 channels). Normalise it with the train part's statistics before training, as
 * {@link ImageDataset#normalize(ImageDataset.ChannelStats)} does.
 *
 * <pre>{@code
 * ImageFolder folder = ImageFolder.load(Path.of("photos"), 32, 3);
 * ImageDataset all = folder.dataset();                 // n x 32x32x3, labels by subfolder
 * List<String> names = folder.classes();               // ["cat", "dog"]
 * }</pre>
 *
 * @param dataset the images and labels
 * @param classes class names (subfolder names) by label
 */
public record ImageFolder(ImageDataset dataset, List<String> classes) {

    /** File name endings read as images (case-insensitive). */
    public static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

    /** Checks the components and copies the class names. */
    public ImageFolder {
        if (dataset == null || classes == null) {
            throw new IllegalArgumentException("imageFolder needs a dataset and class names");
        }
        classes = List.copyOf(classes);
    }

    /**
     * Loads {@code dir}. A file with an image extension that cannot be decoded is an error naming it; files with
     * other extensions are skipped.
     *
     * @param size     output height and width in pixels (1..1024)
     * @param channels 1 (grey) or 3 (RGB)
     * @throws IllegalArgumentException when the folder has fewer than two non-empty class subfolders, or an image
     *                                  cannot be read
     */
    public static ImageFolder load(Path dir, int size, int channels) {
        if (dir == null) {
            throw new IllegalArgumentException("imageFolder dir is missing");
        }
        if (size < 1 || size > 1024) {
            throw new IllegalArgumentException("imageFolder size " + size + ": expected 1..1024");
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("imageFolder channels " + channels + ": expected 1 or 3");
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(
                    "imageFolder " + dir + " is not a directory; expected one subfolder " + "of images per class");
        }
        List<String> classes = new ArrayList<>();
        List<List<Path>> files = new ArrayList<>();
        try (Stream<Path> subs = Files.list(dir)) {
            for (Path sub : subs.filter(Files::isDirectory).sorted().toList()) {
                List<Path> images;
                try (Stream<Path> fs = Files.list(sub)) {
                    images = fs.filter(Files::isRegularFile)
                            .filter(ImageFolder::isImage)
                            .sorted()
                            .toList();
                }
                if (!images.isEmpty()) {
                    classes.add(sub.getFileName().toString());
                    files.add(images);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list imageFolder " + dir + ": " + e.getMessage(), e);
        }
        if (classes.size() < 2) {
            throw new IllegalArgumentException("imageFolder " + dir + " has " + classes.size() + " class subfolder(s) "
                    + "with images (" + String.join(", ", EXTENSIONS) + "); expected at least 2");
        }
        int n = files.stream().mapToInt(List::size).sum();
        long values = (long) n * size * size * channels;
        if (values > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("imageFolder " + dir + ": " + n + " images of " + size + "x" + size + "x"
                    + channels + " are " + values + " values, more than one dataset holds; use a smaller size");
        }
        float[] pixels = new float[(int) values];
        int[] labels = new int[n];
        int i = 0;
        for (int c = 0; c < files.size(); c++) {
            for (Path f : files.get(c)) {
                decodeInto(f, size, channels, pixels, i * size * size * channels);
                labels[i++] = c;
            }
        }
        return new ImageFolder(ImageDataset.wrap(pixels, labels, size, size, channels, classes.size()), classes);
    }

    /**
     * Counts the images {@link #load} would read from {@code dir} without decoding them (0 when {@code dir} is not a
     * directory).
     */
    public static int countImages(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            return 0;
        }
        int n = 0;
        try (Stream<Path> subs = Files.list(dir)) {
            for (Path sub : subs.filter(Files::isDirectory).toList()) {
                try (Stream<Path> fs = Files.list(sub)) {
                    n += (int) fs.filter(Files::isRegularFile)
                            .filter(ImageFolder::isImage)
                            .count();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list imageFolder " + dir + ": " + e.getMessage(), e);
        }
        return n;
    }

    private static boolean isImage(Path f) {
        String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    private static void decodeInto(Path f, int size, int channels, float[] out, int offset) {
        BufferedImage img;
        try {
            img = ImageIO.read(f.toFile());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read image " + f + ": " + e.getMessage(), e);
        }
        if (img == null) {
            throw new IllegalArgumentException(
                    "cannot read image " + f + ": not a PNG, JPEG, BMP or GIF this JVM " + "can decode");
        }
        int h = img.getHeight();
        int w = img.getWidth();
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        for (int y = 0; y < size; y++) {
            double sy = Math.max(0, Math.min(h - 1, (y + 0.5) * h / size - 0.5));
            int y0 = (int) sy;
            int y1 = Math.min(h - 1, y0 + 1);
            double fy = sy - y0;
            for (int x = 0; x < size; x++) {
                double sx = Math.max(0, Math.min(w - 1, (x + 0.5) * w / size - 0.5));
                int x0 = (int) sx;
                int x1 = Math.min(w - 1, x0 + 1);
                double fx = sx - x0;
                double[] rgb = new double[3];
                for (int ch = 0; ch < 3; ch++) {
                    int shift = 16 - 8 * ch;
                    double a =
                            (argb[y0 * w + x0] >> shift & 0xff) * (1 - fx) + (argb[y0 * w + x1] >> shift & 0xff) * fx;
                    double b =
                            (argb[y1 * w + x0] >> shift & 0xff) * (1 - fx) + (argb[y1 * w + x1] >> shift & 0xff) * fx;
                    rgb[ch] = (a * (1 - fy) + b * fy) / 255.0;
                }
                int o = offset + (y * size + x) * channels;
                if (channels == 1) {
                    out[o] = (float) ((rgb[0] + rgb[1] + rgb[2]) / 3);
                } else {
                    out[o] = (float) rgb[0];
                    out[o + 1] = (float) rgb[1];
                    out[o + 2] = (float) rgb[2];
                }
            }
        }
    }
}
