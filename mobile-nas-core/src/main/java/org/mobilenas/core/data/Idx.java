package org.mobilenas.core.data;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * Reads and writes IDX files (the MNIST format), plain or gzip-compressed (detected from the content,
 * not the file name). Errors name the file and what was expected.
 *
 * <pre>{@code
 * IdxArray images = Idx.read(Path.of("train-images-idx3-ubyte.gz"));   // [60000, 28, 28]
 * ImageDataset ds = Idx.readDataset(imagesPath, labelsPath, 10);
 * Idx.write(Path.of("out-idx1-ubyte.gz"), labels, true);
 * }</pre>
 */
public final class Idx {
    private Idx() {}

    /** Reads one IDX file. */
    public static IdxArray read(Path file) {
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new IdxFormatException(
                    file + " is not a regular file (a directory, device or pipe); expected an IDX " + "file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("IDX file " + file + " does not exist", e);
        } catch (ZipException e) {
            throw new IdxFormatException(file + ": corrupt gzip data (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read IDX file " + file + ": " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads one IDX array from a stream (plain or gzip). {@code source} names the stream in error messages.
     * The stream must end right after the data.
     */
    public static IdxArray read(InputStream raw, String source) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        InputStream in = (b0 == 0x1f && b1 == 0x8b)
                ? new BufferedInputStream(new GZIPInputStream(buffered, 1 << 16), 1 << 16)
                : buffered;
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) {
            throw new IdxFormatException(
                    source + ": truncated header, expected a 4-byte magic number, found " + magic.length + " bytes");
        }
        if (magic[0] != 0 || magic[1] != 0) {
            throw new IdxFormatException(String.format(
                    "%s: bad magic number 0x%02X%02X%02X%02X, expected 0x0000TTDD (two zero bytes, type code, rank)",
                    source, magic[0], magic[1], magic[2], magic[3]));
        }
        IdxType type;
        try {
            type = IdxType.fromCode(magic[2] & 0xFF);
        } catch (IdxFormatException e) {
            throw new IdxFormatException(source + ": bad magic number: " + e.getMessage());
        }
        int rank = magic[3] & 0xFF;
        if (rank == 0) {
            throw new IdxFormatException(source + ": bad magic number: rank 0, expected at least 1 dimension");
        }
        byte[] dimBytes = in.readNBytes(4 * rank);
        if (dimBytes.length < 4 * rank) {
            throw new IdxFormatException(source + ": truncated header, expected " + rank + " dimension sizes ("
                    + 4 * rank + " bytes), found " + dimBytes.length + " bytes");
        }
        int[] dims = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++) {
            int o = 4 * i;
            dims[i] = ((dimBytes[o] & 0xFF) << 24)
                    | ((dimBytes[o + 1] & 0xFF) << 16)
                    | ((dimBytes[o + 2] & 0xFF) << 8)
                    | (dimBytes[o + 3] & 0xFF);
            if (dims[i] < 0) {
                throw new IdxFormatException(source + ": dimension " + i + " = " + dims[i] + ", expected >= 0");
            }
            try {
                count = Math.multiplyExact(count, dims[i]);
            } catch (ArithmeticException e) {
                throw new IdxFormatException(source + ": dimensions " + Arrays.toString(dims) + " multiply beyond "
                        + Long.MAX_VALUE + " elements");
            }
        }
        if (count > (Integer.MAX_VALUE - 8) / type.bytes()) {
            throw new IdxFormatException(source + ": " + type + " " + Arrays.toString(dims) + " is too large (" + count
                    + " elements; at most " + (Integer.MAX_VALUE - 8) / type.bytes() + ")");
        }
        long bytes = count * type.bytes();
        byte[] data = in.readNBytes((int) bytes);
        if (data.length < bytes) {
            throw new IdxFormatException(source + ": truncated file, expected " + bytes + " data bytes for " + type
                    + " " + Arrays.toString(dims) + ", found " + data.length);
        }
        if (in.read() != -1) {
            throw new IdxFormatException(source + ": unexpected data after the " + bytes + " bytes of " + type + " "
                    + Arrays.toString(dims));
        }
        return IdxArray.wrap(type, dims, data);
    }

    /** Writes an IDX file, gzip-compressed if {@code gzip}. */
    public static void write(Path file, IdxArray array, boolean gzip) {
        try (OutputStream os = Files.newOutputStream(file)) {
            write(os, array, gzip);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write IDX file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes an IDX array to a stream (the stream is flushed, not closed, when not gzip). */
    public static void write(OutputStream out, IdxArray array, boolean gzip) throws IOException {
        OutputStream target = gzip ? new GZIPOutputStream(nonClosing(out), 1 << 16) : out;
        DataOutputStream d = new DataOutputStream(new BufferedOutputStream(target, 1 << 16));
        d.writeByte(0);
        d.writeByte(0);
        d.writeByte(array.type().code());
        d.writeByte(array.rank());
        for (int dim : array.dims()) {
            d.writeInt(dim);
        }
        d.write(array.rawBytes());
        d.flush();
        if (gzip) {
            d.close();
        }
    }

    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                out.flush();
            }
        };
    }

    /**
     * Reads an image file ({@code [n, h, w]} or {@code [n, h, w, c]} unsigned bytes, scaled to [0, 1]) and a
     * label file ({@code [n]}) into a dataset with {@code numClasses} classes.
     */
    public static ImageDataset readDataset(Path images, Path labels, int numClasses) {
        IdxArray x = read(images);
        IdxArray y = read(labels);
        if (x.rank() != 3 && x.rank() != 4) {
            throw new IdxFormatException(images + ": images have dims " + Arrays.toString(x.dims())
                    + ", expected [n, h, w] or [n, h, w, c]");
        }
        if (y.rank() != 1) {
            throw new IdxFormatException(labels + ": labels have dims " + Arrays.toString(y.dims()) + ", expected [n]");
        }
        if (x.dim(0) != y.dim(0)) {
            throw new IdxFormatException("mismatched counts: " + images + " has " + x.dim(0) + " images but " + labels
                    + " has " + y.dim(0) + " labels");
        }
        float scale = x.type() == IdxType.UNSIGNED_BYTE ? 1f / 255f : 1f;
        int c = x.rank() == 4 ? x.dim(3) : 1;
        int[] ys = y.toIntArray();
        for (int i = 0; i < ys.length; i++) {
            if (ys[i] < 0 || ys[i] >= numClasses) {
                throw new IdxFormatException(
                        labels + ": label " + i + " = " + ys[i] + ", expected 0.." + (numClasses - 1));
            }
        }
        return ImageDataset.wrap(x.toFloatArray(scale), ys, x.dim(1), x.dim(2), c, numClasses);
    }
}
