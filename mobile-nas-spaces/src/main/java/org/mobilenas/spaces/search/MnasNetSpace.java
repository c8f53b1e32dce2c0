package org.mobilenas.spaces.search;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.mobilenas.core.search.Decision;
import org.mobilenas.core.search.Genotype;
import org.mobilenas.core.search.SearchSpace;
import org.mobilenas.core.spec.Activation;
import org.mobilenas.core.spec.BlockSpec;
import org.mobilenas.core.spec.ClassifierSpec;
import org.mobilenas.core.spec.ConvBlock;
import org.mobilenas.core.spec.GlobalPoolBlock;
import org.mobilenas.core.spec.MBConvBlock;
import org.mobilenas.core.spec.MakeDivisible;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.spec.ResidualConvBlock;
import org.mobilenas.core.spec.Skip;
import org.mobilenas.core.spec.SpecException;
import org.mobilenas.core.spec.SqueezeExcite;
import org.mobilenas.core.spec.StageSpec;

/**
 * MnasNet's factorized hierarchical search space: the network is a {@link Skeleton} of blocks, and every block
 * picks its own operation, shared by all of its layers. Per block there are six decisions, in this order
 * ({@code block<i>.op}, {@code .kernel}, {@code .se}, {@code .skip}, {@code .filters}, {@code .layers}):
 * <ul>
 *   <li><b>op</b> ({@link ConvOp}): {@code conv} = a dense k×k conv + BN + activation
 *   ({@link ResidualConvBlock}); {@code dwconv} = depthwise-separable conv: k×k depthwise + BN + activation,
 *   then a linear 1×1 projection + BN ({@link MBConvBlock} with expansion 1, MnasNet's "SepConv");
 *   {@code mbconv3}/{@code mbconv6} = inverted residual with expansion 3/6.</li>
 *   <li><b>kernel</b>: the k of the k×k (depthwise) conv.</li>
 *   <li><b>se</b>: squeeze-excite ratio (0 = none), squeezing to {@code ratio·input} channels with ReLU and a
 *   sigmoid gate ({@link SqueezeExcite#mnasNet}).</li>
 *   <li><b>skip</b> ({@link SkipOp}): {@code identity} = identity residual on every layer whose input and
 *   output shapes match (stride 1, equal channels), none on the others; {@code pool} = {@link Skip#POOL} on
 *   every layer, i.e. identity where shapes match and, on a first layer that downsamples or changes width, a
 *   3×3 average pool with the layer's stride followed by a 1×1 conv + BN projection; {@code none} = no
 *   shortcut.</li>
 *   <li><b>filters</b>: output channels {@code make_divisible(base·multiplier, 8)}.</li>
 *   <li><b>layers</b>: {@code max(1, base + delta)} layers; only the first has the block's stride.</li>
 * </ul>
 * Stem, head and classifier come from the skeleton. Which options each block offers is configurable
 * ({@link BlockChoices}), so users can define their own space on their own skeleton.
 *
 * <pre>{@code
 * MnasNetSpace paper = MnasNetSpace.paper(1000);                 // 224 px, MobileNetV2 skeleton
 * MnasNetSpace small = MnasNetSpace.smallInput(28, 1, 10, 0.5);  // Fashion-MNIST sized
 * MnasNetSpace mine = MnasNetSpace.builder(Skeleton.mobileNetV2Small(32, 10))
 *         .choices(BlockChoices.paper().withOps(List.of(ConvOp.MBCONV3, ConvOp.MBCONV6)))
 *         .choices(0, BlockChoices.fixed(ConvOp.DWCONV, 3, 0, SkipOp.NONE))
 *         .build();
 * NetworkSpec spec = small.decode(small.sample(new java.util.SplittableRandom(1)));
 * }</pre>
 */
public final class MnasNetSpace implements SearchSpace {

    /** Layer operation of a block. */
    public enum ConvOp {
        /** A regular convolution. */
        CONV("conv"),
        /** A depthwise-separable convolution. */
        DWCONV("dwconv"),
        /** An inverted residual block with expand ratio 3. */
        MBCONV3("mbconv3"),
        /** An inverted residual block with expand ratio 6. */
        MBCONV6("mbconv6");

        private final String label;

        ConvOp(String label) {
            this.label = label;
        }

        /** The name used in genotype descriptions and reports. */
        public String label() {
            return label;
        }
    }

    /** Skip operation of a block (see the class comment for what each means per layer). */
    public enum SkipOp {
        /** A pooling shortcut (see {@link org.mobilenas.core.spec.Skip#POOL}). */
        POOL("pool"),
        /** An identity shortcut where the shapes allow it. */
        IDENTITY("identity"),
        /** No shortcut. */
        NONE("none");

        private final String label;

        SkipOp(String label) {
            this.label = label;
        }

        /** The name used in genotype descriptions and reports. */
        public String label() {
            return label;
        }
    }

    /**
     * The options one block offers; every list is non-empty, without duplicates.
     *
     * @param ops               layer operations
     * @param kernels           kernel sizes (each 1, 3, 5 or 7)
     * @param seRatios          squeeze-excite ratios, each 0 (none) or in (0, 1]
     * @param skips             skip operations
     * @param filterMultipliers multipliers of the skeleton's filters, each &gt; 0
     * @param layerDeltas       deltas to the skeleton's layer count (result clamped to at least 1)
     */
    public record BlockChoices(
            List<ConvOp> ops,
            List<Integer> kernels,
            List<Double> seRatios,
            List<SkipOp> skips,
            List<Double> filterMultipliers,
            List<Integer> layerDeltas) {
        /** Checks the components (a bad one is an error naming it) and copies the lists. */
        public BlockChoices {
            ops = checked("ops", ops);
            kernels = checked("kernels", kernels);
            seRatios = checked("seRatios", seRatios);
            skips = checked("skips", skips);
            filterMultipliers = checked("filterMultipliers", filterMultipliers);
            layerDeltas = checked("layerDeltas", layerDeltas);
            for (int k : kernels) {
                if (k != 1 && k != 3 && k != 5 && k != 7) {
                    throw new SpecException("choices.kernels: " + k + " not in [1, 3, 5, 7]");
                }
            }
            for (double r : seRatios) {
                if (!(r >= 0 && r <= 1)) {
                    throw new SpecException("choices.seRatios: " + r + " must be 0 or in (0, 1]");
                }
            }
            for (double m : filterMultipliers) {
                if (!(m > 0 && Double.isFinite(m))) {
                    throw new SpecException("choices.filterMultipliers: " + m + " must be a finite number > 0");
                }
            }
        }

        private static <T> List<T> checked(String field, List<T> list) {
            if (list == null || list.isEmpty()) {
                throw new SpecException("choices." + field + " must be a non-empty list");
            }
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i) == null) {
                    throw new SpecException("choices." + field + "[" + i + "] is missing");
                }
                if (list.indexOf(list.get(i)) != i) {
                    throw new SpecException("choices." + field + ": " + list.get(i) + " appears twice in " + list);
                }
            }
            return List.copyOf(list);
        }

        /**
         * The paper's per-block options: ops {conv, dwconv, mbconv3, mbconv6}, kernels {3, 5}, SE {0, 0.25},
         * skips {pool, identity, none}, filters ×{0.75, 1.0, 1.25}, layers +{−1, 0, +1}.
         */
        public static BlockChoices paper() {
            return new BlockChoices(
                    List.of(ConvOp.values()),
                    List.of(3, 5),
                    List.of(0.0, 0.25),
                    List.of(SkipOp.values()),
                    List.of(0.75, 1.0, 1.25),
                    List.of(-1, 0, 1));
        }

        /** A block with one fixed operation (filters ×1, base layers). */
        public static BlockChoices fixed(ConvOp op, int kernel, double se, SkipOp skip) {
            return new BlockChoices(List.of(op), List.of(kernel), List.of(se), List.of(skip), List.of(1.0), List.of(0));
        }

        /** These choices with layer operations {@code o}. */
        public BlockChoices withOps(List<ConvOp> o) {
            return new BlockChoices(o, kernels, seRatios, skips, filterMultipliers, layerDeltas);
        }

        /** These choices with kernel sizes {@code k}. */
        public BlockChoices withKernels(List<Integer> k) {
            return new BlockChoices(ops, k, seRatios, skips, filterMultipliers, layerDeltas);
        }

        /** These choices with squeeze-and-excitation ratios {@code s} (0: none). */
        public BlockChoices withSeRatios(List<Double> s) {
            return new BlockChoices(ops, kernels, s, skips, filterMultipliers, layerDeltas);
        }

        /** These choices with skip operations {@code s}. */
        public BlockChoices withSkips(List<SkipOp> s) {
            return new BlockChoices(ops, kernels, seRatios, s, filterMultipliers, layerDeltas);
        }

        /** These choices with filter-size multipliers {@code f}. */
        public BlockChoices withFilterMultipliers(List<Double> f) {
            return new BlockChoices(ops, kernels, seRatios, skips, f, layerDeltas);
        }

        /** These choices with changes {@code d} to the number of layers per block. */
        public BlockChoices withLayerDeltas(List<Integer> d) {
            return new BlockChoices(ops, kernels, seRatios, skips, filterMultipliers, d);
        }
    }

    /** Decisions per block, in genotype order. */
    public static final int DECISIONS_PER_BLOCK = 6;

    private final String name;
    private final Skeleton skeleton;
    private final List<BlockChoices> choices;
    private final List<Decision> decisions;

    private MnasNetSpace(String name, Skeleton skeleton, List<BlockChoices> choices) {
        this.name = name;
        this.skeleton = skeleton;
        this.choices = List.copyOf(choices);
        List<Decision> ds = new ArrayList<>();
        for (int i = 0; i < choices.size(); i++) {
            BlockChoices c = choices.get(i);
            String p = "block" + i + ".";
            ds.add(new Decision(p + "op", c.ops().stream().map(ConvOp::label).toList()));
            ds.add(new Decision(
                    p + "kernel", c.kernels().stream().map(String::valueOf).toList()));
            ds.add(new Decision(
                    p + "se", c.seRatios().stream().map(MnasNetSpace::fmt).toList()));
            ds.add(new Decision(
                    p + "skip", c.skips().stream().map(SkipOp::label).toList()));
            ds.add(new Decision(
                    p + "filters",
                    c.filterMultipliers().stream().map(MnasNetSpace::fmt).toList()));
            ds.add(new Decision(
                    p + "layers",
                    c.layerDeltas().stream()
                            .map(d -> d > 0 ? "+" + d : String.valueOf(d))
                            .toList()));
        }
        this.decisions = Collections.unmodifiableList(ds);
    }

    static String fmt(double v) {
        String s = String.format(Locale.ROOT, "%.4f", v).replaceAll("0+$", "");
        return s.endsWith(".") ? s + "0" : s;
    }

    /** The paper's space at 224 px: MobileNetV2 skeleton, {@link BlockChoices#paper()} on all seven blocks. */
    public static MnasNetSpace paper(int numClasses) {
        return builder(Skeleton.mobileNetV2(224, numClasses)).name("mnasnet").build();
    }

    /**
     * The paper's per-block choices on the small-input skeleton ({@link Skeleton#mobileNetV2Small}) scaled by
     * {@code width}, for 28–32 px images with {@code inputChannels} channels.
     */
    public static MnasNetSpace smallInput(int resolution, int inputChannels, int numClasses, double width) {
        Skeleton s = Skeleton.mobileNetV2Small(resolution, numClasses)
                .withInputChannels(inputChannels)
                .withWidth(width);
        return builder(s).name("mnasnet_small_" + fmt(width)).build();
    }

    /** A builder of a space on {@code skeleton} with the paper's choices for every block. */
    public static Builder builder(Skeleton skeleton) {
        return new Builder(skeleton);
    }

    /** Fluent construction of an {@link MnasNetSpace}: a skeleton plus options for all or single blocks. */
    public static final class Builder {
        private final Skeleton skeleton;
        private final BlockChoices[] perBlock;
        private BlockChoices all = BlockChoices.paper();
        private String name;

        private Builder(Skeleton skeleton) {
            if (skeleton == null) {
                throw new SpecException("skeleton is missing");
            }
            this.skeleton = skeleton;
            this.perBlock = new BlockChoices[skeleton.blocks().size()];
            this.name = skeleton.name();
        }

        /** The space's name, recorded in journals and reports. */
        public Builder name(String n) {
            if (n == null || n.isBlank()) {
                throw new SpecException("space name is missing");
            }
            this.name = n;
            return this;
        }

        /** Options of every block not given its own with {@link #choices(int, BlockChoices)}. */
        public Builder choices(BlockChoices c) {
            if (c == null) {
                throw new SpecException("choices are missing");
            }
            this.all = c;
            return this;
        }

        /** Options of block {@code index}. */
        public Builder choices(int index, BlockChoices c) {
            if (index < 0 || index >= perBlock.length) {
                throw new SpecException("block index " + index + " not in [0, " + (perBlock.length - 1) + "]");
            }
            if (c == null) {
                throw new SpecException("choices of block " + index + " are missing");
            }
            perBlock[index] = c;
            return this;
        }

        /** Builds the space. */
        public MnasNetSpace build() {
            List<BlockChoices> cs = new ArrayList<>();
            for (BlockChoices c : perBlock) {
                cs.add(c == null ? all : c);
            }
            return new MnasNetSpace(name, skeleton, cs);
        }
    }

    @Override
    public String name() {
        return name;
    }

    /** The skeleton whose blocks are searched. */
    public Skeleton skeleton() {
        return skeleton;
    }

    /** The choices of each block, in order. */
    public List<BlockChoices> choices() {
        return choices;
    }

    @Override
    public List<Decision> decisions() {
        return decisions;
    }

    @Override
    public NetworkSpec decode(Genotype g) {
        if (g == null) {
            throw new IllegalArgumentException(name + ": genotype is missing");
        }
        validate(g);
        Skeleton sk = skeleton;
        Activation act = sk.activation();
        int in = sk.stemChannels();
        List<StageSpec> stages = new ArrayList<>();
        for (int i = 0; i < choices.size(); i++) {
            BlockChoices c = choices.get(i);
            Skeleton.Block base = sk.blocks().get(i);
            int o = i * DECISIONS_PER_BLOCK;
            ConvOp op = c.ops().get(g.get(o));
            int kernel = c.kernels().get(g.get(o + 1));
            double se = c.seRatios().get(g.get(o + 2));
            SkipOp skip = c.skips().get(g.get(o + 3));
            int out = MakeDivisible.of8(base.filters() * c.filterMultipliers().get(g.get(o + 4)));
            int layers = Math.max(1, base.layers() + c.layerDeltas().get(g.get(o + 5)));
            List<BlockSpec> blocks = new ArrayList<>();
            for (int l = 0; l < layers; l++) {
                int stride = l == 0 ? base.stride() : 1;
                blocks.add(layer(op, in, out, kernel, stride, se, skip, act));
                in = out;
            }
            stages.add(new StageSpec("block" + i, blocks));
        }
        List<BlockSpec> head = new ArrayList<>();
        if (sk.headChannels() > 0) {
            head.add(ConvBlock.of(sk.headChannels(), 1, 1, act));
        }
        head.add(GlobalPoolBlock.avg());
        return new NetworkSpec(
                name + "_" + g,
                sk.resolution(),
                sk.inputChannels(),
                List.of(ConvBlock.of(sk.stemChannels(), 3, sk.stemStride(), act)),
                stages,
                head,
                ClassifierSpec.of(sk.numClasses(), sk.dropout()));
    }

    /**
     * Networks that together contain every layer any network of this space can have: each block's every
     * combination of op, kernel, SE, skip and filters, after every filter choice of the previous block, with its
     * most layers (so its repeated layers appear too); the other blocks take their first options. A lookup table
     * built from them answers every network of the space from measured entries alone. For the paper's choices
     * that is 144 networks for the first block and 432 for each other.
     *
     * <pre>{@code
     * LatencyTable t = LatencyTableBuilder.with(measurer).specs(space.coveringNetworks()).build();
     * }</pre>
     */
    public List<NetworkSpec> coveringNetworks() {
        List<NetworkSpec> out = new ArrayList<>();
        for (int i = 0; i < choices.size(); i++) {
            BlockChoices c = choices.get(i);
            int o = i * DECISIONS_PER_BLOCK;
            List<Integer> deltas = c.layerDeltas();
            int deepest = deltas.indexOf(
                    deltas.stream().mapToInt(Integer::intValue).max().orElseThrow());
            int previous = i == 0 ? 1 : choices.get(i - 1).filterMultipliers().size();
            for (int prev = 0; prev < previous; prev++) {
                for (int op = 0; op < c.ops().size(); op++) {
                    for (int k = 0; k < c.kernels().size(); k++) {
                        for (int se = 0; se < c.seRatios().size(); se++) {
                            for (int skip = 0; skip < c.skips().size(); skip++) {
                                for (int f = 0; f < c.filterMultipliers().size(); f++) {
                                    int[] g = new int[decisions.size()];
                                    if (i > 0) {
                                        g[o - DECISIONS_PER_BLOCK + 4] = prev;
                                    }
                                    g[o] = op;
                                    g[o + 1] = k;
                                    g[o + 2] = se;
                                    g[o + 3] = skip;
                                    g[o + 4] = f;
                                    g[o + 5] = deepest;
                                    out.add(decode(Genotype.of(g)));
                                }
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    /** One layer of a block, as described in the class comment. */
    static BlockSpec layer(
            ConvOp op, int in, int out, int kernel, int stride, double se, SkipOp skipOp, Activation act) {
        Skip skip = switch (skipOp) {
            case NONE -> Skip.NONE;
            case IDENTITY -> stride == 1 && in == out ? Skip.IDENTITY : Skip.NONE;
            case POOL -> Skip.POOL;
        };
        SqueezeExcite s = se > 0 ? SqueezeExcite.mnasNet(se) : null;
        return switch (op) {
            case CONV -> new ResidualConvBlock(out, kernel, stride, s, act, skip);
            case DWCONV -> new MBConvBlock(out, kernel, stride, 1.0, 0, s, act, skip);
            case MBCONV3 -> new MBConvBlock(out, kernel, stride, 3.0, 0, s, act, skip);
            case MBCONV6 -> new MBConvBlock(out, kernel, stride, 6.0, 0, s, act, skip);
        };
    }

    @Override
    public String toString() {
        return name + " (" + choices.size() + " blocks, " + decisions.size() + " decisions, " + size() + " points)";
    }
}
