package org.mobilenas.latency;

import java.util.ArrayList;
import java.util.List;
import org.mobilenas.core.graph.Op;
import org.mobilenas.core.spec.Activation;
import org.mobilenas.core.spec.BlockSpec;
import org.mobilenas.core.spec.ClassifierSpec;
import org.mobilenas.core.spec.ConvBlock;
import org.mobilenas.core.spec.GlobalPoolBlock;
import org.mobilenas.core.spec.MBConvBlock;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.spec.PoolBlock;
import org.mobilenas.core.spec.ResidualConvBlock;
import org.mobilenas.core.spec.SeparableConvBlock;
import org.mobilenas.core.spec.ShuffleV1Block;
import org.mobilenas.core.spec.ShuffleV2Block;
import org.mobilenas.core.spec.Skip;
import org.mobilenas.core.spec.SqueezeExcite;
import org.mobilenas.core.spec.StageSpec;

/**
 * The latency keys of a network: one per block (stem, stages, head) plus one for the classifier, computed from
 * the blocks and shape inference alone (no graph is built), so that a lookup-table prediction stays cheap.
 *
 * <pre>{@code
 * for (LayerKeys.Located k : LayerKeys.of(spec, 1)) {
 *     System.out.println(k.layer() + "  " + k.key());
 * }
 * }</pre>
 */
public final class LayerKeys {
    private LayerKeys() {}

    /** A key with the path of its block ({@code stages[2].blocks[0]}, {@code classifier}). */
    public record Located(String layer, LayerKey key) {}

    /** Receives packed keys in network order. */
    @FunctionalInterface
    public interface Sink {
        /** Receives the key of layer {@code index} as two packed words. */
        void accept(int index, long packedA, long packedB);
    }

    /** The keys of {@code spec} at {@code batch}, with their block paths. */
    public static List<Located> of(NetworkSpec spec, int batch) {
        List<Located> out = new ArrayList<>();
        List<String> paths = paths(spec);
        forEach(spec, batch, (i, a, b) -> out.add(new Located(paths.get(i), LayerKey.unpack(a, b))));
        return out;
    }

    /** Paths of the keyed layers of {@code spec}, in key order. */
    public static List<String> paths(NetworkSpec spec) {
        List<String> paths = new ArrayList<>();
        spec.forEachBlock((p, b) -> paths.add(p));
        paths.add("classifier");
        return paths;
    }

    /** Number of keys of {@code spec}: its blocks plus the classifier. */
    public static int count(NetworkSpec spec) {
        int n = spec.stem().size() + spec.head().size() + 1;
        for (StageSpec s : spec.stages()) {
            n += s.blocks().size();
        }
        return n;
    }

    /** Calls {@code sink} with each packed key of {@code spec} at {@code batch}; returns the number of keys. */
    public static int forEach(NetworkSpec spec, int batch, Sink sink) {
        if (batch < 1 || batch > LayerKey.MAX_BATCH) {
            throw new IllegalArgumentException("batch " + batch + " not in [1, " + LayerKey.MAX_BATCH + "]");
        }
        Cursor c = new Cursor(spec.resolution(), spec.resolution(), spec.inputChannels(), batch);
        int i = 0;
        for (BlockSpec b : spec.stem()) {
            c.step(b);
            sink.accept(i++, c.a, c.b);
        }
        for (StageSpec s : spec.stages()) {
            for (BlockSpec b : s.blocks()) {
                c.step(b);
                sink.accept(i++, c.a, c.b);
            }
        }
        for (BlockSpec b : spec.head()) {
            c.step(b);
            sink.accept(i++, c.a, c.b);
        }
        c.classifier(spec.classifier());
        sink.accept(i++, c.a, c.b);
        return i;
    }

    /** Output size of a kernel-{@code k}, stride-{@code s}, padding-{@code p} window over {@code x}. */
    static int window(int x, int k, int s, int p) {
        return Math.floorDiv(x + 2 * p - k, s) + 1;
    }

    /**
     * Shape inference and key packing over a sequence of blocks. It visits blocks through {@link BlockSpec.Visitor},
     * so a new block kind does not compile until it has a key here.
     */
    static final class Cursor implements BlockSpec.Visitor<Void> {
        int h;
        int w;
        int c;
        final int batch;
        long a;
        long b;

        Cursor(int h, int w, int c, int batch) {
            this.h = h;
            this.w = w;
            this.c = c;
            this.batch = batch;
        }

        private void set(
                LayerKind kind,
                int out,
                int kernel,
                int stride,
                int expanded,
                int groups,
                int squeeze,
                Activation act,
                Activation act2,
                Activation gate,
                Skip skip,
                int variant) {
            if (h > LayerKey.MAX_SIZE
                    || w > LayerKey.MAX_SIZE
                    || c > LayerKey.MAX_CHANNELS
                    || out > LayerKey.MAX_CHANNELS
                    || expanded > LayerKey.MAX_EXPANDED
                    || groups > LayerKey.MAX_GROUPS
                    || squeeze > LayerKey.MAX_SQUEEZE) {
                // Out of the packable range: let the record report which field.
                new LayerKey(
                        kind, batch, h, w, c, out, kernel, stride, expanded, groups, squeeze, act, act2, gate, skip,
                        variant);
            }
            a = LayerKey.packA(kind.ordinal(), h, w, c, out, kernel, stride, skip.ordinal());
            b = LayerKey.packB(
                    expanded, groups, squeeze, act.ordinal(), act2.ordinal(), gate.ordinal(), variant, batch);
        }

        void step(BlockSpec block) {
            block.accept(this);
        }

        @Override
        public Void mbConv(MBConvBlock m) {
            int hidden = m.expanded(c);
            SqueezeExcite se = m.se();
            set(
                    LayerKind.MBCONV,
                    m.out(),
                    m.kernel(),
                    m.stride(),
                    hidden,
                    0,
                    se == null ? 0 : se.squeezeChannels(c, hidden),
                    m.activation(),
                    se == null ? Activation.NONE : se.activation(),
                    se == null ? Activation.NONE : se.gate(),
                    m.skip(),
                    0);
            conv(m.kernel(), m.stride(), m.out());
            return null;
        }

        @Override
        public Void residualConv(ResidualConvBlock r) {
            SqueezeExcite se = r.se();
            set(
                    LayerKind.RESIDUAL_CONV,
                    r.out(),
                    r.kernel(),
                    r.stride(),
                    0,
                    0,
                    se == null ? 0 : se.squeezeChannels(c, r.out()),
                    r.activation(),
                    se == null ? Activation.NONE : se.activation(),
                    se == null ? Activation.NONE : se.gate(),
                    r.skip(),
                    0);
            conv(r.kernel(), r.stride(), r.out());
            return null;
        }

        @Override
        public Void conv(ConvBlock v) {
            set(
                    LayerKind.CONV,
                    v.out(),
                    v.kernel(),
                    v.stride(),
                    0,
                    v.groups(),
                    0,
                    v.activation(),
                    Activation.NONE,
                    Activation.NONE,
                    Skip.NONE,
                    (v.batchNorm() ? 1 : 0) | (v.bias() ? 2 : 0));
            conv(v.kernel(), v.stride(), v.out());
            return null;
        }

        @Override
        public Void separable(SeparableConvBlock s) {
            set(
                    LayerKind.SEPARABLE,
                    s.out(),
                    s.kernel(),
                    s.stride(),
                    0,
                    0,
                    0,
                    s.activation(),
                    s.pointwiseActivation(),
                    Activation.NONE,
                    Skip.NONE,
                    0);
            conv(s.kernel(), s.stride(), s.out());
            return null;
        }

        @Override
        public Void shuffleV1(ShuffleV1Block s) {
            set(
                    LayerKind.SHUFFLE_V1,
                    s.out(),
                    s.kernel(),
                    s.stride(),
                    s.mid(),
                    s.groups(),
                    0,
                    Activation.RELU,
                    Activation.NONE,
                    Activation.NONE,
                    s.stride() == 1 ? Skip.IDENTITY : Skip.NONE,
                    s.groupedFirst() ? 1 : 0);
            conv(s.kernel(), s.stride(), s.out());
            return null;
        }

        @Override
        public Void shuffleV2(ShuffleV2Block s) {
            set(
                    LayerKind.SHUFFLE_V2,
                    s.out(),
                    s.kernel(),
                    s.stride(),
                    0,
                    0,
                    0,
                    Activation.RELU,
                    Activation.NONE,
                    Activation.NONE,
                    Skip.NONE,
                    0);
            conv(s.kernel(), s.stride(), s.out());
            return null;
        }

        @Override
        public Void pool(PoolBlock p) {
            set(
                    LayerKind.POOL,
                    c,
                    p.kernel(),
                    p.stride(),
                    0,
                    0,
                    0,
                    Activation.NONE,
                    Activation.NONE,
                    Activation.NONE,
                    Skip.NONE,
                    (p.pool() == Op.PoolType.MAX ? 1 : 0) | p.padding() << 1);
            h = window(h, p.kernel(), p.stride(), p.padding());
            w = window(w, p.kernel(), p.stride(), p.padding());
            return null;
        }

        @Override
        public Void globalPool(GlobalPoolBlock g) {
            set(
                    LayerKind.GLOBAL_POOL,
                    c,
                    0,
                    0,
                    0,
                    0,
                    0,
                    Activation.NONE,
                    Activation.NONE,
                    Activation.NONE,
                    Skip.NONE,
                    g.pool() == Op.PoolType.MAX ? 1 : 0);
            h = 1;
            w = 1;
            return null;
        }

        private void conv(int k, int s, int out) {
            h = window(h, k, s, k / 2);
            w = window(w, k, s, k / 2);
            c = out;
        }

        void classifier(ClassifierSpec cls) {
            set(
                    LayerKind.CLASSIFIER,
                    cls.numClasses(),
                    0,
                    0,
                    0,
                    0,
                    0,
                    Activation.NONE,
                    Activation.NONE,
                    Activation.NONE,
                    Skip.NONE,
                    cls.bias() ? 1 : 0);
            h = 1;
            w = 1;
            c = cls.numClasses();
        }
    }
}
