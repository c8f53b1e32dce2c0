package org.mobilenas.core.spec;

/** Shape of one activation tensor at batch 1: height, width, channels. */
public record Shape(int height, int width, int channels) {
    public Shape {
        if (height <= 0 || width <= 0 || channels <= 0) {
            throw new SpecException("shape " + height + "x" + width + "x" + channels
                    + " must have positive height, width and channels");
        }
    }

    public long elements() {
        return (long) height * width * channels;
    }

    public Shape withChannels(int c) {
        return new Shape(height, width, c);
    }

    @Override
    public String toString() {
        return height + "x" + width + "x" + channels;
    }
}
