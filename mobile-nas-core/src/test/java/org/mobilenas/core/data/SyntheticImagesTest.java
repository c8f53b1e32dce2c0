package org.mobilenas.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SyntheticImagesTest {

    @Test
    void seededBalancedAndShaped() {
        ImageDataset a = SyntheticImages.builder()
                .classes(5)
                .size(12)
                .channels(3)
                .samples(50)
                .seed(4)
                .build();
        ImageDataset b = SyntheticImages.builder()
                .classes(5)
                .size(12)
                .channels(3)
                .samples(50)
                .seed(4)
                .build();
        ImageDataset c = SyntheticImages.builder()
                .classes(5)
                .size(12)
                .channels(3)
                .samples(50)
                .seed(5)
                .build();
        assertThat(a.images()).isEqualTo(b.images());
        assertThat(a.images()).isNotEqualTo(c.images());
        assertThat(a.classCounts()).containsExactly(10, 10, 10, 10, 10);
        assertThat(a.height()).isEqualTo(12);
        assertThat(a.channels()).isEqualTo(3);
        assertThat(a.numClasses()).isEqualTo(5);
    }

    @Test
    void classesDifferOnAverage() {
        // without noise, the mean images of two classes differ (blobs at different places)
        ImageDataset d = SyntheticImages.builder()
                .classes(2)
                .size(16)
                .noise(0)
                .samples(200)
                .seed(1)
                .build();
        double[] mean0 = new double[256];
        double[] mean1 = new double[256];
        for (int i = 0; i < d.size(); i++) {
            float[] img = d.image(i);
            double[] m = d.label(i) == 0 ? mean0 : mean1;
            for (int p = 0; p < 256; p++) {
                m[p] += img[p] / 100.0;
            }
        }
        double dist = 0;
        for (int p = 0; p < 256; p++) {
            dist += Math.abs(mean0[p] - mean1[p]);
        }
        assertThat(dist / 256).isGreaterThan(0.05);
    }

    @Test
    void invalidSettings() {
        assertThatThrownBy(() -> SyntheticImages.builder().classes(1))
                .hasMessageContaining("classes = 1, expected 2..64");
        assertThatThrownBy(() -> SyntheticImages.builder().size(4)).hasMessageContaining("size = 4");
        assertThatThrownBy(() -> SyntheticImages.builder().noise(-1)).hasMessageContaining("noise = -1.0");
    }
}
