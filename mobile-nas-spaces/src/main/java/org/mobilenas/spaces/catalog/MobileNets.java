package org.mobilenas.spaces.catalog;

import java.util.ArrayList;
import java.util.List;
import org.mobilenas.core.spec.Activation;
import org.mobilenas.core.spec.BlockSpec;
import org.mobilenas.core.spec.ClassifierSpec;
import org.mobilenas.core.spec.ConvBlock;
import org.mobilenas.core.spec.GlobalPoolBlock;
import org.mobilenas.core.spec.MBConvBlock;
import org.mobilenas.core.spec.MakeDivisible;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.spec.SeparableConvBlock;
import org.mobilenas.core.spec.Skip;
import org.mobilenas.core.spec.SpecException;
import org.mobilenas.core.spec.SqueezeExcite;
import org.mobilenas.core.spec.StageSpec;

/**
 * MobileNet V1, V2 and V3 as {@link NetworkSpec}s, following the reference implementations (TF-slim for V1,
 * torchvision for V2 and V3), plus small-input variants for 28–32 px data.
 *
 * <pre>{@code
 * NetworkSpec v1 = MobileNets.mobileNetV1(0.5, 160, 1000);     // MobileNet-0.5-160
 * NetworkSpec v2 = MobileNets.mobileNetV2(1.0, 224, 1000);     // torchvision mobilenet_v2
 * NetworkSpec v3 = MobileNets.mobileNetV3Large(1.0, 224, 1000);
 * NetworkSpec cifar = MobileNets.mobileNetV2Small(0.5, 32, 10);
 * }</pre>
 */
public final class MobileNets {
    private MobileNets() {}

    /** (out, stride) of the 13 depthwise-separable blocks of MobileNetV1. */
    private static final int[][] V1 = {
        {64, 1}, {128, 2}, {128, 1}, {256, 2}, {256, 1}, {512, 2}, {512, 1}, {512, 1}, {512, 1}, {512, 1}, {512, 1},
        {1024, 2}, {1024, 1}
    };

    /** (t, c, n, s) rows of MobileNetV2. */
    private static final int[][] V2 = {
        {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}
    };

    /** MobileNetV3-Large rows: kernel, expanded, out, SE (1/0), hard-swish (1/0), stride. */
    private static final int[][] V3_LARGE = {
        {3, 16, 16, 0, 0, 1}, {3, 64, 24, 0, 0, 2}, {3, 72, 24, 0, 0, 1}, {5, 72, 40, 1, 0, 2},
        {5, 120, 40, 1, 0, 1}, {5, 120, 40, 1, 0, 1}, {3, 240, 80, 0, 1, 2}, {3, 200, 80, 0, 1, 1},
        {3, 184, 80, 0, 1, 1}, {3, 184, 80, 0, 1, 1}, {3, 480, 112, 1, 1, 1}, {3, 672, 112, 1, 1, 1},
        {5, 672, 160, 1, 1, 2}, {5, 960, 160, 1, 1, 1}, {5, 960, 160, 1, 1, 1}
    };

    /** MobileNetV3-Small rows, same columns as {@link #V3_LARGE}. */
    private static final int[][] V3_SMALL = {
        {3, 16, 16, 1, 0, 2}, {3, 72, 24, 0, 0, 2}, {3, 88, 24, 0, 0, 1}, {5, 96, 40, 1, 1, 2},
        {5, 240, 40, 1, 1, 1}, {5, 240, 40, 1, 1, 1}, {5, 120, 48, 1, 1, 1}, {5, 144, 48, 1, 1, 1},
        {5, 288, 96, 1, 1, 2}, {5, 576, 96, 1, 1, 1}, {5, 576, 96, 1, 1, 1}
    };

    // ---------------------------------------------------------------- MobileNet V1

    /**
     * MobileNetV1 with width multiplier {@code width} (α) at {@code resolution} (ρ·224), TF-slim's layout:
     * 3×3 stem conv (32·α, stride 2), 13 depthwise-separable blocks with BN and ReLU after both convs,
     * global average pool, dropout 0.001 and a fully connected classifier with bias. Channels are
     * {@code max(8, floor(c·α))}.
     *
     * <p>Named {@code mobilenet_v1_<α>_<resolution>}, e.g. {@code mobilenet_v1_1.0_224}.
     */
    public static NetworkSpec mobileNetV1(double width, int resolution, int numClasses) {
        return mobileNetV1(width, resolution, numClasses, false);
    }

    /**
     * MobileNetV1 for 28–32 px inputs: as {@link #mobileNetV1} but the stem conv and the first stride-2
     * block (the 128-channel one) use stride 1, so the network downsamples by 8 instead of 32
     * (32 px → 4×4 before pooling). Named {@code mobilenet_v1_<α>_small}.
     */
    public static NetworkSpec mobileNetV1Small(double width, int resolution, int numClasses) {
        return mobileNetV1(width, resolution, numClasses, true);
    }

    private static NetworkSpec mobileNetV1(double width, int resolution, int numClasses, boolean small) {
        Widths.checkPositive("width", width);
        int stemStride = small ? 1 : 2;
        List<BlockSpec> blocks = new ArrayList<>();
        for (int i = 0; i < V1.length; i++) {
            int stride = small && i == 1 ? 1 : V1[i][1];
            blocks.add(new SeparableConvBlock(slimDepth(V1[i][0], width), 3, stride, Activation.RELU, Activation.RELU));
        }
        String name = "mobilenet_v1_" + Widths.format(width) + "_" + (small ? "small" : String.valueOf(resolution));
        return new NetworkSpec(
                name,
                resolution,
                3,
                List.of(ConvBlock.of(slimDepth(32, width), 3, stemStride, Activation.RELU)),
                List.of(new StageSpec("separable", blocks)),
                List.of(GlobalPoolBlock.avg()),
                ClassifierSpec.of(numClasses, 0.001));
    }

    /** TF-slim's depth rule for MobileNetV1: {@code max(8, int(c * α))}. */
    private static int slimDepth(int channels, double width) {
        return Math.max(8, (int) (channels * width));
    }

    // ---------------------------------------------------------------- MobileNet V2

    /**
     * MobileNetV2 with width multiplier {@code width} at {@code resolution}, torchvision's layout: channels
     * rounded with make_divisible(8), head 1280 (kept at 1280 when width &lt; 1), dropout 0.2.
     * Named {@code mobilenet_v2_<width>}, e.g. {@code mobilenet_v2_1.0}.
     */
    public static NetworkSpec mobileNetV2(double width, int resolution, int numClasses) {
        return mobileNetV2(width, resolution, numClasses, false);
    }

    /**
     * MobileNetV2 for 28–32 px inputs: as {@link #mobileNetV2} but the stem conv and the first block of
     * the 24-channel stage use stride 1, so the network downsamples by 8 instead of 32 (32 px → 4×4 before
     * pooling); the stride-2 blocks of the 32-, 64- and 160-channel stages are unchanged. The 24-channel
     * stage keeps its layout (no residual on its first block). Named {@code mobilenet_v2_<width>_small}.
     */
    public static NetworkSpec mobileNetV2Small(double width, int resolution, int numClasses) {
        return mobileNetV2(width, resolution, numClasses, true);
    }

    /**
     * MobileNetV2 with the strides of the stem conv and of the 24-channel stage's first block chosen (each 1 or 2):
     * {@code (2, 2)} is {@link #mobileNetV2(double, int, int)}, {@code (1, 1)} is {@link #mobileNetV2Small};
     * {@code (2, 1)} downsamples by 16 (28 px → 2×2 before pooling), the layout of
     * {@code Skeleton.mobileNetV2(resolution, classes, 2, 1)}. Named {@code mobilenet_v2_<width>_os16} for it.
     */
    public static NetworkSpec mobileNetV2(
            double width, int resolution, int numClasses, int stemStride, int stage2Stride) {
        if (stemStride != 1 && stemStride != 2) {
            throw new SpecException("mobileNetV2 stemStride " + stemStride + ": expected 1 or 2");
        }
        if (stage2Stride != 1 && stage2Stride != 2) {
            throw new SpecException("mobileNetV2 stage2Stride " + stage2Stride + ": expected 1 or 2");
        }
        return v2Layout(width, resolution, numClasses, stemStride, stage2Stride);
    }

    private static NetworkSpec mobileNetV2(double width, int resolution, int numClasses, boolean small) {
        return v2Layout(width, resolution, numClasses, small ? 1 : 2, small ? 1 : 2);
    }

    private static NetworkSpec v2Layout(
            double width, int resolution, int numClasses, int stemStride, int stage2Stride) {
        Widths.checkPositive("width", width);
        int stem = MakeDivisible.of8(32 * width);
        int in = stem;
        List<StageSpec> stages = new ArrayList<>();
        for (int i = 0; i < V2.length; i++) {
            int t = V2[i][0];
            int c = MakeDivisible.of8(V2[i][1] * width);
            List<BlockSpec> blocks = new ArrayList<>();
            for (int k = 0; k < V2[i][2]; k++) {
                int s = k == 0 ? (i == 1 ? stage2Stride : V2[i][3]) : 1;
                Skip skip = s == 1 && in == c ? Skip.IDENTITY : Skip.NONE;
                blocks.add(MBConvBlock.of(c, 3, s, t, Activation.RELU6).withSkip(skip));
                in = c;
            }
            stages.add(new StageSpec("stage" + (i + 1), blocks));
        }
        int last = MakeDivisible.of8(1280 * Math.max(1.0, width));
        String suffix = stemStride == 2 && stage2Stride == 2
                ? ""
                : stemStride == 1 && stage2Stride == 1 ? "_small" : "_os" + 8 * stemStride * stage2Stride;
        String name = "mobilenet_v2_" + Widths.format(width) + suffix;
        return new NetworkSpec(
                name,
                resolution,
                3,
                List.of(ConvBlock.of(stem, 3, stemStride, Activation.RELU6)),
                stages,
                List.of(ConvBlock.of(last, 1, 1, Activation.RELU6), GlobalPoolBlock.avg()),
                ClassifierSpec.of(numClasses, 0.2));
    }

    // ---------------------------------------------------------------- MobileNet V3

    /**
     * MobileNetV3-Large, torchvision's layout: every channel count (stem 16, expanded, output, the 1280
     * penultimate layer) is {@code make_divisible(c·width, 8)}; the last conv is 6× the last block's
     * output; SE squeezes to make_divisible(expanded/4, 8) with a hard-sigmoid gate; the head is
     * 1×1 conv + BN + hard-swish, global pool, then a 1×1 conv with bias and no BN (the linear layer)
     * + hard-swish; classifier dropout 0.2. Named {@code mobilenet_v3_large} (width 1) or
     * {@code mobilenet_v3_large_<width>}.
     */
    public static NetworkSpec mobileNetV3Large(double width, int resolution, int numClasses) {
        return mobileNetV3("mobilenet_v3_large", V3_LARGE, 1280, width, resolution, numClasses);
    }

    /**
     * MobileNetV3-Large for 28–32 px inputs: as {@link #mobileNetV3Large} but the first stride-2 block (the first of
     * the 24-channel stage) has stride 1, so the network downsamples by 16 (28 px → 2×2 before pooling), the layout
     * of the small-input Once-for-All space. Named {@code mobilenet_v3_large_<width>_os16}.
     */
    public static NetworkSpec mobileNetV3LargeSmall(double width, int resolution, int numClasses) {
        int[][] rows = new int[V3_LARGE.length][];
        boolean first = true;
        for (int i = 0; i < rows.length; i++) {
            rows[i] = V3_LARGE[i].clone();
            if (first && rows[i][5] == 2) {
                rows[i][5] = 1;
                first = false;
            }
        }
        NetworkSpec n = mobileNetV3("mobilenet_v3_large", rows, 1280, width, resolution, numClasses);
        return n.withName("mobilenet_v3_large_" + Widths.format(width) + "_os16");
    }

    /** MobileNetV3-Small, same conventions as {@link #mobileNetV3Large} with a 1024-wide penultimate layer. */
    public static NetworkSpec mobileNetV3Small(double width, int resolution, int numClasses) {
        return mobileNetV3("mobilenet_v3_small", V3_SMALL, 1024, width, resolution, numClasses);
    }

    private static NetworkSpec mobileNetV3(
            String base, int[][] rows, int lastChannels, double width, int resolution, int numClasses) {
        Widths.checkPositive("width", width);
        int stem = MakeDivisible.of8(16 * width);
        int in = stem;
        List<BlockSpec> blocks = new ArrayList<>();
        for (int[] r : rows) {
            int exp = MakeDivisible.of8(r[1] * width);
            int out = MakeDivisible.of8(r[2] * width);
            Activation act = r[4] == 1 ? Activation.HSWISH : Activation.RELU;
            Skip skip = r[5] == 1 && in == out ? Skip.IDENTITY : Skip.NONE;
            SqueezeExcite se = r[3] == 1 ? SqueezeExcite.mobileNetV3() : null;
            blocks.add(new MBConvBlock(out, r[0], r[5], (double) exp / in, exp, se, act, skip));
            in = out;
        }
        List<StageSpec> stages = splitAtStrides(blocks);
        int lastConv = 6 * in;
        int penultimate = MakeDivisible.of8(lastChannels * width);
        String name = width == 1.0 ? base : base + "_" + Widths.format(width);
        return new NetworkSpec(
                name,
                resolution,
                3,
                List.of(ConvBlock.of(stem, 3, 2, Activation.HSWISH)),
                stages,
                List.of(
                        ConvBlock.of(lastConv, 1, 1, Activation.HSWISH),
                        GlobalPoolBlock.avg(),
                        new ConvBlock(penultimate, 1, 1, 1, Activation.HSWISH, false, true)),
                ClassifierSpec.of(numClasses, 0.2));
    }

    /** Groups a flat block list into stages that each start at a stride-2 block (the first stage may not). */
    static List<StageSpec> splitAtStrides(List<BlockSpec> blocks) {
        List<StageSpec> stages = new ArrayList<>();
        List<BlockSpec> current = new ArrayList<>();
        for (BlockSpec b : blocks) {
            if (b.stride() == 2 && !current.isEmpty()) {
                stages.add(new StageSpec("stage" + (stages.size() + 1), current));
                current = new ArrayList<>();
            }
            current.add(b);
        }
        stages.add(new StageSpec("stage" + (stages.size() + 1), current));
        return stages;
    }
}
