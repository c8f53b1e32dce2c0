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
import org.mobilenas.core.spec.SqueezeExcite;
import org.mobilenas.core.spec.StageSpec;

/**
 * The two MnasNet models found by the search: A1 (with squeeze-excite; the TensorFlow reference and timm's
 * {@code mnasnet_a1}) and B1 (no squeeze-excite; torchvision's {@code mnasnet0_5 .. mnasnet1_3}).
 *
 * <pre>{@code
 * NetworkSpec a1 = MnasNets.mnasNetA1(1.0, 224, 1000);
 * NetworkSpec b1 = MnasNets.mnasNetB1(0.75, 224, 1000);   // torchvision mnasnet0_75
 * }</pre>
 */
public final class MnasNets {
    private MnasNets() {}

    /** A1 stages after the separable first block: repeats, kernel, stride, expand, out, SE (1/0). */
    private static final int[][] A1 = {
        {2, 3, 2, 6, 24, 0},
        {3, 5, 2, 3, 40, 1},
        {4, 3, 2, 6, 80, 0},
        {2, 3, 1, 6, 112, 1},
        {3, 5, 2, 6, 160, 1},
        {1, 3, 1, 6, 320, 0}
    };

    /** B1 stages after the separable first block: repeats, kernel, stride, expand, out. */
    private static final int[][] B1 = {
        {3, 3, 2, 3, 24}, {3, 5, 2, 3, 40}, {3, 5, 2, 6, 80}, {2, 3, 1, 6, 96}, {4, 5, 2, 6, 192}, {1, 3, 1, 6, 320}
    };

    /**
     * MnasNet-A1: stem 3×3 conv 32 (stride 2), a separable 3×3 block to 16 with a linear pointwise conv and
     * no skip, six MBConv stages (SE with ratio 0.25 of the block input, ReLU, sigmoid gate, in the 40-, 112-
     * and 160-channel stages), head 1×1 conv 1280 + BN + ReLU, global pool, dropout 0.2. Channels (not the
     * head) are {@code make_divisible(c·width, 8)}. Named {@code mnasnet_a1} (width 1) or
     * {@code mnasnet_a1_<width>}.
     */
    public static NetworkSpec mnasNetA1(double width, int resolution, int numClasses) {
        Widths.checkPositive("width", width);
        int stem = MakeDivisible.of8(32 * width);
        List<StageSpec> stages = new ArrayList<>();
        stages.add(StageSpec.of(
                "stage1",
                new SeparableConvBlock(MakeDivisible.of8(16 * width), 3, 1, Activation.RELU, Activation.NONE)));
        for (int[] r : A1) {
            MBConvBlock first = MBConvBlock.of(MakeDivisible.of8(r[4] * width), r[1], r[2], r[3], Activation.RELU);
            if (r[5] == 1) {
                first = first.withSe(SqueezeExcite.mnasNet(0.25));
            }
            stages.add(StageSpec.repeat("stage" + (stages.size() + 1), first, r[0]));
        }
        String name = width == 1.0 ? "mnasnet_a1" : "mnasnet_a1_" + Widths.format(width);
        return new NetworkSpec(
                name,
                resolution,
                3,
                List.of(ConvBlock.of(stem, 3, 2, Activation.RELU)),
                stages,
                List.of(ConvBlock.of(1280, 1, 1, Activation.RELU), GlobalPoolBlock.avg()),
                ClassifierSpec.of(numClasses, 0.2));
    }

    /**
     * MnasNet-B1 as torchvision builds it (model version 2): depths 32, 16, 24, 40, 80, 96, 192, 320 scaled
     * by {@code width} with {@code _round_to_multiple_of(d·width, 8)} (round to the nearest multiple of 8,
     * bumped up one multiple when that falls below 90 % of the value; stem and first block scale too), a
     * separable 3×3 first block with a linear pointwise conv and no skip, six MBConv stages with ReLU, a
     * fixed 1280-wide 1×1 head conv + BN + ReLU, global pool and dropout 0.2. Named
     * {@code mnasnet_b1_<width>}.
     */
    public static NetworkSpec mnasNetB1(double width, int resolution, int numClasses) {
        Widths.checkPositive("width", width);
        List<StageSpec> stages = new ArrayList<>();
        stages.add(StageSpec.of(
                "stage1",
                new SeparableConvBlock(roundToMultipleOf8(16 * width), 3, 1, Activation.RELU, Activation.NONE)));
        for (int[] r : B1) {
            BlockSpec first = MBConvBlock.of(roundToMultipleOf8(r[4] * width), r[1], r[2], r[3], Activation.RELU);
            stages.add(StageSpec.repeat("stage" + (stages.size() + 1), first, r[0]));
        }
        return new NetworkSpec(
                "mnasnet_b1_" + Widths.format(width),
                resolution,
                3,
                List.of(ConvBlock.of(roundToMultipleOf8(32 * width), 3, 2, Activation.RELU)),
                stages,
                List.of(ConvBlock.of(1280, 1, 1, Activation.RELU), GlobalPoolBlock.avg()),
                ClassifierSpec.of(numClasses, 0.2));
    }

    /** torchvision's {@code _round_to_multiple_of(value, 8, 0.9)}; the same rule as make_divisible(8). */
    static int roundToMultipleOf8(double value) {
        return MakeDivisible.of(value, 8);
    }
}
