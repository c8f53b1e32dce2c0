package org.mobilenas.spaces.search;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import org.mobilenas.core.search.Decision;
import org.mobilenas.core.search.Genotype;
import org.mobilenas.core.search.SearchSpace;
import org.mobilenas.core.spec.Activation;
import org.mobilenas.core.spec.BlockSpec;
import org.mobilenas.core.spec.ClassifierSpec;
import org.mobilenas.core.spec.ConvBlock;
import org.mobilenas.core.spec.GlobalPoolBlock;
import org.mobilenas.core.spec.MBConvBlock;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.spec.Skip;
import org.mobilenas.core.spec.SpecException;
import org.mobilenas.core.spec.StageSpec;

/**
 * A plain MobileNetV2-style space: inverted residuals everywhere (ReLU6 by default, identity residual where
 * stride is 1 and widths match), with a global width multiplier, a depth per block and, per layer, the kernel
 * and the expansion ratio. Decisions, in order: {@code width}, then per block {@code block<i>.depth} followed
 * by {@code block<i>.layer<j>.kernel} and {@code block<i>.layer<j>.expand} for every layer slot up to the
 * block's largest depth (slots beyond the chosen depth are ignored). A skeleton block with expansion 1 (the
 * first block of MobileNetV2) keeps expansion 1 (one option).
 *
 * <pre>{@code
 * MobileNetV2Space space = MobileNetV2Space.standard(224, 1000);
 * MobileNetV2Space small = MobileNetV2Space.smallInput(28, 1, 10, List.of(0.35, 0.5, 0.75));
 * NetworkSpec spec = small.decode(small.sample(new java.util.SplittableRandom(3)));
 * }</pre>
 */
public final class MobileNetV2Space implements SearchSpace {

    /**
     * Options of the space.
     *
     * @param widths      width multipliers of the whole network (each &gt; 0)
     * @param kernels     per-layer kernel sizes (each 1, 3, 5 or 7)
     * @param expands     per-layer expansion ratios (each &gt;= 1)
     * @param depthDeltas deltas to each block's skeleton layer count (result at least 1, duplicates merged)
     */
    public record Options(
            List<Double> widths, List<Integer> kernels, List<Integer> expands, List<Integer> depthDeltas) {
        /** Checks the components (a bad one is an error naming it) and copies the lists. */
        public Options {
            widths = nonEmpty("widths", widths);
            kernels = nonEmpty("kernels", kernels);
            expands = nonEmpty("expands", expands);
            depthDeltas = nonEmpty("depthDeltas", depthDeltas);
            for (double w : widths) {
                if (!(w > 0 && Double.isFinite(w))) {
                    throw new SpecException("options.widths: " + w + " must be a finite number > 0");
                }
            }
            for (int k : kernels) {
                if (k != 1 && k != 3 && k != 5 && k != 7) {
                    throw new SpecException("options.kernels: " + k + " not in [1, 3, 5, 7]");
                }
            }
            for (int e : expands) {
                if (e < 1) {
                    throw new SpecException("options.expands: " + e + " must be >= 1");
                }
            }
        }

        private static <T> List<T> nonEmpty(String field, List<T> list) {
            if (list == null || list.isEmpty()) {
                throw new SpecException("options." + field + " must be a non-empty list");
            }
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i) == null) {
                    throw new SpecException("options." + field + "[" + i + "] is missing");
                }
                if (list.indexOf(list.get(i)) != i) {
                    throw new SpecException("options." + field + ": " + list.get(i) + " appears twice in " + list);
                }
            }
            return List.copyOf(list);
        }

        /** Width ×1.0, kernels {3, 5, 7}, expansion {3, 6}, depth +{−1, 0, +1}. */
        public static Options defaults() {
            return new Options(List.of(1.0), List.of(3, 5, 7), List.of(3, 6), List.of(-1, 0, 1));
        }

        /** These options with width multipliers {@code w}. */
        public Options withWidths(List<Double> w) {
            return new Options(w, kernels, expands, depthDeltas);
        }

        /** These options with kernel sizes {@code k}. */
        public Options withKernels(List<Integer> k) {
            return new Options(widths, k, expands, depthDeltas);
        }

        /** These options with expand ratios {@code e}. */
        public Options withExpands(List<Integer> e) {
            return new Options(widths, kernels, e, depthDeltas);
        }

        /** These options with changes {@code d} to each stage's depth. */
        public Options withDepthDeltas(List<Integer> d) {
            return new Options(widths, kernels, expands, d);
        }
    }

    private final String name;
    private final Skeleton skeleton;
    private final Options options;
    private final List<List<Integer>> depths;
    private final List<Decision> decisions;

    private MobileNetV2Space(String name, Skeleton skeleton, Options options) {
        if (name == null || name.isBlank()) {
            throw new SpecException("space name is missing");
        }
        if (skeleton == null || options == null) {
            throw new SpecException("space needs a skeleton and options; missing: "
                    + (skeleton == null ? "skeleton " : "") + (options == null ? "options" : ""));
        }
        this.name = name;
        this.skeleton = skeleton;
        this.options = options;
        List<List<Integer>> ds = new ArrayList<>();
        List<Decision> dec = new ArrayList<>();
        dec.add(new Decision(
                "width", options.widths().stream().map(MnasNetSpace::fmt).toList()));
        for (int i = 0; i < skeleton.blocks().size(); i++) {
            Skeleton.Block b = skeleton.blocks().get(i);
            TreeSet<Integer> set = new TreeSet<>();
            for (int d : options.depthDeltas()) {
                set.add(Math.max(1, b.layers() + d));
            }
            List<Integer> depthOptions = List.copyOf(set);
            ds.add(depthOptions);
            dec.add(new Decision(
                    "block" + i + ".depth",
                    depthOptions.stream().map(String::valueOf).toList()));
            List<String> expands = b.expand() == 1
                    ? List.of("1")
                    : options.expands().stream().map(String::valueOf).toList();
            for (int j = 0; j < set.last(); j++) {
                dec.add(new Decision(
                        "block" + i + ".layer" + j + ".kernel",
                        options.kernels().stream().map(String::valueOf).toList()));
                dec.add(new Decision("block" + i + ".layer" + j + ".expand", expands));
            }
        }
        this.depths = List.copyOf(ds);
        this.decisions = Collections.unmodifiableList(dec);
    }

    /** MobileNetV2's skeleton at {@code resolution} with ReLU6 and the default options. */
    public static MobileNetV2Space standard(int resolution, int numClasses) {
        return of(
                "mobilenet_v2_space",
                Skeleton.mobileNetV2(resolution, numClasses).withActivation(Activation.RELU6),
                Options.defaults());
    }

    /** The small-input (28–32 px) MobileNetV2 skeleton with ReLU6, default options and the given widths. */
    public static MobileNetV2Space smallInput(int resolution, int inputChannels, int numClasses, List<Double> widths) {
        Skeleton s = Skeleton.mobileNetV2Small(resolution, numClasses)
                .withInputChannels(inputChannels)
                .withActivation(Activation.RELU6);
        return of("mobilenet_v2_small_space", s, Options.defaults().withWidths(widths));
    }

    /** A space on any skeleton with any options. */
    public static MobileNetV2Space of(String name, Skeleton skeleton, Options options) {
        return new MobileNetV2Space(name, skeleton, options);
    }

    @Override
    public String name() {
        return name;
    }

    /** The skeleton the space varies. */
    public Skeleton skeleton() {
        return skeleton;
    }

    /** The options of every block. */
    public Options options() {
        return options;
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
        double width = options.widths().get(g.get(0));
        Skeleton sk = skeleton.withWidth(width);
        Activation act = sk.activation();
        int in = sk.stemChannels();
        int p = 1;
        List<StageSpec> stages = new ArrayList<>();
        for (int i = 0; i < sk.blocks().size(); i++) {
            Skeleton.Block b = sk.blocks().get(i);
            List<Integer> depthOptions = depths.get(i);
            int depth = depthOptions.get(g.get(p++));
            int slots = depthOptions.get(depthOptions.size() - 1);
            List<BlockSpec> blocks = new ArrayList<>();
            for (int j = 0; j < slots; j++) {
                int kernel = options.kernels().get(g.get(p++));
                int expand = b.expand() == 1 ? 1 : options.expands().get(g.get(p));
                p++;
                if (j < depth) {
                    int stride = j == 0 ? b.stride() : 1;
                    int out = b.filters();
                    Skip skip = stride == 1 && in == out ? Skip.IDENTITY : Skip.NONE;
                    blocks.add(MBConvBlock.of(out, kernel, stride, expand, act).withSkip(skip));
                    in = out;
                }
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

    @Override
    public String toString() {
        return name + " (" + decisions.size() + " decisions, " + size() + " points)";
    }
}
