package org.mobilenas.latency;

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
import org.mobilenas.core.spec.SqueezeExcite;

/**
 * The smallest networks that isolate one key's latency. A measurer runs whole networks, so a key is measured as
 * the difference of two: the <em>probe</em> (the layer on its input shape, then a global average pool and a
 * 2-class classifier) and the <em>base</em> (the same pool and classifier on the layer's output shape). The
 * per-network overhead cancels in the difference; the input copy of the probe minus that of the base telescopes
 * over a network's layers to the network's own input copy.
 *
 * <pre>{@code
 * NetworkSpec probe = Probes.probe(key);
 * NetworkSpec base = Probes.base(key);
 * double layerMs = measurer.measure(probe, 1).medianMs() - measurer.measure(base, 1).medianMs();
 * }</pre>
 */
public final class Probes {
    private static final ClassifierSpec TWO_CLASSES = new ClassifierSpec(2, 0.0, true);

    private Probes() {}

    /** The block a key stands for (the classifier key has none: {@link IllegalArgumentException}). */
    public static BlockSpec block(LayerKey k) {
        Activation act = k.activation();
        return switch (k.kind()) {
            case CONV ->
                new ConvBlock(
                        k.outChannels(),
                        k.kernel(),
                        k.stride(),
                        k.groups(),
                        act,
                        (k.variant() & 1) != 0,
                        (k.variant() & 2) != 0);
            case RESIDUAL_CONV ->
                new ResidualConvBlock(k.outChannels(), k.kernel(), k.stride(), squeeze(k), act, k.skip());
            case SEPARABLE -> new SeparableConvBlock(k.outChannels(), k.kernel(), k.stride(), act, k.activation2());
            case MBCONV ->
                new MBConvBlock(k.outChannels(), k.kernel(), k.stride(), 1.0, k.expanded(), squeeze(k), act, k.skip());
            case SHUFFLE_V1 ->
                new ShuffleV1Block(
                        k.outChannels(), k.stride(), k.groups(), (k.variant() & 1) != 0, k.expanded(), k.kernel());
            case SHUFFLE_V2 -> new ShuffleV2Block(k.outChannels(), k.stride(), k.kernel());
            case POOL ->
                new PoolBlock(
                        (k.variant() & 1) != 0 ? Op.PoolType.MAX : Op.PoolType.AVG,
                        k.kernel(),
                        k.stride(),
                        k.variant() >> 1);
            case GLOBAL_POOL -> new GlobalPoolBlock((k.variant() & 1) != 0 ? Op.PoolType.MAX : Op.PoolType.AVG);
            case CLASSIFIER -> throw new IllegalArgumentException("key " + k + ": a classifier is not a block");
        };
    }

    /**
     * A squeeze-excite of exactly the key's squeeze width, or none: a vanishing ratio rounded up to a divisor
     * equal to the width gives that width for any channel count.
     */
    private static SqueezeExcite squeeze(LayerKey k) {
        return k.squeeze() == 0
                ? null
                : new SqueezeExcite(1e-6, SqueezeExcite.Base.EXPANDED, k.squeeze(), k.activation2(), k.gate());
    }

    /** The network whose latency minus the {@link #base} network's is the key's latency. */
    public static NetworkSpec probe(LayerKey k) {
        square(k);
        if (k.kind() == LayerKind.CLASSIFIER) {
            return classifierOnly("probe", k, new ClassifierSpec(k.outChannels(), 0.0, (k.variant() & 1) != 0));
        }
        return new NetworkSpec(
                "probe",
                k.height(),
                k.inChannels(),
                List.of(block(k)),
                List.of(),
                List.of(GlobalPoolBlock.avg()),
                TWO_CLASSES);
    }

    /**
     * The pool and classifier of the {@link #probe} alone, on the key's output shape; for a classifier key, the
     * two-class classifier on the same input.
     */
    public static NetworkSpec base(LayerKey k) {
        square(k);
        if (k.kind() == LayerKind.CLASSIFIER) {
            return classifierOnly("base", k, TWO_CLASSES);
        }
        LayerKeys.Cursor c = new LayerKeys.Cursor(k.height(), k.width(), k.inChannels(), k.batch());
        c.step(block(k));
        return new NetworkSpec("base", c.h, c.c, List.of(), List.of(), List.of(GlobalPoolBlock.avg()), TWO_CLASSES);
    }

    /**
     * A classifier on the key's input: after a (free) global pool on a 1x1 input, else on the flattened map after a
     * shape-keeping pool (a network needs one block; the probe and the base share it, so it cancels).
     */
    private static NetworkSpec classifierOnly(String name, LayerKey k, ClassifierSpec cls) {
        List<BlockSpec> head =
                List.of(k.height() == 1 ? GlobalPoolBlock.avg() : new PoolBlock(Op.PoolType.MAX, 3, 1, 1));
        return new NetworkSpec(name, k.height(), k.inChannels(), List.of(), List.of(), head, cls);
    }

    private static void square(LayerKey k) {
        if (k.height() != k.width()) {
            throw new IllegalArgumentException(
                    "key " + k + ": probes need a square input, got " + k.height() + "x" + k.width());
        }
    }
}
