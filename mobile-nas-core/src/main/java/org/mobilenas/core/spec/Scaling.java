package org.mobilenas.core.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * Width, depth and resolution multipliers as pure transformations of a {@link NetworkSpec}.
 *
 * <pre>{@code
 * NetworkSpec half = Scaling.width(spec, 0.5, Scaling.Head.KEEP_AT_LEAST_BASE, true);
 * NetworkSpec deeper = Scaling.depth(spec, 1.2, Scaling.DepthRounding.CEIL);
 * NetworkSpec tiny = Scaling.scale(b0, 0.54, 0.85, Scaling.Rules.tinyNet());   // TinyNet-C's width and depth
 * }</pre>
 */
public final class Scaling {
    private Scaling() {}

    /** What the width multiplier does to the head's channels. */
    public enum Head {
        /** Scale with make_divisible like every other layer (EfficientNet). */
        SCALE,
        /** max(base, scaled): the head never shrinks (MobileNetV2, TinyNet). */
        KEEP_AT_LEAST_BASE,
        /** Leave the head unchanged. */
        FIXED
    }

    /** How a stage's scaled depth {@code n·d} (a double product, as the Python references compute it) is rounded. */
    public enum DepthRounding {
        /** {@code ceil(n·d)} (EfficientNet, torchvision). */
        CEIL,
        /** {@code round(n·d)}, halves up. */
        ROUND,
        /** {@code round(n·d)}, halves to even (Python's {@code round}; timm's {@code depth_trunc='round'}, TinyNet). */
        ROUND_HALF_EVEN
    }

    /**
     * The rounding rules of a compound (width, depth) scaling: channel divisor, head policy, whether the stem
     * scales, and the depth rounding.
     *
     * <pre>{@code
     * Scaling.Rules tiny = Scaling.Rules.tinyNet();   // divisor 8, head max(base, scaled), stem fixed, round half even
     * }</pre>
     */
    public record Rules(int divisor, Head head, boolean scaleStem, DepthRounding depthRounding) {
        /** Checks the components (a bad one is an error naming it). */
        public Rules {
            if (divisor <= 0) {
                throw new SpecException("rules.divisor " + divisor + " must be > 0");
            }
            Checks.notNull("rules.head", head);
            Checks.notNull("rules.depthRounding", depthRounding);
        }

        /** EfficientNet's rules (timm): divisor 8, every layer scales (head and stem too), depth {@code ceil}. */
        public static Rules efficientNet() {
            return new Rules(8, Head.SCALE, true, DepthRounding.CEIL);
        }

        /**
         * TinyNet's rules (timm's {@code _gen_tinynet}): divisor 8, head {@code max(base, scaled)}, stem fixed,
         * depth rounded half to even (at least one block per stage).
         */
        public static Rules tinyNet() {
            return new Rules(8, Head.KEEP_AT_LEAST_BASE, false, DepthRounding.ROUND_HALF_EVEN);
        }
    }

    /**
     * Width and depth scaling together under {@code rules}; the resolution is left as it is (see
     * {@link #resolution(NetworkSpec, double)}).
     */
    public static NetworkSpec scale(NetworkSpec spec, double width, double depth, Rules rules) {
        Checks.notNull("rules", rules);
        return depth(
                width(spec, width, rules.divisor(), rules.head(), rules.scaleStem()), depth, rules.depthRounding());
    }

    /**
     * Multiplies every channel count by {@code multiplier}, rounding with {@code MakeDivisible.of(c * m, 8)}. The
     * result is named after the base: {@code mobilenet_v2_1.0-w0.5}.
     *
     * @param scaleStem whether the stem's channels scale as well
     */
    public static NetworkSpec width(NetworkSpec spec, double multiplier, Head head, boolean scaleStem) {
        return width(spec, multiplier, 8, head, scaleStem);
    }

    /** {@code spec} with every layer's channels multiplied by {@code multiplier}, rounded to multiples of {@code divisor}; {@code head} says how the last layers scale and {@code scaleStem} whether the stem does. */
    public static NetworkSpec width(NetworkSpec spec, double multiplier, int divisor, Head head, boolean scaleStem) {
        if (!Double.isFinite(multiplier) || multiplier <= 0 || multiplier > 64) {
            throw new SpecException("width multiplier " + multiplier + ": expected a finite number in (0, 64]");
        }
        java.util.function.IntUnaryOperator f = c -> MakeDivisible.of(c * multiplier, divisor);
        List<BlockSpec> stem = scaleStem ? map(spec.stem(), f) : spec.stem();
        List<StageSpec> stages = new ArrayList<>();
        for (StageSpec s : spec.stages()) {
            stages.add(new StageSpec(s.name(), map(s.blocks(), f)));
        }
        java.util.function.IntUnaryOperator hf = switch (head) {
            case SCALE -> f;
            case KEEP_AT_LEAST_BASE -> c -> Math.max(c, f.applyAsInt(c));
            case FIXED -> c -> c;
        };
        return new NetworkSpec(
                derived(spec.name(), "w", multiplier),
                spec.resolution(),
                spec.inputChannels(),
                stem,
                stages,
                map(spec.head(), hf),
                spec.classifier());
    }

    private static List<BlockSpec> map(List<BlockSpec> blocks, java.util.function.IntUnaryOperator f) {
        List<BlockSpec> out = new ArrayList<>();
        for (BlockSpec b : blocks) {
            out.add(b.mapChannels(f));
        }
        return out;
    }

    /**
     * Multiplies every stage's depth by {@code multiplier}: deeper stages repeat their last block
     * (stride 1, residual), shallower ones keep their first blocks. A stage keeps at least one block.
     */
    public static NetworkSpec depth(NetworkSpec spec, double multiplier, DepthRounding rounding) {
        if (!Double.isFinite(multiplier) || multiplier <= 0) {
            throw new SpecException("depth multiplier " + multiplier + " must be a finite number > 0");
        }
        Checks.notNull("depth rounding", rounding);
        List<StageSpec> stages = new ArrayList<>();
        for (StageSpec s : spec.stages()) {
            stages.add(withDepth(s, stageDepth(s.depth(), multiplier, rounding)));
        }
        return spec.withStages(stages).withName(derived(spec.name(), "d", multiplier));
    }

    /**
     * The name of a network derived from {@code base} by a multiplier: {@code base-w0.5}, {@code base-d1.2};
     * a multiplier of 1 keeps the name.
     */
    static String derived(String base, String tag, double multiplier) {
        if (multiplier == 1) {
            return base;
        }
        String m = java.math.BigDecimal.valueOf(multiplier)
                .round(new java.math.MathContext(4))
                .stripTrailingZeros()
                .toPlainString();
        return base + "-" + tag + m;
    }

    /**
     * Scaled depth of a stage of {@code depth} blocks: {@code depth·multiplier} as a double product (the same
     * floating-point value as the Python references), rounded by {@code rounding}, at least 1.
     */
    public static int stageDepth(int depth, double multiplier, DepthRounding rounding) {
        double d = depth * multiplier;
        int n = switch (rounding) {
            case CEIL -> (int) Math.ceil(d);
            case ROUND -> (int) Math.round(d);
            case ROUND_HALF_EVEN -> (int) Math.rint(d);
        };
        return Math.max(1, n);
    }

    /** The stage with exactly {@code n} blocks (first blocks kept; extra ones repeat the last block). */
    public static StageSpec withDepth(StageSpec s, int n) {
        if (n < 1) {
            throw new SpecException("stage '" + s.name() + "': depth " + n + " must be >= 1");
        }
        List<BlockSpec> blocks = new ArrayList<>(s.blocks().subList(0, Math.min(n, s.depth())));
        BlockSpec last = s.blocks().get(s.depth() - 1).asRepeat();
        while (blocks.size() < n) {
            blocks.add(last);
        }
        return new StageSpec(s.name(), blocks);
    }

    /** Input resolution {@code floor(resolution * multiplier)}. */
    public static NetworkSpec resolution(NetworkSpec spec, double multiplier) {
        if (!Double.isFinite(multiplier) || multiplier <= 0) {
            throw new SpecException("resolution multiplier " + multiplier + " must be a finite number > 0");
        }
        int px = (int) Math.floor(spec.resolution() * multiplier + 1e-9);
        return px == spec.resolution() ? spec : spec.withResolution(px).withName(spec.name() + "-r" + px);
    }
}
