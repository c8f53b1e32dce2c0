package org.mobilenas.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImageDatasetTest {

    /** n images of 2x2x1 whose pixels all equal the image index (so images are identifiable). */
    private static ImageDataset indexed(int n, int classes) {
        float[] x = new float[n * 4];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(x, i * 4, i * 4 + 4, i);
            y[i] = i % classes;
        }
        return new ImageDataset(x, y, 2, 2, 1, classes);
    }

    private static Set<Integer> ids(ImageDataset d) {
        Set<Integer> s = new HashSet<>();
        for (int i = 0; i < d.size(); i++) {
            s.add((int) d.pixel(i, 0, 0, 0));
        }
        return s;
    }

    @Test
    void validation() {
        assertThatThrownBy(() -> new ImageDataset(new float[3], new int[] {0}, 2, 2, 1, 2))
                .hasMessageContaining("images: 3 values, expected 4");
        assertThatThrownBy(() -> new ImageDataset(new float[4], new int[] {2}, 2, 2, 1, 2))
                .hasMessageContaining("labels[0] = 2, expected 0..1");
        assertThatThrownBy(() -> new ImageDataset(new float[0], new int[0], 0, 2, 1, 2))
                .hasMessageContaining("height = 0");
        assertThatThrownBy(() -> new ImageDataset(new float[0], new int[0], 2, 2, 1, 1))
                .hasMessageContaining("numClasses = 1");
    }

    @Test
    void constructorCopiesItsInput() {
        float[] x = {1, 2, 3, 4};
        ImageDataset d = new ImageDataset(x, new int[] {0}, 2, 2, 1, 2);
        x[0] = 99;
        assertThat(d.pixel(0, 0, 0, 0)).isEqualTo(1f);
        d.images()[0] = 42;
        assertThat(d.pixel(0, 0, 0, 0)).isEqualTo(1f);
    }

    @Test
    void stratifiedSplitIsDeterministicDisjointAndComplete() {
        ImageDataset d = indexed(100, 4);
        ImageDataset.Split a = d.split(0.2, 7);
        ImageDataset.Split b = d.split(0.2, 7);
        assertThat(a.train().images()).isEqualTo(b.train().images());
        assertThat(a.validation().labels()).isEqualTo(b.validation().labels());
        assertThat(a.validation().size()).isEqualTo(20);
        assertThat(a.validation().classCounts()).containsExactly(5, 5, 5, 5);
        Set<Integer> t = ids(a.train());
        Set<Integer> v = ids(a.validation());
        assertThat(t).doesNotContainAnyElementsOf(v);
        Set<Integer> all = new HashSet<>(t);
        all.addAll(v);
        assertThat(all).hasSize(100);
        assertThat(ids(d.split(0.2, 8).validation())).isNotEqualTo(v);
        ImageDataset.Split shuffled = d.split(0.3, 1, false);
        assertThat(shuffled.validation().size()).isEqualTo(30);
        assertThat(ids(shuffled.train())).doesNotContainAnyElementsOf(ids(shuffled.validation()));
        assertThatThrownBy(() -> d.split(1.0, 1)).hasMessageContaining("validationFraction = 1.0");
        assertThatThrownBy(() -> indexed(4, 2).split(0.01, 1)).hasMessageContaining("empty validation");
    }

    @Test
    void subsetAndSelect() {
        ImageDataset d = indexed(50, 5);
        ImageDataset s = d.subset(10, 3);
        assertThat(s.size()).isEqualTo(10);
        assertThat(ids(s)).hasSize(10);
        assertThat(d.subset(10, 3).images()).isEqualTo(s.images());
        assertThat(d.select(new int[] {4, 4, 1}).labels()).containsExactly(4, 4, 1);
        assertThat(ids(d.head(3))).containsExactlyInAnyOrder(0, 1, 2);
        assertThatThrownBy(() -> d.subset(51, 1)).hasMessageContaining("subset n = 51, expected 1..50");
        assertThat(ids(d.shuffled(2))).hasSize(50);
    }

    @Test
    void batchesCoverTheDatasetAndShuffleWithTheSeed() {
        ImageDataset d = indexed(10, 2);
        List<Integer> sizes = new ArrayList<>();
        for (ImageDataset.Batch b : d.batches(4)) {
            sizes.add(b.size());
            assertThat(b.images().h).isEqualTo(2);
        }
        assertThat(sizes).containsExactly(4, 4, 2);
        List<Integer> order = new ArrayList<>();
        for (ImageDataset.Batch b : d.shuffledBatches(4, 9, true)) {
            assertThat(b.size()).isEqualTo(4);
            for (int k = 0; k < b.size(); k++) {
                order.add(b.indices()[k]);
                assertThat(b.images().get(k, 1, 1, 0)).isEqualTo(b.indices()[k]);
                assertThat(b.labels()[k]).isEqualTo(b.indices()[k] % 2);
            }
        }
        assertThat(order).hasSize(8).doesNotHaveDuplicates();
        List<Integer> again = new ArrayList<>();
        d.shuffledBatches(4, 9, true).forEach(b -> {
            for (int i : b.indices()) {
                again.add(i);
            }
        });
        assertThat(again).isEqualTo(order);
        assertThat(d.batchCount(4, true)).isEqualTo(2);
        assertThat(d.batchCount(4, false)).isEqualTo(3);
    }

    @Test
    void normalisation() {
        ImageDataset d = SyntheticImages.builder()
                .channels(3)
                .samples(20)
                .size(8)
                .seed(1)
                .build();
        ImageDataset.ChannelStats s = d.channelStats();
        ImageDataset n = d.normalize(s);
        ImageDataset.ChannelStats after = n.channelStats();
        for (int c = 0; c < 3; c++) {
            assertThat(after.mean()[c]).isCloseTo(0, within(1e-5));
            assertThat(after.std()[c]).isCloseTo(1, within(1e-4));
        }
        float expected = (float) ((d.pixel(3, 2, 1, 2) - s.mean()[2]) / s.std()[2]);
        assertThat(n.pixel(3, 2, 1, 2)).isCloseTo(expected, within(1e-5f));
        assertThatThrownBy(() -> indexed(2, 2).normalize(s)).hasMessageContaining("stats have 3 channels, expected 1");
        assertThatThrownBy(() -> new ImageDataset.ChannelStats(new double[] {0}, new double[] {0}))
                .hasMessageContaining("std[0] = 0.0");
    }

    @Test
    void padAndPadTo() {
        ImageDataset d = indexed(2, 2).pad(1, 0, 0, 2, 0.5f);
        assertThat(d.height()).isEqualTo(3);
        assertThat(d.width()).isEqualTo(4);
        assertThat(d.pixel(1, 0, 0, 0)).isEqualTo(0.5f);
        assertThat(d.pixel(1, 1, 0, 0)).isEqualTo(1f);
        assertThat(d.pixel(1, 2, 1, 0)).isEqualTo(1f);
        assertThat(d.pixel(1, 2, 2, 0)).isEqualTo(0.5f);
        float[] x = new float[28 * 28];
        java.util.Arrays.fill(x, 1f);
        ImageDataset p = new ImageDataset(x, new int[] {0}, 28, 28, 1, 2).padTo(32, 32);
        assertThat(p.height()).isEqualTo(32);
        assertThat(p.pixel(0, 1, 1, 0)).isZero();
        assertThat(p.pixel(0, 2, 2, 0)).isEqualTo(1f);
        assertThat(p.pixel(0, 29, 29, 0)).isEqualTo(1f);
        assertThat(p.pixel(0, 30, 30, 0)).isZero();
        double sum = 0;
        for (float v : p.images()) {
            sum += v;
        }
        assertThat(sum).isEqualTo(784);
        assertThatThrownBy(() -> p.padTo(30, 30)).hasMessageContaining("smaller than the images");
    }

    @Test
    void bilinearResize() {
        // a 1x2 ramp [0, 1] upsampled to width 4: half-pixel centres give 0, 0.25, 0.75, 1
        ImageDataset ramp = new ImageDataset(new float[] {0, 1}, new int[] {0}, 1, 2, 1, 2);
        ImageDataset r = ramp.resize(1, 4);
        assertThat(r.images()).containsExactly(new float[] {0f, 0.25f, 0.75f, 1f}, within(1e-6f));
        // 2x2 -> 1x1 averages the four pixels
        ImageDataset sq = new ImageDataset(new float[] {0, 1, 2, 3}, new int[] {1}, 2, 2, 1, 2);
        assertThat(sq.resize(1, 1).images()).containsExactly(1.5f);
        // a constant image stays constant; same size is the identity
        float[] c = new float[28 * 28 * 2];
        java.util.Arrays.fill(c, 0.3f);
        ImageDataset k = new ImageDataset(c, new int[] {0}, 28, 28, 2, 2).resize(32, 24);
        assertThat(k.height()).isEqualTo(32);
        assertThat(k.width()).isEqualTo(24);
        for (float v : k.images()) {
            assertThat(v).isCloseTo(0.3f, within(1e-6f));
        }
        assertThat(sq.resize(2, 2)).isSameAs(sq);
    }

    @Test
    void replicateChannels() {
        ImageDataset d = indexed(3, 2).replicateChannels(3);
        assertThat(d.channels()).isEqualTo(3);
        for (int c = 0; c < 3; c++) {
            assertThat(d.pixel(2, 1, 0, c)).isEqualTo(2f);
        }
        assertThatThrownBy(() -> d.replicateChannels(3)).hasMessageContaining("needs 1 channel, dataset has 3");
    }

    @Test
    void concat() {
        ImageDataset a = indexed(3, 2);
        ImageDataset c = ImageDataset.concat(List.of(a, a.select(new int[] {1})));
        assertThat(c.size()).isEqualTo(4);
        assertThat(c.labels()).containsExactly(0, 1, 0, 1);
        assertThatThrownBy(() -> ImageDataset.concat(List.of(a, indexed(3, 3)))).hasMessageContaining("parts[1]");
    }
}
