package org.mobilenas.latency;

import java.util.Locale;
import org.mobilenas.core.spec.Activation;
import org.mobilenas.core.spec.Skip;

/**
 * Everything that determines the latency of one fused layer (one block of a network, or its classifier) on a
 * device: the kind, the batch size, the input height, width and channels, the output channels, the kernel, the
 * stride, the expanded width, the groups, the squeeze-excite width, the activations and the shortcut
 * ({@link Skip}: none, identity or pooling). Fields a kind does not use are 0 (or {@link Activation#NONE},
 * {@link Skip#NONE}).
 *
 * <p>Per kind: {@code expanded} is the MBConv hidden width or the ShuffleNet v1 bottleneck width; {@code squeeze}
 * is the squeeze-excite width of an MBConv or residual conv (0 without SE) with {@code activation2} its activation
 * and {@code gate} its gate; for a separable conv {@code activation2} is the pointwise activation. {@code variant} holds small flags:
 * conv: bit 0 batch norm, bit 1 bias; ShuffleNet v1: bit 0 grouped first conv; pool: bit 0 max pooling, bits 1-2
 * padding; global pool: bit 0 max pooling; classifier: bit 0 bias.
 *
 * <p>A key packs losslessly into two longs ({@link #packedA()}, {@link #packedB()}) for fast table lookups.
 *
 * <pre>{@code
 * List<LayerKeys.Located> keys = LayerKeys.of(spec, 1);
 * LayerKey first = keys.get(0).key();     // conv b1 224x224x3->32 k3 s2 ...
 * }</pre>
 */
public record LayerKey(
        LayerKind kind,
        int batch,
        int height,
        int width,
        int inChannels,
        int outChannels,
        int kernel,
        int stride,
        int expanded,
        int groups,
        int squeeze,
        Activation activation,
        Activation activation2,
        Activation gate,
        Skip skip,
        int variant) {

    static final int MAX_BATCH = (1 << 10) - 1;
    static final int MAX_SIZE = (1 << 11) - 1;
    static final int MAX_CHANNELS = (1 << 14) - 1;
    static final int MAX_EXPANDED = (1 << 15) - 1;
    static final int MAX_GROUPS = (1 << 12) - 1;
    static final int MAX_SQUEEZE = (1 << 13) - 1;

    /** Checks the components (a bad one is an error naming it). */
    public LayerKey {
        if (kind == null) {
            throw new IllegalArgumentException(
                    "key.kind is missing, expected one of " + java.util.Arrays.toString(LayerKind.values()));
        }
        range("batch", batch, 1, MAX_BATCH);
        range("height", height, 1, MAX_SIZE);
        range("width", width, 1, MAX_SIZE);
        range("inChannels", inChannels, 1, MAX_CHANNELS);
        range("outChannels", outChannels, 1, MAX_CHANNELS);
        range("kernel", kernel, 0, 7);
        range("stride", stride, 0, 3);
        range("expanded", expanded, 0, MAX_EXPANDED);
        range("groups", groups, 0, MAX_GROUPS);
        range("squeeze", squeeze, 0, MAX_SQUEEZE);
        range("variant", variant, 0, 7);
        if (skip == null) {
            throw new IllegalArgumentException(
                    "key.skip is missing, expected one of " + java.util.Arrays.toString(Skip.values()));
        }
        if (activation == null || activation2 == null || gate == null) {
            throw new IllegalArgumentException("key activations must not be null (use NONE); got activation="
                    + activation + " activation2=" + activation2 + " gate=" + gate);
        }
    }

    private static void range(String field, int v, int min, int max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException("key." + field + " " + v + " not in [" + min + ", " + max + "]");
        }
    }

    /** First half of the packed form: kind, height, width, in/out channels, kernel, stride, skip. */
    public long packedA() {
        return packA(kind.ordinal(), height, width, inChannels, outChannels, kernel, stride, skip.ordinal());
    }

    /** Second half of the packed form: expanded, groups, squeeze, activations, variant, batch (never 0). */
    public long packedB() {
        return packB(
                expanded, groups, squeeze, activation.ordinal(), activation2.ordinal(), gate.ordinal(), variant, batch);
    }

    static long packA(int kind, int h, int w, int in, int out, int kernel, int stride, int skip) {
        return (long) kind
                | (long) h << 4
                | (long) w << 15
                | (long) in << 26
                | (long) out << 40
                | (long) kernel << 54
                | (long) stride << 57
                | (long) skip << 59;
    }

    static long packB(int expanded, int groups, int squeeze, int act, int act2, int gate, int variant, int batch) {
        return (long) expanded
                | (long) groups << 15
                | (long) squeeze << 27
                | (long) act << 40
                | (long) act2 << 43
                | (long) gate << 46
                | (long) variant << 49
                | (long) batch << 52;
    }

    /** The key of a packed pair. */
    public static LayerKey unpack(long a, long b) {
        Activation[] acts = Activation.values();
        return new LayerKey(
                LayerKind.values()[(int) (a & 0xF)],
                (int) (b >>> 52 & MAX_BATCH),
                (int) (a >>> 4 & MAX_SIZE),
                (int) (a >>> 15 & MAX_SIZE),
                (int) (a >>> 26 & MAX_CHANNELS),
                (int) (a >>> 40 & MAX_CHANNELS),
                (int) (a >>> 54 & 7),
                (int) (a >>> 57 & 3),
                (int) (b & MAX_EXPANDED),
                (int) (b >>> 15 & MAX_GROUPS),
                (int) (b >>> 27 & MAX_SQUEEZE),
                acts[(int) (b >>> 40 & 7)],
                acts[(int) (b >>> 43 & 7)],
                acts[(int) (b >>> 46 & 7)],
                Skip.values()[(int) (a >>> 59 & 3)],
                (int) (b >>> 49 & 7));
    }

    /** The same key with other channel counts (used by interpolation). */
    public LayerKey withChannels(int in, int out, int exp, int sq) {
        return new LayerKey(
                kind,
                batch,
                height,
                width,
                in,
                out,
                kernel,
                stride,
                exp,
                groups,
                sq,
                activation,
                activation2,
                gate,
                skip,
                variant);
    }

    /** The key without its channel counts: keys with equal signatures differ only in width. */
    public LayerKey signature() {
        return new LayerKey(
                kind,
                batch,
                height,
                width,
                1,
                1,
                kernel,
                stride,
                0,
                groups,
                0,
                activation,
                activation2,
                gate,
                skip,
                variant);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(kind.name().toLowerCase(Locale.ROOT));
        sb.append(" b")
                .append(batch)
                .append(' ')
                .append(height)
                .append('x')
                .append(width)
                .append('x')
                .append(inChannels)
                .append("->")
                .append(outChannels);
        if (kernel > 0) {
            sb.append(" k").append(kernel);
        }
        if (stride > 0) {
            sb.append(" s").append(stride);
        }
        if (expanded > 0) {
            sb.append(" e").append(expanded);
        }
        if (groups > 0) {
            sb.append(" g").append(groups);
        }
        if (squeeze > 0) {
            sb.append(" se")
                    .append(squeeze)
                    .append('(')
                    .append(activation2.name().toLowerCase(Locale.ROOT))
                    .append(',')
                    .append(gate.name().toLowerCase(Locale.ROOT))
                    .append(')');
        } else if (activation2 != Activation.NONE) {
            sb.append(" act2=").append(activation2.name().toLowerCase(Locale.ROOT));
        }
        if (activation != Activation.NONE) {
            sb.append(' ').append(activation.name().toLowerCase(Locale.ROOT));
        }
        if (skip != Skip.NONE) {
            sb.append(skip == Skip.IDENTITY ? " residual" : " poolskip");
        }
        if (variant != 0) {
            sb.append(" v").append(variant);
        }
        return sb.toString();
    }
}
