package org.mobilenas.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.mobilenas.core.data.Augmentation;
import org.mobilenas.core.engine.Tensor;

class AugmentationTest {
    private static Tensor ramp(int n, int h, int w, int c) {
        Tensor t = new Tensor(n, h, w, c);
        for (int i = 0; i < t.size(); i++) {
            t.data[i] = i;
        }
        return t;
    }

    @Test
    void noneReturnsTheInputAndStandardIsSeededAndShapePreserving() {
        Tensor x = ramp(8, 6, 5, 2);
        assertThat(Augmentation.none().apply(x, 1)).isSameAs(x);
        Augmentation a = Augmentation.standard(2);
        Tensor y1 = a.apply(x, 7);
        Tensor y2 = a.apply(x, 7);
        Tensor y3 = a.apply(x, 8);
        assertThat(y1.data).isEqualTo(y2.data);
        assertThat(y1.data).isNotEqualTo(y3.data);
        assertThat(new int[] {y1.n, y1.h, y1.w, y1.c}).containsExactly(8, 6, 5, 2);
        assertThat(x.data[7]).as("input unchanged").isEqualTo(7f);
    }

    @Test
    void flipOnlyMirrorsRowsAndCropOnlyShiftsWithEdgeReplication() {
        Tensor x = ramp(64, 3, 4, 1);
        Tensor f = new Augmentation(0, true).apply(x, 3);
        int flipped = 0;
        for (int b = 0; b < 64; b++) {
            boolean same = f.get(b, 1, 0, 0) == x.get(b, 1, 0, 0);
            boolean mirrored = f.get(b, 1, 0, 0) == x.get(b, 1, 3, 0);
            assertThat(same || mirrored).isTrue();
            for (int y = 0; y < 3; y++) {
                for (int xx = 0; xx < 4; xx++) {
                    assertThat(f.get(b, y, xx, 0)).isEqualTo(x.get(b, y, mirrored ? 3 - xx : xx, 0));
                }
            }
            flipped += mirrored ? 1 : 0;
        }
        assertThat(flipped).isBetween(16, 48);

        Tensor c = new Augmentation(1, false).apply(x, 5);
        for (int b = 0; b < 64; b++) {
            // every output pixel is an input pixel of the same image within one pixel of its place
            for (int y = 0; y < 3; y++) {
                for (int xx = 0; xx < 4; xx++) {
                    float v = c.get(b, y, xx, 0);
                    int idx = (int) v - b * 12;
                    assertThat(idx).isBetween(0, 11);
                    assertThat(Math.abs(idx / 4 - y)).isLessThanOrEqualTo(1);
                    assertThat(Math.abs(idx % 4 - xx)).isLessThanOrEqualTo(1);
                }
            }
        }
    }

    @Test
    void badPaddingNamesTheField() {
        assertThatThrownBy(() -> new Augmentation(-1, true)).hasMessageContaining("augmentation.padding -1");
        assertThatThrownBy(() -> Augmentation.none().apply(null, 1)).hasMessageContaining("images");
    }
}
