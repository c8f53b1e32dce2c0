package org.mobilenas.core.spec;

/**
 * Shape of one activation tensor at batch 1: height, width, channels. Every shape a network infers is bounded
 * ({@value #MAX_SIZE} px, {@value #MAX_CHANNELS} channels, fewer than 2^31 elements), so sizes, costs and buffers
 * computed from it never overflow.
 */
public record Shape(int height, int width, int channels) {
    /** The largest height or width. */
    public static final int MAX_SIZE = 8_192;
    /** The largest channel count of any tensor. */
    public static final int MAX_CHANNELS = 65_536;
    /** The largest number of elements of one tensor at batch 1. */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    /** Checks the components (a bad one is an error naming it). */
    public Shape {
        if (height <= 0 || width <= 0 || channels <= 0) {
            throw new SpecException("shape " + height + "x" + width + "x" + channels
                    + " must have positive height, width and channels");
        }
        if (height > MAX_SIZE || width > MAX_SIZE || channels > MAX_CHANNELS) {
            throw new SpecException("shape " + height + "x" + width + "x" + channels + ": expected height and width "
                    + "<= " + MAX_SIZE + " and channels <= " + MAX_CHANNELS);
        }
        if ((long) height * width * channels > MAX_ELEMENTS) {
            throw new SpecException("shape " + height + "x" + width + "x" + channels + " has "
                    + (long) height * width * channels + " elements: expected at most " + MAX_ELEMENTS);
        }
    }

    /** Values in a tensor of this shape (height × width × channels). */
    public long elements() {
        return (long) height * width * channels;
    }

    /** This shape with {@code c} channels. */
    public Shape withChannels(int c) {
        return new Shape(height, width, c);
    }

    @Override
    public String toString() {
        return height + "x" + width + "x" + channels;
    }
}
