package org.mobilenas.core.engine;

import java.util.Arrays;

/**
 * A dense float32 activation tensor in NHWC layout (batch, height, width, channels), backed by a heap array.
 * Element (n, y, x, ch) is at {@code ((n * h + y) * w + x) * c + ch}.
 */
public final class Tensor {
    /** The values, NHWC order. */
    public final float[] data;
    /** Batch size. */
    public final int n;
    /** Height. */
    public final int h;
    /** Width. */
    public final int w;
    /** Channels. */
    public final int c;

    /** A zero tensor of shape {@code n × h × w × c}. */
    public Tensor(int n, int h, int w, int c) {
        this(new float[checkedSize(n, h, w, c)], n, h, w, c);
    }

    /** A tensor over {@code data} (not copied) of shape {@code n × h × w × c}. */
    public Tensor(float[] data, int n, int h, int w, int c) {
        long size = checkedSize(n, h, w, c);
        if (data.length < size) {
            throw new IllegalArgumentException("data length " + data.length + " < " + n + "x" + h + "x" + w + "x" + c);
        }
        this.data = data;
        this.n = n;
        this.h = h;
        this.w = w;
        this.c = c;
    }

    private static int checkedSize(int n, int h, int w, int c) {
        if (n <= 0 || h <= 0 || w <= 0 || c <= 0) {
            throw new IllegalArgumentException("tensor shape " + n + "x" + h + "x" + w + "x" + c + " must be positive");
        }
        long s = (long) n * h * w * c;
        if (s > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensor " + n + "x" + h + "x" + w + "x" + c + " too large");
        }
        return (int) s;
    }

    /** Number of elements. */
    public int size() {
        return n * h * w * c;
    }

    /** Elements per batch item. */
    public int itemSize() {
        return h * w * c;
    }

    /** The value at image {@code b}, row {@code y}, column {@code x}, channel {@code ch}. */
    public float get(int b, int y, int x, int ch) {
        return data[((b * h + y) * w + x) * c + ch];
    }

    /** Sets the value at image {@code b}, row {@code y}, column {@code x}, channel {@code ch}. */
    public void set(int b, int y, int x, int ch, float v) {
        data[((b * h + y) * w + x) * c + ch] = v;
    }

    /** Whether {@code o} has this tensor's shape. */
    public boolean sameShape(Tensor o) {
        return n == o.n && h == o.h && w == o.w && c == o.c;
    }

    /** A deep copy. */
    public Tensor copy() {
        return new Tensor(Arrays.copyOf(data, size()), n, h, w, c);
    }

    /** Sets every value to {@code v}. */
    public void fill(float v) {
        Arrays.fill(data, 0, size(), v);
    }

    @Override
    public String toString() {
        return "Tensor[" + n + "x" + h + "x" + w + "x" + c + "]";
    }
}
