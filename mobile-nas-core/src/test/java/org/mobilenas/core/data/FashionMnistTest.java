package org.mobilenas.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {

    @Test
    void missingDirectorySaysHowToGetTheData(@TempDir Path tmp) {
        assertThatThrownBy(() -> FashionMnist.load(tmp))
                .isInstanceOf(DatasetNotFoundException.class)
                .hasMessageContaining(tmp.toString())
                .hasMessageContaining("apt-get install dataset-fashion-mnist")
                .hasMessageContaining("train-images-idx3-ubyte.gz")
                .hasMessageContaining(FashionMnist.DIR_PROPERTY);
    }

    @Test
    void loadsFromAGivenDirectoryAndTheSystemProperty(@TempDir Path tmp) {
        writeTiny(tmp.resolve("train-images-idx3-ubyte.gz"), tmp.resolve("train-labels-idx1-ubyte.gz"), 6, true);
        writeTiny(tmp.resolve("t10k-images-idx3-ubyte"), tmp.resolve("t10k-labels-idx1-ubyte"), 4, false);
        FashionMnist data = FashionMnist.load(tmp);
        assertThat(data.train().size()).isEqualTo(6);
        assertThat(data.test().size()).isEqualTo(4);
        assertThat(data.train().numClasses()).isEqualTo(10);
        assertThat(data.train().label(3)).isEqualTo(3);
        String old = System.getProperty(FashionMnist.DIR_PROPERTY);
        System.setProperty(FashionMnist.DIR_PROPERTY, tmp.toString());
        try {
            assertThat(FashionMnist.candidates().get(0)).isEqualTo(tmp);
            assertThat(FashionMnist.locate()).contains(tmp);
            assertThat(FashionMnist.load().test().size()).isEqualTo(4);
        } finally {
            if (old == null) {
                System.clearProperty(FashionMnist.DIR_PROPERTY);
            } else {
                System.setProperty(FashionMnist.DIR_PROPERTY, old);
            }
        }
    }

    @Test
    void realDataWhenInstalled() {
        assumeTrue(
                FashionMnist.isAvailable(),
                "Fashion-MNIST not installed (apt-get install dataset-fashion-mnist); skipped");
        FashionMnist data = FashionMnist.load();
        assertThat(data.train().size()).isEqualTo(60_000);
        assertThat(data.test().size()).isEqualTo(10_000);
        assertThat(data.train().height()).isEqualTo(28);
        assertThat(data.train().classCounts()).containsOnly(6000);
        assertThat(data.test().classCounts()).containsOnly(1000);
        assertThat(FashionMnist.CLASS_NAMES.get(data.train().label(0))).isEqualTo("Ankle boot");
    }

    private static void writeTiny(Path images, Path labels, int n, boolean gzip) {
        int[] px = new int[n * 28 * 28];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 10;
            px[i * 784 + i] = 255;
        }
        Idx.write(images, IdxArray.ofUnsignedBytes(new int[] {n, 28, 28}, px), gzip);
        Idx.write(labels, IdxArray.ofUnsignedBytes(new int[] {n}, y), gzip);
    }
}
