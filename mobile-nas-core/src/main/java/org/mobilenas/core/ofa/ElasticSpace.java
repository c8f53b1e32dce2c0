package org.mobilenas.core.ofa;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.mobilenas.core.spec.Activation;
import org.mobilenas.core.spec.BlockSpec;
import org.mobilenas.core.spec.ClassifierSpec;
import org.mobilenas.core.spec.ConvBlock;
import org.mobilenas.core.spec.GlobalPoolBlock;
import org.mobilenas.core.spec.MBConvBlock;
import org.mobilenas.core.spec.MakeDivisible;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.spec.Skip;
import org.mobilenas.core.spec.SqueezeExcite;
import org.mobilenas.core.spec.StageSpec;

/**
 * An elastic MobileNetV3-style space (Once-for-All): a fixed stem conv and first block, elastic stages
 * (depth, per-block kernel and expand ratio), a fixed head (1x1 conv, global pool, 1x1 feature conv with bias) and
 * a classifier, at an elastic input resolution. A block's expanded width is
 * {@code make_divisible(round(in * expand), 8)} of its input width; squeeze-excite squeezes to
 * {@code make_divisible(expanded / 4, 8)}.
 *
 * <pre>{@code
 * ElasticSpace space = OfaSpaces.mobileNetV3(1000);          // in mobile-nas-spaces
 * SubnetConfig c = space.sample(new SplittableRandom(1));
 * NetworkSpec spec = space.spec(c);
 * }</pre>
 *
 * @param name            space name (subnet specs are named {@code name + "_" + key})
 * @param inputChannels   image channels
 * @param numClasses      classifier outputs
 * @param resolutions     elastic input resolutions, ascending
 * @param stemChannels    stem conv width (3x3, hard-swish)
 * @param stemStride      stem stride
 * @param firstChannels   width of the fixed first block (3x3 depthwise, expand 1, ReLU)
 * @param stages          elastic stages
 * @param depths          depth choices, ascending
 * @param kernels         kernel choices, ascending
 * @param expands         expand-ratio choices, ascending
 * @param headChannels    width of the final 1x1 conv (hard-swish)
 * @param featureChannels width of the feature-mix 1x1 conv after pooling (hard-swish)
 * @param dropout         classifier dropout
 */
public record ElasticSpace(
        String name,
        int inputChannels,
        int numClasses,
        List<Integer> resolutions,
        int stemChannels,
        int stemStride,
        int firstChannels,
        List<ElasticStage> stages,
        List<Integer> depths,
        List<Integer> kernels,
        List<Integer> expands,
        int headChannels,
        int featureChannels,
        double dropout) {
    /** Checks the components (a bad one is an error naming it). */
    public ElasticSpace {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("space.name must be a non-blank string, got " + name);
        }
        positive("inputChannels", inputChannels);
        if (numClasses < 2) {
            throw new IllegalArgumentException("space.numClasses = " + numClasses + ", expected >= 2");
        }
        resolutions = ascending("resolutions", resolutions);
        positive("stemChannels", stemChannels);
        if (stemStride != 1 && stemStride != 2) {
            throw new IllegalArgumentException("space.stemStride = " + stemStride + ", expected 1 or 2");
        }
        positive("firstChannels", firstChannels);
        if (stages == null || stages.isEmpty()) {
            throw new IllegalArgumentException("space.stages must be a non-empty list, got " + stages);
        }
        stages = List.copyOf(stages);
        depths = ascending("depths", depths);
        kernels = ascending("kernels", kernels);
        for (int k : kernels) {
            if (k % 2 == 0 || k > 7) {
                throw new IllegalArgumentException("space.kernels contains " + k + ", expected odd sizes in [1, 7]");
            }
        }
        expands = ascending("expands", expands);
        if (expands.get(0) < 2) {
            throw new IllegalArgumentException("space.expands contains " + expands.get(0) + ", expected ratios >= 2");
        }
        positive("headChannels", headChannels);
        positive("featureChannels", featureChannels);
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("space.dropout = " + dropout + ", expected in [0, 1)");
        }
    }

    private static void positive(String field, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException("space." + field + " = " + v + ", expected > 0");
        }
    }

    private static List<Integer> ascending(String field, List<Integer> list) {
        if (list == null || list.isEmpty()) {
            throw new IllegalArgumentException("space." + field + " must be a non-empty list, got " + list);
        }
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == null || list.get(i) <= 0 || (i > 0 && list.get(i) <= list.get(i - 1))) {
                throw new IllegalArgumentException(
                        "space." + field + " = " + list + ": expected strictly ascending positive integers");
            }
        }
        return List.copyOf(list);
    }

    /** Most blocks per stage. */
    public int maxDepth() {
        return depths.get(depths.size() - 1);
    }

    /** Number of block slots ({@code stages x maxDepth}). */
    public int slots() {
        return stages.size() * maxDepth();
    }

    /** The largest kernel size of any block. */
    public int maxKernel() {
        return kernels.get(kernels.size() - 1);
    }

    /** The largest expand ratio of any block. */
    public int maxExpand() {
        return expands.get(expands.size() - 1);
    }

    /** The largest input resolution. */
    public int maxResolution() {
        return resolutions.get(resolutions.size() - 1);
    }

    /** Input width of block {@code b} of stage {@code s}. */
    public int blockInput(int s, int b) {
        if (b > 0) {
            return stages.get(s).out();
        }
        return s == 0 ? firstChannels : stages.get(s - 1).out();
    }

    /** Expanded width of a block with {@code in} input channels at expand ratio {@code e}. */
    public static int expanded(int in, int e) {
        return MakeDivisible.of(Math.round((double) in * e), 8);
    }

    /**
     * Subnets that together contain every layer any subnet of this space can have: each resolution, kernel and
     * expand ratio on every block at the largest depth (a block's layer depends on its position, kernel, expand
     * and the resolution, not on the depth of its stage). A latency table built from their specs answers every
     * subnet from measured entries alone.
     *
     * <pre>{@code
     * LatencyTableBuilder.with(measurer).specs(space.coveringConfigs().stream().map(space::spec).toList());
     * }</pre>
     */
    public List<SubnetConfig> coveringConfigs() {
        List<SubnetConfig> out = new ArrayList<>();
        for (int r : resolutions) {
            for (int k : kernels) {
                for (int e : expands) {
                    out.add(uniform(r, maxDepth(), k, e));
                }
            }
        }
        return out;
    }

    /** The largest subnet (every choice at its maximum). */
    public SubnetConfig maxConfig() {
        return uniform(maxResolution(), maxDepth(), maxKernel(), maxExpand());
    }

    /** The smallest subnet (every choice at its minimum). */
    public SubnetConfig minConfig() {
        return uniform(resolutions.get(0), depths.get(0), kernels.get(0), expands.get(0));
    }

    /** Every stage at {@code depth}, every block at {@code kernel} and {@code expand}. */
    public SubnetConfig uniform(int resolution, int depth, int kernel, int expand) {
        SubnetConfig c = new SubnetConfig(
                resolution,
                List.copyOf(java.util.Collections.nCopies(stages.size(), depth)),
                List.copyOf(java.util.Collections.nCopies(slots(), kernel)),
                List.copyOf(java.util.Collections.nCopies(slots(), expand)));
        validate(c);
        return c;
    }

    /** A uniformly random subnet. */
    public SubnetConfig sample(SplittableRandom rng) {
        return sample(rng, resolutions, depths, kernels, expands);
    }

    /** A random subnet whose choices come from the given (sub)sets. */
    public SubnetConfig sample(
            SplittableRandom rng, List<Integer> rs, List<Integer> ds, List<Integer> ks, List<Integer> es) {
        List<Integer> d = new ArrayList<>();
        for (int s = 0; s < stages.size(); s++) {
            d.add(ds.get(rng.nextInt(ds.size())));
        }
        List<Integer> k = new ArrayList<>();
        List<Integer> e = new ArrayList<>();
        for (int i = 0; i < slots(); i++) {
            k.add(ks.get(rng.nextInt(ks.size())));
            e.add(es.get(rng.nextInt(es.size())));
        }
        SubnetConfig c = new SubnetConfig(rs.get(rng.nextInt(rs.size())), d, k, e);
        validate(c);
        return c;
    }

    /** Checks that every choice of {@code c} is one this space offers; the message names the first bad field. */
    public void validate(SubnetConfig c) {
        if (!resolutions.contains(c.resolution())) {
            throw new IllegalArgumentException(
                    "subnet.resolution = " + c.resolution() + ", expected one of " + resolutions);
        }
        if (c.depths().size() != stages.size()) {
            throw new IllegalArgumentException("subnet.depths has " + c.depths().size() + " entries, expected "
                    + stages.size() + " (one per stage)");
        }
        if (c.kernels().size() != slots()) {
            throw new IllegalArgumentException("subnet.kernels has "
                    + c.kernels().size() + " entries, expected " + slots() + " (stages x maxDepth)");
        }
        for (int s = 0; s < stages.size(); s++) {
            if (!depths.contains(c.depths().get(s))) {
                throw new IllegalArgumentException(
                        "subnet.depths[" + s + "] = " + c.depths().get(s) + ", expected one of " + depths);
            }
        }
        for (int i = 0; i < slots(); i++) {
            if (!kernels.contains(c.kernels().get(i))) {
                throw new IllegalArgumentException(
                        "subnet.kernels[" + i + "] = " + c.kernels().get(i) + ", expected one of " + kernels);
            }
            if (!expands.contains(c.expands().get(i))) {
                throw new IllegalArgumentException(
                        "subnet.expands[" + i + "] = " + c.expands().get(i) + ", expected one of " + expands);
            }
        }
    }

    /** The subnet as a standalone {@link NetworkSpec}. */
    public NetworkSpec spec(SubnetConfig c) {
        validate(c);
        List<StageSpec> specStages = new ArrayList<>();
        specStages.add(StageSpec.of(
                "first",
                new MBConvBlock(
                        firstChannels,
                        3,
                        1,
                        1.0,
                        0,
                        null,
                        Activation.RELU,
                        stemChannels == firstChannels ? Skip.IDENTITY : Skip.NONE)));
        for (int s = 0; s < stages.size(); s++) {
            ElasticStage st = stages.get(s);
            List<BlockSpec> blocks = new ArrayList<>();
            for (int b = 0; b < c.depths().get(s); b++) {
                int in = blockInput(s, b);
                int stride = b == 0 ? st.stride() : 1;
                int hidden = expanded(in, c.expand(s, b));
                Skip skip = stride == 1 && in == st.out() ? Skip.IDENTITY : Skip.NONE;
                blocks.add(new MBConvBlock(
                        st.out(),
                        c.kernel(s, b),
                        stride,
                        (double) hidden / in,
                        hidden,
                        st.se() ? SqueezeExcite.mobileNetV3() : null,
                        st.activation(),
                        skip));
            }
            specStages.add(new StageSpec(st.name(), blocks));
        }
        return new NetworkSpec(
                name + "_" + c.key(),
                c.resolution(),
                inputChannels,
                List.of(ConvBlock.of(stemChannels, 3, stemStride, Activation.HSWISH)),
                specStages,
                List.of(
                        ConvBlock.of(headChannels, 1, 1, Activation.HSWISH),
                        GlobalPoolBlock.avg(),
                        new ConvBlock(featureChannels, 1, 1, 1, Activation.HSWISH, false, true)),
                ClassifierSpec.of(numClasses, dropout));
    }

    /** Index in the spec's stage list of elastic stage {@code s} (the fixed first block is stage 0). */
    public static int specStage(int s) {
        return s + 1;
    }

    /** One-hot encoding length: per slot one-hot kernel and expand, plus one-hot resolution. */
    public int encodingLength() {
        return slots() * (kernels.size() + expands.size()) + resolutions.size();
    }

    /**
     * Once-for-All's one-hot encoding: for every block slot a one-hot kernel and a one-hot expand ratio (all
     * zeros for slots beyond the stage's depth), then a one-hot resolution.
     */
    public float[] encode(SubnetConfig c) {
        float[] x = new float[encodingLength()];
        encode(c, x, 0);
        return x;
    }

    /** Writes {@link #encode(SubnetConfig)} into {@code out} at {@code offset} (which must hold zeros). */
    public void encode(SubnetConfig c, float[] out, int offset) {
        int per = kernels.size() + expands.size();
        int m = maxDepth();
        for (int s = 0; s < stages.size(); s++) {
            for (int b = 0; b < c.depths().get(s); b++) {
                int slot = s * m + b;
                out[offset + slot * per + kernels.indexOf(c.kernels().get(slot))] = 1f;
                out[
                        offset
                                + slot * per
                                + kernels.size()
                                + expands.indexOf(c.expands().get(slot))] = 1f;
            }
        }
        out[offset + slots() * per + resolutions.indexOf(c.resolution())] = 1f;
    }
}
