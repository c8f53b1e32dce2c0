package org.mobilenas.spaces.catalog;

import java.util.ArrayList;
import java.util.List;
import org.mobilenas.core.graph.Op;
import org.mobilenas.core.spec.Activation;
import org.mobilenas.core.spec.BlockSpec;
import org.mobilenas.core.spec.ClassifierSpec;
import org.mobilenas.core.spec.ConvBlock;
import org.mobilenas.core.spec.GlobalPoolBlock;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.spec.PoolBlock;
import org.mobilenas.core.spec.ShuffleV1Block;
import org.mobilenas.core.spec.ShuffleV2Block;
import org.mobilenas.core.spec.SpecException;
import org.mobilenas.core.spec.StageSpec;

/**
 * ShuffleNet V1 (the authors' reference implementation, Megvii ShuffleNet-Series) and ShuffleNet V2
 * (torchvision) as {@link NetworkSpec}s.
 *
 * <pre>{@code
 * NetworkSpec v1 = ShuffleNets.shuffleNetV1(3, 1.0, 224, 1000);   // ShuffleNet 1x (g = 3)
 * NetworkSpec v2 = ShuffleNets.shuffleNetV2(1.0, 224, 1000);      // torchvision shufflenet_v2_x1_0
 * NetworkSpec cifar = ShuffleNets.shuffleNetV2Small(1.0, 32, 10);
 * }</pre>
 */
public final class ShuffleNets {
    private ShuffleNets() {}

    /** Group counts of ShuffleNet V1 (paper, Table 1). */
    public static final List<Integer> V1_GROUPS = List.of(1, 2, 3, 4, 8);
    /** Scales of ShuffleNet V1 and V2. */
    public static final List<Double> SCALES = List.of(0.5, 1.0, 1.5, 2.0);

    private static final int[] REPEATS = {4, 8, 4};

    // ---------------------------------------------------------------- ShuffleNet V1

    /** Stage-2 output channels of ShuffleNet V1 1x per group count (paper, Table 1). */
    private static int v1BaseChannels(int groups) {
        return switch (groups) {
            case 1 -> 144;
            case 2 -> 200;
            case 3 -> 240;
            case 4 -> 272;
            case 8 -> 384;
            default -> throw new SpecException("groups " + groups + " not in " + V1_GROUPS);
        };
    }

    /**
     * ShuffleNet V1 with {@code groups} ∈ {1, 2, 3, 4, 8} and {@code scale} ∈ {0.5, 1.0, 1.5, 2.0}, following
     * the reference implementation: 3×3 stem conv (stride 2) + BN + ReLU, 3×3 max pool (stride 2), stages of
     * 4/8/4 units with outputs c, 2c, 4c, bottleneck = out/4, the first 1×1 conv of stage 2 not grouped,
     * global average pool and a classifier without bias or dropout.
     *
     * <p>Channels: c is the paper's 1x stage-2 width times {@code scale}, rounded to a multiple of 4·g (so that
     * the bottleneck splits into g groups); the stem has 12/24/24/48 channels for 0.5/1.0/1.5/2.0, rounded up to
     * a multiple of g. For g = 3 and g = 8 this reproduces the reference implementation's tables exactly
     * (e.g. g = 3: 0.5x → 12, 120/240/480; g = 8: 0.5x → 16, 192/384/768). Named
     * {@code shufflenet_v1_g<groups>_<scale>}.
     */
    public static NetworkSpec shuffleNetV1(int groups, double scale, int resolution, int numClasses) {
        int base = v1BaseChannels(groups);
        Widths.checkOneOf("scale", scale, 0.5, 1.0, 1.5, 2.0);
        int unit = 4 * groups;
        int c2 = (int) Math.round(base * scale / unit) * unit;
        int stemBase = scale == 0.5 ? 12 : scale == 2.0 ? 48 : 24;
        int stem = (stemBase + groups - 1) / groups * groups;
        List<StageSpec> stages = new ArrayList<>();
        for (int s = 0; s < REPEATS.length; s++) {
            int out = c2 << s;
            List<BlockSpec> blocks = new ArrayList<>();
            for (int i = 0; i < REPEATS[s]; i++) {
                boolean first = i == 0;
                blocks.add(new ShuffleV1Block(out, first ? 2 : 1, groups, !(s == 0 && first), 0, 3));
            }
            stages.add(new StageSpec("stage" + (s + 2), blocks));
        }
        return new NetworkSpec(
                "shufflenet_v1_g" + groups + "_" + Widths.format(scale),
                resolution,
                3,
                List.of(ConvBlock.of(stem, 3, 2, Activation.RELU), maxPool()),
                stages,
                List.of(GlobalPoolBlock.avg()),
                new ClassifierSpec(numClasses, 0.0, false));
    }

    // ---------------------------------------------------------------- ShuffleNet V2

    /**
     * ShuffleNet V2 at {@code scale} ∈ {0.5, 1.0, 1.5, 2.0}, torchvision's layout: 3×3 stem conv 24 (stride 2)
     * + BN + ReLU, 3×3 max pool (stride 2), stages of 4/8/4 units (outputs 48/96/192, 116/232/464,
     * 176/352/704 or 244/488/976), 1×1 conv to 1024 (2048 at 2.0x) + BN + ReLU, global average pool and a
     * classifier with bias and no dropout. Named {@code shufflenet_v2_<scale>}.
     */
    public static NetworkSpec shuffleNetV2(double scale, int resolution, int numClasses) {
        return shuffleNetV2(scale, resolution, numClasses, false);
    }

    /**
     * ShuffleNet V2 for 28–32 px inputs: as {@link #shuffleNetV2} but the stem conv uses stride 1 and the
     * max pool is left out, so the network downsamples by 8 instead of 32 (32 px → 4×4 before pooling);
     * the three stride-2 stage entries are unchanged. Named {@code shufflenet_v2_<scale>_small}.
     */
    public static NetworkSpec shuffleNetV2Small(double scale, int resolution, int numClasses) {
        return shuffleNetV2(scale, resolution, numClasses, true);
    }

    private static NetworkSpec shuffleNetV2(double scale, int resolution, int numClasses, boolean small) {
        Widths.checkOneOf("scale", scale, 0.5, 1.0, 1.5, 2.0);
        int c2 = scale == 0.5 ? 48 : scale == 1.0 ? 116 : scale == 1.5 ? 176 : 244;
        int last = scale == 2.0 ? 2048 : 1024;
        List<StageSpec> stages = new ArrayList<>();
        for (int s = 0; s < REPEATS.length; s++) {
            stages.add(StageSpec.repeat("stage" + (s + 2), new ShuffleV2Block(c2 << s, 2, 3), REPEATS[s]));
        }
        List<BlockSpec> stem = small
                ? List.of(ConvBlock.of(24, 3, 1, Activation.RELU))
                : List.of(ConvBlock.of(24, 3, 2, Activation.RELU), maxPool());
        return new NetworkSpec(
                "shufflenet_v2_" + Widths.format(scale) + (small ? "_small" : ""),
                resolution,
                3,
                stem,
                stages,
                List.of(ConvBlock.of(last, 1, 1, Activation.RELU), GlobalPoolBlock.avg()),
                new ClassifierSpec(numClasses, 0.0, true));
    }

    private static PoolBlock maxPool() {
        return new PoolBlock(Op.PoolType.MAX, 3, 2, 1);
    }
}
