package org.mobilenas.latency;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.mobilenas.core.graph.Op;
import org.mobilenas.core.search.Decision;
import org.mobilenas.core.search.Genotype;
import org.mobilenas.core.search.SearchSpace;
import org.mobilenas.core.spec.Activation;
import org.mobilenas.core.spec.BlockSpec;
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
import org.mobilenas.core.spec.StageSpec;

/** Small networks of every block kind, and a tiny MobileNetV2-style search space, for tests. */
public final class TestNets {
    private TestNets() {}

    /** Small MobileNetV2/V3-like network with SE, residuals and a separable first block. */
    public static NetworkSpec mobile(int width, int resolution) {
        return NetworkSpec.builder("mobile-" + width + "-" + resolution, resolution, 3)
                .stem(ConvBlock.of(width, 3, 2, Activation.HSWISH))
                .stage("s0", new SeparableConvBlock(width, 3, 1, Activation.RELU, Activation.NONE))
                .repeat(
                        "s1",
                        MBConvBlock.of(2 * width, 5, 2, 3, Activation.RELU6).withSe(SqueezeExcite.mobileNetV3()),
                        2)
                .repeat(
                        "s2",
                        MBConvBlock.of(3 * width, 3, 2, 6, Activation.SWISH).withSe(SqueezeExcite.efficientNet(0.25)),
                        2)
                .head(ConvBlock.of(8 * width, 1, 1, Activation.RELU6), GlobalPoolBlock.avg())
                .classifier(10, 0.2)
                .build();
    }

    /** A ShuffleNet-like network with both unit kinds and a max pool. */
    public static NetworkSpec shuffle(int resolution) {
        return NetworkSpec.builder("shuffle-" + resolution, resolution, 3)
                .stem(ConvBlock.of(24, 3, 2, Activation.RELU), new PoolBlock(Op.PoolType.MAX, 3, 2, 1))
                .stage(StageSpec.repeat("v1", new ShuffleV1Block(48, 2, 3, false, 0, 3), 2))
                .stage(StageSpec.repeat("v2", new ShuffleV2Block(96, 2, 3), 2))
                .head(ConvBlock.of(128, 1, 1, Activation.RELU), GlobalPoolBlock.avg())
                .classifier(10, 0.0)
                .build();
    }

    /**
     * A tiny MobileNetV2-style space: stem 16, three stages of depth 1-2 with kernel 3/5 and expand 3/6 per
     * block, and a width multiplier 0.5/1.0 for the whole network.
     */
    public static SearchSpace tinySpace(int resolution) {
        return new SearchSpace() {
            private final int[] channels = {16, 24, 32};
            private final List<Decision> decisions = build();

            private List<Decision> build() {
                List<Decision> d = new ArrayList<>();
                d.add(new Decision("width", List.of("0.5", "1.0")));
                for (int s = 0; s < 3; s++) {
                    d.add(new Decision("s" + s + ".depth", List.of("1", "2")));
                    for (int b = 0; b < 2; b++) {
                        d.add(new Decision("s" + s + ".b" + b + ".kernel", List.of("3", "5")));
                        d.add(new Decision("s" + s + ".b" + b + ".expand", List.of("3", "6")));
                    }
                }
                return d;
            }

            @Override
            public String name() {
                return "tiny-v2";
            }

            @Override
            public List<Decision> decisions() {
                return decisions;
            }

            @Override
            public NetworkSpec decode(Genotype g) {
                validate(g);
                double w = g.get(0) == 0 ? 0.5 : 1.0;
                NetworkSpec.Builder nb = NetworkSpec.builder("tiny-v2-" + g, resolution, 3)
                        .stem(ConvBlock.of((int) (16 * w), 3, 2, Activation.RELU6));
                int i = 1;
                for (int s = 0; s < 3; s++) {
                    int depth = g.get(i++) + 1;
                    List<BlockSpec> blocks = new ArrayList<>();
                    for (int b = 0; b < 2; b++) {
                        int k = g.get(i++) == 0 ? 3 : 5;
                        int e = g.get(i++) == 0 ? 3 : 6;
                        if (b < depth) {
                            MBConvBlock m =
                                    MBConvBlock.of((int) (channels[s] * w), k, b == 0 ? 2 : 1, e, Activation.RELU6);
                            blocks.add(b == 0 ? m : m.withSkip(Skip.IDENTITY));
                        }
                    }
                    nb.stage(new StageSpec("s" + s, blocks));
                }
                return nb.head(ConvBlock.of(64, 1, 1, Activation.RELU6), GlobalPoolBlock.avg())
                        .classifier(10, 0.0)
                        .build();
            }
        };
    }

    /** {@code n} distinct-seeded samples of a space. */
    public static List<NetworkSpec> samples(SearchSpace space, int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<NetworkSpec> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(space.decode(space.sample(rng)));
        }
        return out;
    }
}
