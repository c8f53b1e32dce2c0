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
import org.mobilenas.core.spec.SeparableConvBlock;
import org.mobilenas.core.spec.ShuffleV1Block;
import org.mobilenas.core.spec.ShuffleV2Block;
import org.mobilenas.core.spec.Skip;
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

    private Probes() {
    }

    /** The block a key stands for (the classifier key has none: {@link IllegalArgumentException}). */
    public static BlockSpec block(LayerKey k) {
        Activation act = k.activation();
        return switch (k.kind()) {
            case CONV -> new ConvBlock(k.outChannels(), k.kernel(), k.stride(), k.groups(), act,
                    (k.variant() & 1) != 0, (k.variant() & 2) != 0);
            case SEPARABLE -> new SeparableConvBlock(k.outChannels(), k.kernel(), k.stride(), act, k.activation2());
            case MBCONV -> new MBConvBlock(k.outChannels(), k.kernel(), k.stride(), 1.0, k.expanded(),
                    k.squeeze() == 0 ? null : new SqueezeExcite(Math.min(1.0, (double) k.squeeze() / k.expanded()),
                            SqueezeExcite.Base.EXPANDED, 1, k.activation2(), k.gate()),
                    act, k.residual() ? Skip.IDENTITY : Skip.NONE);
            case SHUFFLE_V1 -> new ShuffleV1Block(k.outChannels(), k.stride(), k.groups(), (k.variant() & 1) != 0,
                    k.expanded(), k.kernel());
            case SHUFFLE_V2 -> new ShuffleV2Block(k.outChannels(), k.stride(), k.kernel());
            case POOL -> new PoolBlock((k.variant() & 1) != 0 ? Op.PoolType.MAX : Op.PoolType.AVG, k.kernel(),
                    k.stride(), k.variant() >> 1);
            case GLOBAL_POOL -> new GlobalPoolBlock((k.variant() & 1) != 0 ? Op.PoolType.MAX : Op.PoolType.AVG);
            case CLASSIFIER -> throw new IllegalArgumentException("key " + k + ": a classifier is not a block");
        };
    }

    /** The network whose latency minus the {@link #base} network's is the key's latency. */
    public static NetworkSpec probe(LayerKey k) {
        square(k);
        if (k.kind() == LayerKind.CLASSIFIER) {
            return new NetworkSpec("probe", 1, k.inChannels(), List.of(), List.of(), List.of(GlobalPoolBlock.avg()),
                    new ClassifierSpec(k.outChannels(), 0.0, (k.variant() & 1) != 0));
        }
        return new NetworkSpec("probe", k.height(), k.inChannels(), List.of(block(k)), List.of(),
                List.of(GlobalPoolBlock.avg()), TWO_CLASSES);
    }

    /** The pool and classifier of the {@link #probe} alone, on the key's output shape. */
    public static NetworkSpec base(LayerKey k) {
        square(k);
        if (k.kind() == LayerKind.CLASSIFIER) {
            return new NetworkSpec("base", 1, k.inChannels(), List.of(), List.of(), List.of(GlobalPoolBlock.avg()),
                    TWO_CLASSES);
        }
        LayerKeys.Cursor c = new LayerKeys.Cursor(k.height(), k.width(), k.inChannels(), k.batch());
        c.step(block(k));
        return new NetworkSpec("base", c.h, c.c, List.of(), List.of(), List.of(GlobalPoolBlock.avg()), TWO_CLASSES);
    }

    private static void square(LayerKey k) {
        if (k.height() != k.width()) {
            throw new IllegalArgumentException("key " + k + ": probes need a square input, got " + k.height()
                    + "x" + k.width());
        }
        if (k.kind() == LayerKind.CLASSIFIER && k.height() != 1) {
            throw new IllegalArgumentException("key " + k + ": a classifier can be measured on a 1x1 input only"
                    + " (a global pool before it), got " + k.height() + "x" + k.width());
        }
    }
}
