package org.mobilenas.core.testing;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/** Small learnable image folders for tests of image loading (shared by the modules' tests through the test-jar). */
public final class TestImages {
    private TestImages() {}

    /**
     * Writes {@code perClass} noisy 20×20 PNGs into each of {@code classes} subfolders {@code class-0},
     * {@code class-1}, ... of {@code dir}; class {@code c} is bright in colour channel {@code c % 3} and, from the
     * fourth class on, in a band of rows, so that a small network separates them.
     */
    public static void writeFolder(Path dir, int classes, int perClass, long seed) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        for (int c = 0; c < classes; c++) {
            Path sub = Files.createDirectories(dir.resolve("class-" + c));
            for (int i = 0; i < perClass; i++) {
                BufferedImage img = new BufferedImage(20, 20, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 20; y++) {
                    boolean band = c < 3 || (y / 5) == (c / 3) % 4;
                    for (int x = 0; x < 20; x++) {
                        int v = (band ? 120 : 20) + rng.nextInt(100);
                        img.setRGB(x, y, v << (8 * (c % 3)));
                    }
                }
                ImageIO.write(img, "png", sub.resolve(i + ".png").toFile());
            }
        }
    }
}
