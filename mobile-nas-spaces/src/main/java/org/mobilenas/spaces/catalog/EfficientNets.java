package org.mobilenas.spaces.catalog;

import java.util.ArrayList;
import java.util.List;
import org.mobilenas.core.spec.Activation;
import org.mobilenas.core.spec.ClassifierSpec;
import org.mobilenas.core.spec.ConvBlock;
import org.mobilenas.core.spec.GlobalPoolBlock;
import org.mobilenas.core.spec.MBConvBlock;
import org.mobilenas.core.spec.MakeDivisible;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.spec.Scaling;
import org.mobilenas.core.spec.SpecException;
import org.mobilenas.core.spec.SqueezeExcite;
import org.mobilenas.core.spec.StageSpec;

/**
 * EfficientNet B0–B7 (torchvision's layout) and TinyNet A–E (timm's {@code tinynet_a .. tinynet_e}), both
 * built on the EfficientNet-B0 skeleton: MBConv blocks with swish and squeeze-excite (ratio 0.25 of the block
 * input, swish, sigmoid gate).
 *
 * <pre>{@code
 * NetworkSpec b0 = EfficientNets.efficientNet(0, 1000);          // 224 px
 * NetworkSpec b3 = EfficientNets.efficientNet(3, 300, 1000);
 * NetworkSpec e  = EfficientNets.tinyNet('e', 1000);             // 106 px
 * NetworkSpec custom = EfficientNets.scaled("b0_half", 0.5, 0.8, 112, 0.2,
 *         EfficientNets.DepthRule.ROUND, false, 1280, 10);
 * }</pre>
 */
public final class EfficientNets {
    private EfficientNets() {}

    /** B0 stages: repeats, kernel, stride, expand, out. */
    private static final int[][] B0 = {
        {1, 3, 1, 1, 16},
        {2, 3, 2, 6, 24},
        {2, 5, 2, 6, 40},
        {3, 3, 2, 6, 80},
        {3, 5, 1, 6, 112},
        {4, 5, 2, 6, 192},
        {1, 3, 1, 6, 320}
    };

    /** EfficientNet B0..B7: width, depth, resolution (paper), dropout (torchvision). */
    private static final double[][] B = {
        {1.0, 1.0, 224, 0.2}, {1.0, 1.1, 240, 0.2}, {1.1, 1.2, 260, 0.3}, {1.2, 1.4, 300, 0.3},
        {1.4, 1.8, 380, 0.4}, {1.6, 2.2, 456, 0.4}, {1.8, 2.6, 528, 0.5}, {2.0, 3.1, 600, 0.5}
    };

    /** TinyNet A..E: resolution factor r, width w, depth d (paper, Table 4; timm's tinynet_a..e). */
    private static final double[][] TINY = {
        {0.86, 1.0, 1.2}, {0.84, 0.75, 1.1}, {0.825, 0.54, 0.85}, {0.68, 0.54, 0.695}, {0.475, 0.51, 0.60}
    };

    /** How a stage's scaled depth {@code n·d} becomes an integer. */
    public enum DepthRule {
        /** {@code ceil(n·d)} (EfficientNet). */
        CEIL,
        /** {@code max(1, round-half-even(n·d))} (timm's {@code depth_trunc='round'}, TinyNet). */
        ROUND
    }

    /** EfficientNet-B{@code variant} at the paper's resolution (224, 240, 260, 300, 380, 456, 528, 600). */
    public static NetworkSpec efficientNet(int variant, int numClasses) {
        return efficientNet(variant, (int) row(variant)[2], numClasses);
    }

    /**
     * EfficientNet-B{@code variant} (0..7) at {@code resolution}, torchvision's layout: channels (stem
     * included) {@code make_divisible(c·width, 8)}, stage depths {@code ceil(n·depth)}, head 1×1 conv to
     * 4× the last stage's channels (1280 for B0), dropout 0.2/0.2/0.3/0.3/0.4/0.4/0.5/0.5. Named
     * {@code efficientnet_b<variant>}.
     */
    public static NetworkSpec efficientNet(int variant, int resolution, int numClasses) {
        double[] r = row(variant);
        int head = 4 * MakeDivisible.of8(320 * r[0]);
        return scaled("efficientnet_b" + variant, r[0], r[1], resolution, r[3], DepthRule.CEIL, true, head, numClasses);
    }

    private static double[] row(int variant) {
        if (variant < 0 || variant >= B.length) {
            throw new SpecException("efficientnet variant " + variant + " not in [0, 7]");
        }
        return B[variant];
    }

    /** TinyNet-{@code variant} ('a'..'e') at its own resolution {@code int(224·r)}: 192, 188, 184, 152, 106. */
    public static NetworkSpec tinyNet(char variant, int numClasses) {
        double[] t = tinyRow(variant);
        return tinyNet(variant, (int) (224 * t[0]), numClasses);
    }

    /**
     * TinyNet-{@code variant} ('a'..'e') at {@code resolution}, as timm's {@code _gen_tinynet} builds it:
     * EfficientNet-B0 with width w (channels {@code make_divisible(c·w, 8)}, stem fixed at 32, head
     * {@code max(1280, make_divisible(1280·w, 8))}) and depth d (stage depths {@code max(1, round(n·d))},
     * half to even), dropout 0.2. Named {@code tinynet_<variant>}.
     */
    public static NetworkSpec tinyNet(char variant, int resolution, int numClasses) {
        double[] t = tinyRow(variant);
        String name = "tinynet_" + Character.toLowerCase(variant);
        return Scaling.scale(b0(name, resolution, 0.2, numClasses), t[1], t[2], Scaling.Rules.tinyNet())
                .withName(name);
    }

    /** TinyNet-{@code variant}'s published (r, w, d), as in the paper's table: {@code [r, w, d]}. */
    public static double[] tinyNetMultipliers(char variant) {
        return tinyRow(variant).clone();
    }

    private static double[] tinyRow(char variant) {
        int i = Character.toLowerCase(variant) - 'a';
        if (i < 0 || i >= TINY.length) {
            throw new SpecException("tinynet variant '" + variant + "' not in [a, b, c, d, e]");
        }
        return TINY[i];
    }

    /**
     * EfficientNet-B0 scaled by {@code width} and {@code depth} (the building block of both families and of
     * TinyNet-style downsizing): channels {@code make_divisible(c·width, 8)}, the stem too when
     * {@code scaleStem} (else 32), stage depths by {@code rule}, and a head of {@code headChannels}.
     */
    public static NetworkSpec scaled(
            String name,
            double width,
            double depth,
            int resolution,
            double dropout,
            DepthRule rule,
            boolean scaleStem,
            int headChannels,
            int numClasses) {
        Widths.checkPositive("width", width);
        Widths.checkPositive("depth", depth);
        Scaling.Rules rules = new Scaling.Rules(8, Scaling.Head.FIXED, scaleStem, rounding(rule));
        NetworkSpec spec = Scaling.scale(b0(name, resolution, dropout, numClasses), width, depth, rules)
                .withName(name);
        return spec.withHead(List.of(ConvBlock.of(headChannels, 1, 1, Activation.SWISH), GlobalPoolBlock.avg()));
    }

    /**
     * The unscaled EfficientNet-B0 skeleton (stem 32, head 1280) under {@code name}: the base every member of
     * both families is scaled from.
     */
    static NetworkSpec b0(String name, int resolution, double dropout, int numClasses) {
        SqueezeExcite se = SqueezeExcite.efficientNet(0.25);
        List<StageSpec> stages = new ArrayList<>();
        for (int[] s : B0) {
            MBConvBlock first =
                    MBConvBlock.of(s[4], s[1], s[2], s[3], Activation.SWISH).withSe(se);
            stages.add(StageSpec.repeat("stage" + (stages.size() + 1), first, s[0]));
        }
        return new NetworkSpec(
                name,
                resolution,
                3,
                List.of(ConvBlock.of(32, 3, 2, Activation.SWISH)),
                stages,
                List.of(ConvBlock.of(1280, 1, 1, Activation.SWISH), GlobalPoolBlock.avg()),
                ClassifierSpec.of(numClasses, dropout));
    }

    private static Scaling.DepthRounding rounding(DepthRule rule) {
        if (rule == null) {
            throw new SpecException(
                    "depth rule is missing; expected one of " + java.util.Arrays.toString(DepthRule.values()));
        }
        return rule == DepthRule.CEIL ? Scaling.DepthRounding.CEIL : Scaling.DepthRounding.ROUND_HALF_EVEN;
    }

    /** Scaled depth of a stage of {@code repeats} blocks (same double arithmetic as the Python references). */
    static int stageDepth(int repeats, double depth, DepthRule rule) {
        return Scaling.stageDepth(repeats, depth, rounding(rule));
    }
}
