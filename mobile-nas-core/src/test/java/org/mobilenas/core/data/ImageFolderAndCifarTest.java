package org.mobilenas.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilenas.core.engine.Network;
import org.mobilenas.core.spec.Activation;
import org.mobilenas.core.spec.ClassifierSpec;
import org.mobilenas.core.spec.ConvBlock;
import org.mobilenas.core.spec.GlobalPoolBlock;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.train.Evaluation;
import org.mobilenas.core.train.LrSchedule;
import org.mobilenas.core.train.Optimizer;
import org.mobilenas.core.train.Trainer;

class ImageFolderAndCifarTest {

    /** Class 0: a bright bar at the top; class 1: at the bottom; noise everywhere; sizes vary. */
    private static void writeImages(Path dir, int perClass) throws Exception {
        SplittableRandom rng = new SplittableRandom(5);
        for (int c = 0; c < 2; c++) {
            Path sub = Files.createDirectories(dir.resolve(c == 0 ? "bar-top" : "bar-bottom"));
            for (int i = 0; i < perClass; i++) {
                int w = 18 + rng.nextInt(10);
                int h = 18 + rng.nextInt(10);
                BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        boolean bar = c == 0 ? y < h / 3 : y >= 2 * h / 3;
                        int v = Math.min(255, (bar ? 170 : 40) + rng.nextInt(60));
                        img.setRGB(x, y, v << 16 | (v / 2) << 8 | v);
                    }
                }
                ImageIO.write(img, "png", sub.resolve(i + ".png").toFile());
            }
        }
        Files.writeString(dir.resolve("bar-top").resolve("notes.txt"), "not an image, skipped");
    }

    @Test
    void aFolderOfPngsTrainsThroughTheNormalTrainer(@TempDir Path dir) throws Exception {
        writeImages(dir, 40);
        ImageFolder folder = ImageFolder.load(dir, 12, 3);
        assertThat(folder.classes()).containsExactly("bar-bottom", "bar-top");
        ImageDataset all = folder.dataset();
        assertThat(all.size()).isEqualTo(80);
        assertThat(all.height()).isEqualTo(12);
        assertThat(all.channels()).isEqualTo(3);
        for (float v : all.images()) {
            assertThat(v).isBetween(0f, 1f);
        }
        ImageDataset.Split split = all.split(0.25, 3);
        ImageDataset.ChannelStats stats = split.train().channelStats();
        ImageDataset train = split.train().normalize(stats);
        ImageDataset held = split.validation().normalize(stats);
        NetworkSpec spec = NetworkSpec.builder("folder", 12, 3)
                .stem(ConvBlock.of(8, 3, 2, Activation.RELU))
                .head(GlobalPoolBlock.avg())
                .classifier(ClassifierSpec.of(2, 0))
                .build();
        Network net = Network.realize(spec, 1);
        Trainer.builder()
                .optimizer(Optimizer.sgd(0.9, true))
                .schedule(LrSchedule.constant(0.05))
                .epochs(15)
                .batchSize(10)
                .seed(2)
                .build()
                .fit(net, train, held);
        assertThat(Evaluation.of(net, held, 20).top1()).isGreaterThan(0.8);
    }

    @Test
    void anUnreadableImageIsNamedAndBadFoldersAreRefused(@TempDir Path dir) throws Exception {
        writeImages(dir, 2);
        Path bad = dir.resolve("bar-top").resolve("broken.png");
        Files.write(bad, new byte[] {1, 2, 3, 4});
        assertThatThrownBy(() -> ImageFolder.load(dir, 8, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(bad.toString());
        Path one = Files.createDirectories(dir.resolve("single").resolve("only"));
        Files.copy(dir.resolve("bar-bottom").resolve("0.png"), one.resolve("0.png"));
        assertThatThrownBy(() -> ImageFolder.load(dir.resolve("single"), 8, 1))
                .hasMessageContaining("1 class subfolder(s)")
                .hasMessageContaining("expected at least 2");
        assertThatThrownBy(() -> ImageFolder.load(dir.resolve("nope"), 8, 1)).hasMessageContaining("not a directory");
        assertThatThrownBy(() -> ImageFolder.load(dir, 8, 2)).hasMessageContaining("channels 2");
    }

    @Test
    void cifarBinaryRecordsBecomeNhwcImages(@TempDir Path dir) throws Exception {
        byte[] b = new byte[3 * Cifar10.RECORD];
        for (int r = 0; r < 3; r++) {
            b[r * Cifar10.RECORD] = (byte) (r * 4);
            b[r * Cifar10.RECORD + 1] = (byte) 255; // red plane, pixel 0
            b[r * Cifar10.RECORD + 1 + 1024 + 5] = (byte) 51; // green plane, pixel 5
            b[r * Cifar10.RECORD + 1 + 2048 + 1023] = (byte) 102; // blue plane, last pixel
        }
        Path f = dir.resolve("data_batch_1.bin");
        Files.write(f, b);
        ImageDataset d = Cifar10.read(List.of(f));
        assertThat(d.size()).isEqualTo(3);
        assertThat(d.labels()).containsExactly(0, 4, 8);
        assertThat(d.pixel(1, 0, 0, 0)).isEqualTo(1f);
        assertThat(d.pixel(1, 0, 5, 1)).isEqualTo(0.2f);
        assertThat(d.pixel(1, 31, 31, 2)).isEqualTo(0.4f);
        Files.write(f, new byte[Cifar10.RECORD + 7]);
        assertThatThrownBy(() -> Cifar10.read(List.of(f)))
                .hasMessageContaining("data_batch_1.bin")
                .hasMessageContaining("multiple of 3073");
        b[0] = 12;
        Files.write(f, b);
        assertThatThrownBy(() -> Cifar10.read(List.of(f))).hasMessageContaining("label 12");
        assertThatThrownBy(() -> Cifar10.load(dir)).hasMessageContaining("data_batch_2.bin");
    }
}
