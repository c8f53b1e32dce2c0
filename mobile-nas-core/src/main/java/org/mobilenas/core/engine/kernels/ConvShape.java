package org.mobilenas.core.engine.kernels;

/**
 * Geometry of a 2D convolution over an NHWC batch: weights are {@code [out, kernel, kernel, in/groups]}.
 *
 * <pre>{@code
 * ConvShape s = new ConvShape(64, 16, 16, 96, 96, 3, 1, 1, 96);   // a 3x3 depthwise conv
 * }</pre>
 */
public record ConvShape(
        int batch, int height, int width, int in, int out, int kernel, int stride, int padding, int groups) {
    /** Checks the components (a bad one is an error naming it). */
    public ConvShape {
        if (batch <= 0 || height <= 0 || width <= 0 || in <= 0 || out <= 0) {
            throw new IllegalArgumentException("conv: batch " + batch + ", height " + height + ", width " + width
                    + ", in " + in + ", out " + out + " must all be > 0");
        }
        if (kernel <= 0 || stride <= 0 || padding < 0 || groups <= 0) {
            throw new IllegalArgumentException("conv: kernel " + kernel + ", stride " + stride + " and groups " + groups
                    + " must be > 0 and padding " + padding + " >= 0");
        }
        if (in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException(
                    "conv: in " + in + " and out " + out + " must be divisible by groups " + groups);
        }
        if (height + 2 * padding < kernel || width + 2 * padding < kernel) {
            throw new IllegalArgumentException("conv: input " + height + "x" + width + " with padding " + padding
                    + " smaller than kernel " + kernel);
        }
    }

    /** Output height. */
    public int outHeight() {
        return (height + 2 * padding - kernel) / stride + 1;
    }

    /** Output width. */
    public int outWidth() {
        return (width + 2 * padding - kernel) / stride + 1;
    }

    /** Input channels per group. */
    public int inPerGroup() {
        return in / groups;
    }

    /** Output channels per group. */
    public int outPerGroup() {
        return out / groups;
    }

    /** Elements of the weight tensor. */
    public int weightSize() {
        return out * kernel * kernel * inPerGroup();
    }

    /** Whether this is a depthwise convolution: one group per input and output channel. */
    public boolean depthwise() {
        return groups == in && groups == out && groups > 1;
    }

    /** Whether this is a 1×1, stride 1, unpadded convolution. */
    public boolean pointwise() {
        return kernel == 1 && stride == 1 && padding == 0;
    }

    /** Values in one input image. */
    public int inputSize() {
        return batch * height * width * in;
    }

    /** Values in one output image. */
    public int outputSize() {
        return batch * outHeight() * outWidth() * out;
    }
}
