package org.mobilenas.core.spec;

import org.mobilenas.core.graph.Op;

/** Small specs covering every block kind, shared by the core tests. */
public final class TestSpecs {
    private TestSpecs() {}

    /** A 32x32 network using every block kind. */
    public static NetworkSpec everyKind() {
        return NetworkSpec.builder("every-kind", 32, 3)
                .stem(ConvBlock.of(16, 3, 1, Activation.RELU), new PoolBlock(Op.PoolType.MAX, 3, 2, 1))
                .stage("sep", new SeparableConvBlock(24, 3, 1, Activation.RELU6, Activation.NONE))
                .stage(
                        "mb",
                        MBConvBlock.of(24, 5, 1, 3, Activation.HSWISH)
                                .withSkip(Skip.IDENTITY)
                                .withSe(SqueezeExcite.mobileNetV3()),
                        MBConvBlock.of(32, 3, 2, 6, Activation.SWISH).withSe(SqueezeExcite.efficientNet(0.25)))
                .stage("v1", new ShuffleV1Block(96, 2, 2, false, 0, 3), new ShuffleV1Block(96, 1, 2, true, 0, 3))
                .stage("v2", new ShuffleV2Block(64, 2, 3), new ShuffleV2Block(64, 1, 3))
                .head(new ConvBlock(128, 1, 1, 2, Activation.RELU, true, false), GlobalPoolBlock.avg())
                .classifier(10, 0.2)
                .build();
    }
}
