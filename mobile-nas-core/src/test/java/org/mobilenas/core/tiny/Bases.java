package org.mobilenas.core.tiny;

import java.util.ArrayList;
import java.util.List;
import org.mobilenas.core.spec.Activation;
import org.mobilenas.core.spec.ClassifierSpec;
import org.mobilenas.core.spec.ConvBlock;
import org.mobilenas.core.spec.GlobalPoolBlock;
import org.mobilenas.core.spec.MBConvBlock;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.spec.SqueezeExcite;
import org.mobilenas.core.spec.StageSpec;

/** Base networks for the tests of this package. */
final class Bases {
    private Bases() {}

    /** The EfficientNet-B0 skeleton (224 px, 1000 classes): stem 32, seven MBConv stages with SE, head 1280. */
    static NetworkSpec b0() {
        int[][] rows = {
            {1, 3, 1, 1, 16},
            {2, 3, 2, 6, 24},
            {2, 5, 2, 6, 40},
            {3, 3, 2, 6, 80},
            {3, 5, 1, 6, 112},
            {4, 5, 2, 6, 192},
            {1, 3, 1, 6, 320}
        };
        List<StageSpec> stages = new ArrayList<>();
        for (int[] s : rows) {
            MBConvBlock first =
                    MBConvBlock.of(s[4], s[1], s[2], s[3], Activation.SWISH).withSe(SqueezeExcite.efficientNet(0.25));
            stages.add(StageSpec.repeat("stage" + (stages.size() + 1), first, s[0]));
        }
        return new NetworkSpec(
                "b0",
                224,
                3,
                List.of(ConvBlock.of(32, 3, 2, Activation.SWISH)),
                stages,
                List.of(ConvBlock.of(1280, 1, 1, Activation.SWISH), GlobalPoolBlock.avg()),
                ClassifierSpec.of(1000, 0.2));
    }
}
