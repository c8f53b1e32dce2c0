package org.mobilenas.core.data;

import java.util.Arrays;

/**
 * An n-dimensional array read from (or to be written to) an IDX file: element type, dimensions and
 * the raw big-endian element bytes. Immutable.
 *
 * <pre>{@code
 * IdxArray labels = Idx.read(Path.of("train-labels-idx1-ubyte.gz"));
 * int[] y = labels.toIntArray();
 * }</pre>
 */
public final class IdxArray {
    private final IdxType type;
    private final int[] dims;
    private final byte[] data;
    private final int count;

    /**
     * @param type element type
     * @param dims dimensions, each positive (at least one)
     * @param data big-endian element bytes, exactly {@code product(dims) * type.bytes()} of them
     */
    public IdxArray(IdxType type, int[] dims, byte[] data) {
        if (type == null) {
            throw new IllegalArgumentException("type must not be null");
        }
        if (dims == null || dims.length == 0 || dims.length > 255) {
            throw new IllegalArgumentException(
                    "dims: expected 1 to 255 dimensions, got " + (dims == null ? "null" : dims.length));
        }
        long n = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0) {
                throw new IllegalArgumentException("dims[" + i + "] = " + dims[i] + ", expected >= 0");
            }
            n *= dims[i];
        }
        if (n * type.bytes() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("dims " + Arrays.toString(dims) + " too large for one array");
        }
        if (data == null || data.length != n * type.bytes()) {
            throw new IllegalArgumentException("data: expected " + n * type.bytes() + " bytes for " + type + " "
                    + Arrays.toString(dims) + ", got " + (data == null ? "null" : data.length));
        }
        this.type = type;
        this.dims = dims.clone();
        this.data = data.clone();
        this.count = (int) n;
    }

    /** An unsigned-byte array (values 0..255 given as ints). */
    public static IdxArray ofUnsignedBytes(int[] dims, int[] values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0 || values[i] > 255) {
                throw new IllegalArgumentException("values[" + i + "] = " + values[i] + ", expected 0..255");
            }
            b[i] = (byte) values[i];
        }
        return new IdxArray(IdxType.UNSIGNED_BYTE, dims, b);
    }

    /** Package-private constructor that takes ownership of {@code data} (no copy). */
    static IdxArray wrap(IdxType type, int[] dims, byte[] data) {
        return new IdxArray(type, dims, data, true);
    }

    private IdxArray(IdxType type, int[] dims, byte[] data, boolean owned) {
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        this.type = type;
        this.dims = dims.clone();
        this.data = data;
        this.count = (int) n;
    }

    /** The element type. */
    public IdxType type() {
        return type;
    }

    /** The dimensions (a copy). */
    public int[] dims() {
        return dims.clone();
    }

    /** Extent of dimension {@code i}. */
    public int dim(int i) {
        return dims[i];
    }

    /** Number of dimensions. */
    public int rank() {
        return dims.length;
    }

    /** Number of elements. */
    public int count() {
        return count;
    }

    /** The raw big-endian element bytes (a copy). */
    public byte[] bytes() {
        return data.clone();
    }

    byte[] rawBytes() {
        return data;
    }

    /** Element {@code i} (flat, C order) as a double. */
    public double get(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("index " + i + " not in [0, " + count + ")");
        }
        int o = i * type.bytes();
        return switch (type) {
            case UNSIGNED_BYTE -> data[o] & 0xFF;
            case SIGNED_BYTE -> data[o];
            case SHORT -> (short) (((data[o] & 0xFF) << 8) | (data[o + 1] & 0xFF));
            case INT -> readInt(o);
            case FLOAT -> Float.intBitsToFloat(readInt(o));
            case DOUBLE -> Double.longBitsToDouble(((long) readInt(o) << 32) | (readInt(o + 4) & 0xFFFFFFFFL));
        };
    }

    private int readInt(int o) {
        return ((data[o] & 0xFF) << 24)
                | ((data[o + 1] & 0xFF) << 16)
                | ((data[o + 2] & 0xFF) << 8)
                | (data[o + 3] & 0xFF);
    }

    /** All elements as integers; fails for float/double arrays holding non-integral values. */
    public int[] toIntArray() {
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            double v = get(i);
            if (v != Math.rint(v)) {
                throw new IdxFormatException("element " + i + " = " + v + " is not an integer");
            }
            out[i] = (int) v;
        }
        return out;
    }

    /** All elements multiplied by {@code scale} (e.g. {@code 1/255f} for pixels). */
    public float[] toFloatArray(float scale) {
        float[] out = new float[count];
        if (type == IdxType.UNSIGNED_BYTE) {
            for (int i = 0; i < count; i++) {
                out[i] = (data[i] & 0xFF) * scale;
            }
        } else {
            for (int i = 0; i < count; i++) {
                out[i] = (float) (get(i) * scale);
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdxArray a && a.type == type && Arrays.equals(a.dims, dims) && Arrays.equals(a.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * type.hashCode() + Arrays.hashCode(dims)) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "IdxArray[" + type + " " + Arrays.toString(dims) + "]";
    }
}
