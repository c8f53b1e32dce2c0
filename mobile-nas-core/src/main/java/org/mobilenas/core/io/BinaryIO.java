package org.mobilenas.core.io;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading and writing of the binary artefacts (parameters, checkpoints): big-endian float arrays and strings whose
 * declared lengths are never trusted for allocation. Data is read in chunks of at most 1 MiB, so a damaged header
 * that declares a billion values fails at the end of the file instead of exhausting the heap.
 *
 * <pre>{@code
 * float[] v = BinaryIO.readFloats(in, n, "parameter stages[0].conv.weight");
 * }</pre>
 */
public final class BinaryIO {
    private static final int CHUNK = 1 << 20;

    private BinaryIO() {}

    /** Writes {@code v.length} big-endian floats (no length prefix). */
    public static void writeFloats(DataOutputStream out, float[] v) throws IOException {
        byte[] b = new byte[Math.min(v.length, CHUNK / 4) * 4];
        for (int off = 0; off < v.length; off += b.length / 4) {
            int m = Math.min(b.length / 4, v.length - off);
            ByteBuffer.wrap(b, 0, m * 4).asFloatBuffer().put(v, off, m);
            out.write(b, 0, m * 4);
        }
    }

    /**
     * Reads {@code n} big-endian floats, refusing a negative count, a count over {@code 2^31 - 9} and an early end.
     *
     * @param what names the array in error messages
     */
    public static float[] readFloats(DataInputStream in, long n, String what) throws IOException {
        if (n < 0 || n > Integer.MAX_VALUE - 8) {
            throw new IOException(what + ": array length " + n + ": expected 0.." + (Integer.MAX_VALUE - 8));
        }
        byte[] bytes = readBytes(in, n * 4, what);
        float[] v = new float[(int) n];
        ByteBuffer.wrap(bytes).asFloatBuffer().get(v);
        return v;
    }

    /** Reads {@code n} bytes in chunks; an early end of data fails naming {@code what}. */
    public static byte[] readBytes(DataInputStream in, long n, String what) throws IOException {
        if (n < 0 || n > Integer.MAX_VALUE - 8L * 4) {
            throw new IOException(what + ": byte length " + n + " is out of range");
        }
        if (n <= CHUNK) {
            byte[] b = new byte[(int) n];
            readFully(in, b, 0, b.length, what, n);
            return b;
        }
        List<byte[]> chunks = new ArrayList<>();
        long left = n;
        while (left > 0) {
            byte[] c = new byte[(int) Math.min(CHUNK, left)];
            readFully(in, c, 0, c.length, what, n);
            chunks.add(c);
            left -= c.length;
        }
        byte[] out = new byte[(int) n];
        int off = 0;
        for (byte[] c : chunks) {
            System.arraycopy(c, 0, out, off, c.length);
            off += c.length;
        }
        return out;
    }

    private static void readFully(DataInputStream in, byte[] b, int off, int len, String what, long declared)
            throws IOException {
        try {
            in.readFully(b, off, len);
        } catch (EOFException e) {
            EOFException t = new EOFException(what + ": the data ends before the " + declared + " bytes it declares");
            t.initCause(e);
            throw t;
        }
    }

    /** Writes a length-prefixed UTF-8 string. */
    public static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    /** Reads a string written by {@link #writeString}, of at most {@code maxBytes} bytes. */
    public static String readString(DataInputStream in, int maxBytes, String what) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > maxBytes) {
            throw new IOException(what + ": string length " + n + ": expected 0.." + maxBytes);
        }
        return new String(readBytes(in, n, what), StandardCharsets.UTF_8);
    }

    /** The index of the first value that is NaN or infinite, or -1. */
    public static int firstNonFinite(float[] v) {
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                return i;
            }
        }
        return -1;
    }
}
