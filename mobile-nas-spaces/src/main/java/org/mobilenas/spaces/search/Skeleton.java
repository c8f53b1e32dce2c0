package org.mobilenas.spaces.search;

import java.util.ArrayList;
import java.util.List;
import org.mobilenas.core.spec.Activation;
import org.mobilenas.core.spec.MakeDivisible;
import org.mobilenas.core.spec.SpecException;

/**
 * The fixed frame of a search space: input, stem, a sequence of blocks (base filters, base layers, stride and
 * base expansion) and head. The search spaces vary what happens inside each block; the skeleton fixes where
 * the network downsamples and how wide it is by default.
 *
 * <pre>{@code
 * Skeleton paper = Skeleton.mobileNetV2(224, 1000);          // 7 blocks, 16/24/32/64/96/160/320 filters
 * Skeleton small = Skeleton.mobileNetV2Small(28, 10).withWidth(0.5);
 * Skeleton mine = new Skeleton("tiny", 32, 3, 16, 1, List.of(
 *         new Skeleton.Block(16, 1, 1, 1), new Skeleton.Block(32, 2, 2, 6)), 0, Activation.RELU6, 10, 0.1);
 * }</pre>
 *
 * @param name          name prefix of decoded networks
 * @param resolution    input height and width in pixels
 * @param inputChannels image channels
 * @param stemChannels  channels of the 3×3 stem conv
 * @param stemStride    stride of the stem conv (1 or 2)
 * @param blocks        the searchable blocks, in order (at least one)
 * @param headChannels  channels of the 1×1 head conv before pooling, or 0 for no head conv
 * @param activation    activation of stem, head and the fixed parts of blocks
 * @param numClasses    classifier outputs (at least 2)
 * @param dropout       classifier dropout in [0, 1)
 */
public record Skeleton(
        String name,
        int resolution,
        int inputChannels,
        int stemChannels,
        int stemStride,
        List<Block> blocks,
        int headChannels,
        Activation activation,
        int numClasses,
        double dropout) {

    /**
     * One block of the skeleton.
     *
     * @param filters output channels (before a filter multiplier)
     * @param layers  number of layers (before a layer delta), at least 1
     * @param stride  stride of the block's first layer (1 or 2); the other layers have stride 1
     * @param expand  expansion ratio of the reference network's inverted residuals (at least 1)
     */
    public record Block(int filters, int layers, int stride, int expand) {
        /** Checks the components (a bad one is an error naming it). */
        public Block {
            if (filters < 1) {
                throw new SpecException("skeleton block filters " + filters + " must be >= 1");
            }
            if (layers < 1) {
                throw new SpecException("skeleton block layers " + layers + " must be >= 1");
            }
            if (stride != 1 && stride != 2) {
                throw new SpecException("skeleton block stride " + stride + " not in [1, 2]");
            }
            if (expand < 1) {
                throw new SpecException("skeleton block expand " + expand + " must be >= 1");
            }
        }
    }

    /** Checks the components (a bad one is an error naming it) and copies the blocks. */
    public Skeleton {
        if (name == null || name.isBlank()) {
            throw new SpecException("skeleton name is missing");
        }
        if (resolution < 8) {
            throw new SpecException("skeleton resolution " + resolution + " must be >= 8");
        }
        if (inputChannels < 1) {
            throw new SpecException("skeleton inputChannels " + inputChannels + " must be >= 1");
        }
        if (stemChannels < 1) {
            throw new SpecException("skeleton stemChannels " + stemChannels + " must be >= 1");
        }
        if (stemStride != 1 && stemStride != 2) {
            throw new SpecException("skeleton stemStride " + stemStride + " not in [1, 2]");
        }
        if (blocks == null || blocks.isEmpty()) {
            throw new SpecException("skeleton blocks must be a non-empty list");
        }
        for (int i = 0; i < blocks.size(); i++) {
            if (blocks.get(i) == null) {
                throw new SpecException("skeleton blocks[" + i + "] is missing");
            }
        }
        blocks = List.copyOf(blocks);
        if (headChannels < 0) {
            throw new SpecException("skeleton headChannels " + headChannels + " must be >= 0 (0 = no head conv)");
        }
        if (activation == null) {
            throw new SpecException("skeleton activation is missing");
        }
        if (numClasses < 2) {
            throw new SpecException("skeleton numClasses " + numClasses + " must be >= 2");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new SpecException("skeleton dropout " + dropout + " must be in [0, 1)");
        }
    }

    /** MobileNetV2's (t, c, n, s) rows as skeleton blocks. */
    private static final int[][] V2 = {
        {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}
    };

    /**
     * The MobileNetV2 skeleton MnasNet searches on: stem 3×3 conv 32 stride 2, seven blocks with filters
     * 16/24/32/64/96/160/320, layers 1/2/3/4/3/3/1 and strides 1/2/2/2/1/2/1, head 1×1 conv 1280, ReLU,
     * dropout 0.2.
     */
    public static Skeleton mobileNetV2(int resolution, int numClasses) {
        return fromV2("mnas", resolution, 2, 2, numClasses);
    }

    /**
     * The small-input (28–32 px) variant: as {@link #mobileNetV2} but the stem and the second block's first
     * layer have stride 1, so the network downsamples by 8 (28 px → 4×4 before pooling), the same layout as
     * {@code MobileNets.mobileNetV2Small}.
     */
    public static Skeleton mobileNetV2Small(int resolution, int numClasses) {
        return fromV2("mnas_small", resolution, 1, 1, numClasses);
    }

    /**
     * The MobileNetV2 skeleton with the strides of the stem and of the second block's first layer chosen:
     * {@code (2, 2)} is {@link #mobileNetV2} (downsampling by 32), {@code (1, 1)} is {@link #mobileNetV2Small}
     * (by 8), {@code (2, 1)} downsamples by 16 (28 px → 2×2 before pooling) at about a quarter of the small
     * layout's cost. Named {@code mnas_os<factor>} unless it is one of the two named layouts.
     */
    public static Skeleton mobileNetV2(int resolution, int numClasses, int stemStride, int block2Stride) {
        if (stemStride != 1 && stemStride != 2) {
            throw new SpecException("skeleton stemStride " + stemStride + " not in [1, 2]");
        }
        if (block2Stride != 1 && block2Stride != 2) {
            throw new SpecException("skeleton block2Stride " + block2Stride + " not in [1, 2]");
        }
        String name = stemStride == 2 && block2Stride == 2
                ? "mnas"
                : stemStride == 1 && block2Stride == 1 ? "mnas_small" : "mnas_os" + 8 * stemStride * block2Stride;
        return fromV2(name, resolution, stemStride, block2Stride, numClasses);
    }

    private static Skeleton fromV2(String name, int resolution, int stemStride, int block2Stride, int numClasses) {
        List<Block> bs = new ArrayList<>();
        for (int i = 0; i < V2.length; i++) {
            bs.add(new Block(V2[i][1], V2[i][2], i == 1 ? block2Stride : V2[i][3], V2[i][0]));
        }
        return new Skeleton(name, resolution, 3, 32, stemStride, bs, 1280, Activation.RELU, numClasses, 0.2);
    }

    /**
     * Every filter count (stem and blocks) scaled by {@code width} and rounded with make_divisible(8); the
     * head stays {@code max(head, head·width)} rounded the same way (MobileNetV2's rule).
     */
    public Skeleton withWidth(double width) {
        if (!Double.isFinite(width) || width <= 0 || width > 64) {
            throw new SpecException("skeleton width " + width + ": expected a finite number in (0, 64]");
        }
        List<Block> bs = new ArrayList<>();
        for (Block b : blocks) {
            bs.add(new Block(MakeDivisible.of8(b.filters() * width), b.layers(), b.stride(), b.expand()));
        }
        int head = headChannels == 0 ? 0 : MakeDivisible.of8(headChannels * Math.max(1.0, width));
        return new Skeleton(
                name,
                resolution,
                inputChannels,
                MakeDivisible.of8(stemChannels * width),
                stemStride,
                bs,
                head,
                activation,
                numClasses,
                dropout);
    }

    /** This skeleton under another name. */
    public Skeleton withName(String n) {
        return new Skeleton(
                n,
                resolution,
                inputChannels,
                stemChannels,
                stemStride,
                blocks,
                headChannels,
                activation,
                numClasses,
                dropout);
    }

    /** This skeleton at input resolution {@code r}. */
    public Skeleton withResolution(int r) {
        return new Skeleton(
                name,
                r,
                inputChannels,
                stemChannels,
                stemStride,
                blocks,
                headChannels,
                activation,
                numClasses,
                dropout);
    }

    /** This skeleton taking {@code c} input channels. */
    public Skeleton withInputChannels(int c) {
        return new Skeleton(
                name, resolution, c, stemChannels, stemStride, blocks, headChannels, activation, numClasses, dropout);
    }

    /** This skeleton with {@code h} channels in the head convolution. */
    public Skeleton withHeadChannels(int h) {
        return new Skeleton(
                name, resolution, inputChannels, stemChannels, stemStride, blocks, h, activation, numClasses, dropout);
    }

    /** This skeleton with blocks {@code b}. */
    public Skeleton withBlocks(List<Block> b) {
        return new Skeleton(
                name,
                resolution,
                inputChannels,
                stemChannels,
                stemStride,
                b,
                headChannels,
                activation,
                numClasses,
                dropout);
    }

    /** This skeleton with activation {@code a} in every block. */
    public Skeleton withActivation(Activation a) {
        return new Skeleton(
                name,
                resolution,
                inputChannels,
                stemChannels,
                stemStride,
                blocks,
                headChannels,
                a,
                numClasses,
                dropout);
    }
}
