package org.mobilenas.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilenas.core.data.Augmentation;
import org.mobilenas.core.data.Cifar10;
import org.mobilenas.core.data.FashionMnist;
import org.mobilenas.core.testing.TestImages;
import org.mobilenas.core.train.Trainer;

class ProxyTaskTest {
    @Test
    void anImageFolderBecomesATaskWithItsOwnSplits(@TempDir Path dir) throws Exception {
        TestImages.writeFolder(dir, 3, 30, 3);
        ProxyTask t = ProxyTask.quick().withData(dir);
        assertThat(t.source()).isEqualTo(ProxyTask.Source.IMAGE_FOLDER);
        assertThat(t.name()).isEqualTo("images-" + dir.getFileName());
        assertThat(t.channels()).isEqualTo(3);
        assertThat(t.heldOutImages()).isEqualTo(12); // a sixth of the 75 training images, not the quick task's 128
        ProxyData d = t.load();
        assertThat(d.test().size()).isEqualTo(15);
        assertThat(d.heldOut().size()).isEqualTo(12);
        assertThat(d.train().size()).isEqualTo(63);
        assertThat(d.train().numClasses()).isEqualTo(3);
        assertThat(d.train().height()).isEqualTo(16);
        assertThat(d.train().channels()).isEqualTo(3);
        assertThat(d.fingerprint()).isEqualTo(t.load().fingerprint());
        ProxyData grey = t.withChannels(1).load();
        assertThat(grey.train().channels()).isEqualTo(1);

        Path split = dir.resolve("split");
        TestImages.writeFolder(split.resolve("train"), 3, 20, 4);
        TestImages.writeFolder(split.resolve("test"), 3, 4, 5);
        ProxyData s = ProxyTask.quick().withData(split).load();
        assertThat(s.test().size()).isEqualTo(12);
        assertThat(s.train().size() + s.heldOut().size()).isEqualTo(60);
        Files.createDirectories(split.resolve("test").resolve("class-9"));
        Files.copy(
                split.resolve("test").resolve("class-0").resolve("0.png"),
                split.resolve("test").resolve("class-9").resolve("0.png"));
        assertThatThrownBy(() -> ProxyTask.quick().withData(split).load())
                .hasMessageContaining("test classes")
                .hasMessageContaining("class-9");
    }

    @Test
    void cifarBatchesAreRecognisedAndLoaded(@TempDir Path dir) throws Exception {
        for (String f : new String[] {
            "data_batch_1.bin",
            "data_batch_2.bin",
            "data_batch_3.bin",
            "data_batch_4.bin",
            "data_batch_5.bin",
            "test_batch.bin"
        }) {
            byte[] b = new byte[40 * Cifar10.RECORD];
            for (int r = 0; r < 40; r++) {
                b[r * Cifar10.RECORD] = (byte) (r % 10);
                b[r * Cifar10.RECORD + 1 + r] = (byte) 200;
            }
            Files.write(dir.resolve(f), b);
        }
        ProxyTask t = ProxyTask.quick().withData(dir);
        assertThat(t.source()).isEqualTo(ProxyTask.Source.CIFAR10);
        assertThat(t.name()).isEqualTo("cifar10");
        ProxyData d = t.load();
        assertThat(d.test().size()).isEqualTo(40);
        assertThat(d.train().size() + d.heldOut().size()).isEqualTo(200);
        assertThat(d.heldOut().size()).isBetween(120, 136); // 128, stratified per class
        assertThat(d.train().channels()).isEqualTo(3);
        assertThat(d.train().height()).isEqualTo(16);
        assertThat(d.train().numClasses()).isEqualTo(10);
        assertThat(t.withChannels(1).load().test().channels()).isEqualTo(1);
    }

    @Test
    void aDirectoryWithoutKnownDataIsRefusedNamingTheLayouts(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> ProxyTask.quick().withData(dir))
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("data_batch_1.bin")
                .hasMessageContaining("one subfolder per class");
        assertThatThrownBy(() -> ProxyTask.quick().withData(dir.resolve("missing")))
                .hasMessageContaining("not a directory");
        assertThatThrownBy(() -> ProxyTask.quick().withData(null)).hasMessageContaining("missing");
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), new byte[0]);
        assertThat(ProxyTask.quick().withData(dir).source()).isEqualTo(ProxyTask.Source.FASHION_MNIST);
        assertThatThrownBy(() -> new ProxyTask(
                        "x", ProxyTask.Source.CIFAR10, null, 0, 10, 28, 3, 1, 8, 0.1, 0, 0, 0, Augmentation.none(), 1))
                .hasMessageContaining("proxyTask.dataDir is missing");
    }

    @Test
    void quickTaskLoadsDisjointNormalisedParts() {
        ProxyData d = ProxyTask.quick().load();
        assertThat(d.train().size()).isEqualTo(512);
        assertThat(d.heldOut().size()).isBetween(120, 136); // 128, stratified per class
        assertThat(d.test().size()).isEqualTo(128);
        assertThat(d.train().height()).isEqualTo(16);
        double[] mean = d.train().channelStats().mean();
        assertThat(mean[0]).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(d.fingerprint()).isEqualTo(ProxyTask.quick().load().fingerprint());
        assertThat(d.fingerprint())
                .isNotEqualTo(ProxyTask.quick().withTrainImages(400).load().fingerprint());
        assertThat(d.at(12)[0].height()).isEqualTo(12);
        assertThat(d.at(12)[2].size()).isEqualTo(128);
    }

    @Test
    void trainerCarriesTheSchedule() {
        Trainer t = ProxyTask.fashionMnist().trainer(3);
        assertThat(t.settings())
                .containsEntry("epochs", "12")
                .containsEntry("batchSize", "128")
                .containsEntry("seed", "3")
                .containsEntry("augmentation", "crop(pad 2)+hflip")
                .containsEntry("labelSmoothing", "0.1");
        assertThat(ProxyTask.fashionMnist().withEpochs(1).warmupEpochs()).isZero();
        assertThat(ProxyTask.fashionMnist().withEpochs(4).trainer(1).settings()).containsEntry("epochs", "4");
    }

    @Test
    void badSettingsNameTheField() {
        ProxyTask q = ProxyTask.quick();
        assertThatThrownBy(() -> q.withEpochs(0)).hasMessageContaining("proxyTask.epochs 0");
        assertThatThrownBy(() -> q.withResolution(4)).hasMessageContaining("proxyTask.resolution 4");
        assertThatThrownBy(() -> q.withChannels(2)).hasMessageContaining("proxyTask.channels 2");
        assertThatThrownBy(() -> q.withTrainImages(-1)).hasMessageContaining("proxyTask.trainImages -1");
        assertThatThrownBy(() -> q.withBatchSize(1)).hasMessageContaining("proxyTask.batchSize 1");
        assertThat(q.withBatchSize(8).batchSize()).isEqualTo(8);
        assertThat(q.withBatchSize(8).withEpochs(2)).isEqualTo(q.withEpochs(2).withBatchSize(8));
        assertThatThrownBy(() -> new ProxyTask(
                        "x",
                        ProxyTask.Source.FASHION_MNIST,
                        null,
                        0,
                        60_000,
                        28,
                        1,
                        1,
                        8,
                        0.1,
                        0,
                        0,
                        0,
                        Augmentation.none(),
                        1))
                .hasMessageContaining("proxyTask.heldOutImages 60000");
        assertThatThrownBy(() ->
                        new ProxyTask("x", ProxyTask.Source.SYNTHETIC, null, 0, 10, 28, 1, 1, 8, 0.1, 0, 0, 0, null, 1))
                .hasMessageContaining("proxyTask.augmentation");
    }

    @Test
    void fashionMnistSplitIs50kStratifiedAnd10kHeldOutAnd10kTest() {
        assumeTrue(FashionMnist.isAvailable(), "Fashion-MNIST not installed (apt-get install dataset-fashion-mnist)");
        ProxyData d = ProxyTask.fashionMnist().load();
        assertThat(d.train().size()).isEqualTo(50_000);
        assertThat(d.heldOut().size()).isEqualTo(10_000);
        assertThat(d.test().size()).isEqualTo(10_000);
        int[] counts = d.heldOut().classCounts();
        assertThat(Arrays.stream(counts).min().getAsInt()).isEqualTo(1000);
        assertThat(Arrays.stream(counts).max().getAsInt()).isEqualTo(1000);
    }
}
