package org.mobilenas.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxTest {
    @TempDir
    Path tmp;

    private static IdxArray images() {
        int[] v = new int[2 * 3 * 4];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i * 37) % 256;
        }
        return IdxArray.ofUnsignedBytes(new int[] {2, 3, 4}, v);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void roundTrip(boolean gzip) {
        Path f = tmp.resolve("x-idx3-ubyte");
        Idx.write(f, images(), gzip);
        IdxArray back = Idx.read(f);
        assertThat(back).isEqualTo(images());
        assertThat(back.dims()).containsExactly(2, 3, 4);
        assertThat(back.get(5)).isEqualTo((5 * 37) % 256);
        byte[] head = Arrays.copyOf(readBytes(f), 2);
        if (gzip) {
            assertThat(head).containsExactly(0x1f, 0x8b);
        } else {
            assertThat(head).containsExactly(0, 0);
        }
    }

    @Test
    void roundTripOfWiderTypes() {
        for (IdxType t : IdxType.values()) {
            byte[] data = new byte[3 * t.bytes()];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (i + 1);
            }
            IdxArray a = new IdxArray(t, new int[] {3}, data);
            Path f = tmp.resolve("t" + t.code());
            Idx.write(f, a, true);
            assertThat(Idx.read(f)).isEqualTo(a);
        }
        byte[] f = new byte[8];
        java.nio.ByteBuffer.wrap(f).putFloat(1.5f).putFloat(-2f);
        assertThat(new IdxArray(IdxType.FLOAT, new int[] {2}, f).toFloatArray(1f))
                .containsExactly(1.5f, -2f);
        byte[] s = {(byte) 0xFF, (byte) 0xFE};
        assertThat(new IdxArray(IdxType.SHORT, new int[] {1}, s).get(0)).isEqualTo(-2);
    }

    @Test
    void datasetFromImageAndLabelFiles() {
        Path x = tmp.resolve("img.gz");
        Path y = tmp.resolve("lab");
        Idx.write(x, images(), true);
        Idx.write(y, IdxArray.ofUnsignedBytes(new int[] {2}, new int[] {1, 0}), false);
        ImageDataset ds = Idx.readDataset(x, y, 3);
        assertThat(ds.size()).isEqualTo(2);
        assertThat(ds.height()).isEqualTo(3);
        assertThat(ds.width()).isEqualTo(4);
        assertThat(ds.channels()).isEqualTo(1);
        assertThat(ds.labels()).containsExactly(1, 0);
        assertThat(ds.pixel(1, 0, 1, 0))
                .isCloseTo(((13 * 37) % 256) / 255f, org.assertj.core.api.Assertions.within(1e-6f));
    }

    @Test
    void badMagicNumber() {
        Path f = write("bad", new byte[] {1, 2, 8, 1, 0, 0, 0, 1, 5});
        assertThatThrownBy(() -> Idx.read(f))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("bad magic number 0x01020801");
        Path g = write("badtype", new byte[] {0, 0, 7, 1, 0, 0, 0, 1, 5});
        assertThatThrownBy(() -> Idx.read(g)).hasMessageContaining("type code 0x07");
        Path h = write("rank0", new byte[] {0, 0, 8, 0});
        assertThatThrownBy(() -> Idx.read(h)).hasMessageContaining("rank 0");
    }

    @Test
    void truncatedFiles() {
        Path header = write("h", new byte[] {0, 0, 8, 2, 0, 0, 0, 2});
        assertThatThrownBy(() -> Idx.read(header)).hasMessageContaining("truncated header");
        Path data = write("d", new byte[] {0, 0, 8, 1, 0, 0, 0, 4, 1, 2});
        assertThatThrownBy(() -> Idx.read(data))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("truncated file, expected 4 data bytes")
                .hasMessageContaining("found 2");
        Path gz = tmp.resolve("d.gz");
        try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(new byte[] {0, 0, 8, 1, 0, 0, 0, 4, 1});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThatThrownBy(() -> Idx.read(gz)).hasMessageContaining("truncated file");
        Path tiny = write("t", new byte[] {0, 0});
        assertThatThrownBy(() -> Idx.read(tiny)).hasMessageContaining("4-byte magic number");
        Path extra = write("e", new byte[] {0, 0, 8, 1, 0, 0, 0, 1, 1, 2});
        assertThatThrownBy(() -> Idx.read(extra)).hasMessageContaining("unexpected data after");
    }

    @Test
    void corruptGzip() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {0x1f, (byte) 0x8b, 9, 9, 9, 9});
        Path f = write("c.gz", b.toByteArray());
        assertThatThrownBy(() -> Idx.read(f)).hasMessageContaining(f.toString());
    }

    @Test
    void mismatchedCountsAndLabels() {
        Path x = tmp.resolve("img");
        Path y = tmp.resolve("lab");
        Idx.write(x, images(), false);
        Idx.write(y, IdxArray.ofUnsignedBytes(new int[] {3}, new int[] {1, 0, 1}), false);
        assertThatThrownBy(() -> Idx.readDataset(x, y, 3))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("mismatched counts")
                .hasMessageContaining("2 images")
                .hasMessageContaining("3 labels");
        Idx.write(y, IdxArray.ofUnsignedBytes(new int[] {2}, new int[] {1, 7}), false);
        assertThatThrownBy(() -> Idx.readDataset(x, y, 3)).hasMessageContaining("label 1 = 7, expected 0..2");
        assertThatThrownBy(() -> Idx.readDataset(y, y, 3)).hasMessageContaining("expected [n, h, w]");
        assertThatThrownBy(() -> Idx.read(tmp.resolve("missing"))).hasMessageContaining("does not exist");
    }

    @Test
    void arrayValidation() {
        assertThatThrownBy(() -> new IdxArray(IdxType.INT, new int[] {2}, new byte[4]))
                .hasMessageContaining("expected 8 bytes");
        assertThatThrownBy(() -> IdxArray.ofUnsignedBytes(new int[] {1}, new int[] {256}))
                .hasMessageContaining("values[0] = 256");
    }

    private Path write(String name, byte[] bytes) {
        try {
            return Files.write(tmp.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readBytes(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void dimensionsThatOverflowAndNonRegularFilesAreRefused() throws Exception {
        // 2^21 x 2^21 x 2^21 x 2^21 elements: the product overflows a long
        byte[] b = {0, 0, 8, 4, 0, 0x20, 0, 0, 0, 0x20, 0, 0, 0, 0x20, 0, 0, 0, 0x20, 0, 0};
        Path f = write("overflow", b);
        assertThatThrownBy(() -> Idx.read(f))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("multiply beyond");
        // 2^16 x 2^16 bytes: too large for one array
        Path g = write("huge", new byte[] {0, 0, 8, 2, 0, 1, 0, 0, 0, 1, 0, 0});
        assertThatThrownBy(() -> Idx.read(g))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("too large");
        assertThatThrownBy(() -> Idx.read(tmp))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("not a regular file");
        Path fifo = tmp.resolve("fifo");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        if (p.waitFor() == 0) {
            assertThatThrownBy(() -> Idx.read(fifo)).hasMessageContaining("not a regular file");
        }
    }
}
