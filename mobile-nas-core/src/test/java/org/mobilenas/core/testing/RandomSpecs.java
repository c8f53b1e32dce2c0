package org.mobilenas.core.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
 * Random valid specs built from every block kind (with every shortcut kind, SE variant and activation), with
 * channel and stride combinations each kind accepts. Shared by the modules' property tests through this module's
 * test jar.
 *
 * <pre>{@code
 * NetworkSpec any = RandomSpecs.of(seed);
 * NetworkSpec onlyResidualConvs = RandomSpecs.of(seed, "residual_conv");
 * }</pre>
 */
public final class RandomSpecs {
    /** The JSON kind names of the blocks the stages are drawn from. */
    public static final List<String> KINDS =
            List.of("conv", "separable", "mbconv", "shuffle_v1", "shuffle_v2", "pool", "residual_conv");

    private static final Activation[] ACTS = Activation.values();

    private RandomSpecs() {}

    /** A random network whose stage blocks are of any kind. */
    public static NetworkSpec of(long seed) {
        return of(seed, null);
    }

    /** A random network whose stage blocks are all of {@code kind} (one of {@link #KINDS}; null for any). */
    public static NetworkSpec of(long seed, String kind) {
        int forced = kind == null ? -1 : KINDS.indexOf(kind);
        if (kind != null && forced < 0) {
            throw new IllegalArgumentException("kind " + kind + ": expected one of " + KINDS);
        }
        Random r = new Random(seed);
        int res = 6 + r.nextInt(12);
        int inC = 1 + r.nextInt(3);
        int[] state = {inC, res};
        List<BlockSpec> stem = new ArrayList<>();
        stem.add(track(state, ConvBlock.of(4 + r.nextInt(12), pick(r, 1, 3, 5, 7), 1 + r.nextInt(2), act(r))));
        List<StageSpec> stages = new ArrayList<>();
        int nStages = 1 + r.nextInt(3);
        for (int s = 0; s < nStages; s++) {
            List<BlockSpec> blocks = new ArrayList<>();
            int n = 1 + r.nextInt(3);
            for (int b = 0; b < n; b++) {
                blocks.add(track(state, block(r, state[0], state[1], forced)));
            }
            stages.add(new StageSpec("s" + s, blocks));
        }
        List<BlockSpec> head = new ArrayList<>();
        if (r.nextBoolean()) {
            head.add(track(state, new ConvBlock(8 * (1 + r.nextInt(3)), 1, 1, 1, act(r), true, false)));
        }
        if (r.nextInt(4) != 0) {
            head.add(new GlobalPoolBlock(r.nextBoolean() ? Op.PoolType.AVG : Op.PoolType.MAX));
        }
        ClassifierSpec cls = new ClassifierSpec(2 + r.nextInt(8), r.nextBoolean() ? 0.0 : 0.2, r.nextBoolean());
        return new NetworkSpec("random-" + seed, res, inC, stem, stages, head, cls);
    }

    private static BlockSpec track(int[] state, BlockSpec b) {
        int k = b instanceof PoolBlock p ? p.kernel() : 1;
        int pad = b instanceof PoolBlock p ? p.padding() : 0;
        state[0] = b.outChannels(state[0]);
        if (b instanceof PoolBlock) {
            state[1] = (state[1] + 2 * pad - k) / b.stride() + 1;
        } else {
            state[1] = (state[1] - 1) / b.stride() + 1;
        }
        return b;
    }

    private static int pick(Random r, int... values) {
        return values[r.nextInt(values.length)];
    }

    private static Activation act(Random r) {
        return ACTS[r.nextInt(ACTS.length)];
    }

    private static Skip skip(Random r, int stride, int in, int out) {
        return switch (r.nextInt(3)) {
            case 0 -> stride == 1 && out == in ? Skip.IDENTITY : Skip.NONE;
            case 1 -> Skip.POOL;
            default -> Skip.NONE;
        };
    }

    private static SqueezeExcite se(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> SqueezeExcite.mobileNetV3();
            case 1 -> SqueezeExcite.efficientNet(0.25);
            case 2 -> SqueezeExcite.mnasNet(0.5);
            default -> null;
        };
    }

    private static BlockSpec block(Random r, int c, int size, int forced) {
        int stride = size >= 3 && r.nextBoolean() ? 2 : 1;
        int kernel = pick(r, 1, 3, 5, 7);
        int kind = forced >= 0 ? forced : r.nextInt(KINDS.size() + 1);
        switch (kind) {
            case 0 -> {
                int g = c % 2 == 0 && r.nextBoolean() ? 2 : 1;
                return new ConvBlock(
                        g * (1 + r.nextInt(8)), kernel, stride, g, act(r), r.nextBoolean(), r.nextBoolean());
            }
            case 1 -> {
                return new SeparableConvBlock(2 + r.nextInt(14), kernel, stride, act(r), act(r));
            }
            case 2 -> {
                int out = stride == 1 && r.nextBoolean() ? c : 2 + r.nextInt(14);
                return new MBConvBlock(
                        out, kernel, stride, pick(r, 1, 2, 3, 6), 0, se(r), act(r), skip(r, stride, c, out));
            }
            case 3 -> {
                int g = pick(r, 1, 2, 3);
                if (c % g != 0) {
                    g = 1;
                }
                int mid = g * (1 + r.nextInt(3));
                int k = pick(r, 3, 5, 7);
                if (stride == 1) {
                    return new ShuffleV1Block(c, 1, g, true, mid, k);
                }
                return new ShuffleV1Block(c + g * (1 + r.nextInt(4)), 2, g, r.nextBoolean(), mid, k);
            }
            case 4 -> {
                int k = pick(r, 3, 5, 7);
                if (c % 2 == 0 && stride == 1) {
                    return new ShuffleV2Block(c, 1, k);
                }
                return new ShuffleV2Block(2 * (1 + r.nextInt(8)), 2, k);
            }
            case 5 -> {
                int k = size >= 3 ? pick(r, 2, 3) : 2;
                int pad = k == 3 ? r.nextInt(2) : 0;
                if (size < k) {
                    return new PoolBlock(Op.PoolType.MAX, 3, 1, 1);
                }
                return new PoolBlock(r.nextBoolean() ? Op.PoolType.MAX : Op.PoolType.AVG, k, stride, pad);
            }
            case 6 -> {
                int out = stride == 1 && r.nextBoolean() ? c : 2 + r.nextInt(14);
                int k = pick(r, 3, 5, 7);
                return new ResidualConvBlock(out, k, stride, se(r), act(r), skip(r, stride, c, out));
            }
            default -> {
                return ConvBlock.of(2 + r.nextInt(14), kernel, stride, act(r));
            }
        }
    }
}
