package org.mobilenas.core.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * Width, depth and resolution multipliers as pure transformations of a {@link NetworkSpec}.
 *
 * <pre>{@code
 * NetworkSpec half = Scaling.width(spec, 0.5, Scaling.Head.KEEP_AT_LEAST_BASE, true);
 * NetworkSpec deeper = Scaling.depth(spec, 1.2, Scaling.DepthRounding.CEIL);
 * }</pre>
 */
public final class Scaling {
    private Scaling() {
    }

    /** What the width multiplier does to the head's channels. */
    public enum Head {
        /** Scale with make_divisible like every other layer (EfficientNet). */
        SCALE,
        /** max(base, scaled): the head never shrinks (MobileNetV2, TinyNet). */
        KEEP_AT_LEAST_BASE,
        /** Leave the head unchanged. */
        FIXED
    }

    /** How a stage's scaled depth is rounded. */
    public enum DepthRounding { CEIL, ROUND }

    /**
     * Multiplies every channel count by {@code multiplier}, rounding with {@code MakeDivisible.of(c * m, 8)}.
     *
     * @param scaleStem whether the stem's channels scale as well
     */
    public static NetworkSpec width(NetworkSpec spec, double multiplier, Head head, boolean scaleStem) {
        return width(spec, multiplier, 8, head, scaleStem);
    }

    public static NetworkSpec width(NetworkSpec spec, double multiplier, int divisor, Head head, boolean scaleStem) {
        if (!Double.isFinite(multiplier) || multiplier <= 0) {
            throw new SpecException("width multiplier " + multiplier + " must be a finite number > 0");
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
        return new NetworkSpec(spec.name(), spec.resolution(), spec.inputChannels(), stem, stages,
                map(spec.head(), hf), spec.classifier());
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
        List<StageSpec> stages = new ArrayList<>();
        for (StageSpec s : spec.stages()) {
            double d = s.depth() * multiplier;
            int n = Math.max(1, rounding == DepthRounding.CEIL ? (int) Math.ceil(d - 1e-9) : (int) Math.round(d));
            stages.add(withDepth(s, n));
        }
        return spec.withStages(stages);
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
        return spec.withResolution((int) Math.floor(spec.resolution() * multiplier + 1e-9));
    }
}
