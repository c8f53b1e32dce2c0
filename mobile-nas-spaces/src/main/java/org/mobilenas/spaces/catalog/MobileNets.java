package org.mobilenas.spaces.catalog;

import java.util.ArrayList;
import java.util.List;
import org.mobilenas.core.spec.Activation;
import org.mobilenas.core.spec.BlockSpec;
import org.mobilenas.core.spec.ClassifierSpec;
import org.mobilenas.core.spec.ConvBlock;
import org.mobilenas.core.spec.GlobalPoolBlock;
import org.mobilenas.core.spec.MBConvBlock;
import org.mobilenas.core.spec.MakeDivisible;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.spec.Skip;
import org.mobilenas.core.spec.StageSpec;

/** MobileNet V2 (torchvision layout). */
public final class MobileNets {
    private MobileNets() {
    }

    /** (t, c, n, s) rows of MobileNetV2. */
    private static final int[][] V2 = {
        {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}
    };

    /**
     * MobileNetV2 with width multiplier {@code width} at {@code resolution}, torchvision's layout: channels
     * rounded with make_divisible(8), head 1280 (kept at 1280 when width &lt; 1), dropout 0.2.
     */
    public static NetworkSpec mobileNetV2(double width, int resolution, int numClasses) {
        int stem = MakeDivisible.of8(32 * width);
        int in = stem;
        List<StageSpec> stages = new ArrayList<>();
        for (int i = 0; i < V2.length; i++) {
            int t = V2[i][0];
            int c = MakeDivisible.of8(V2[i][1] * width);
            List<BlockSpec> blocks = new ArrayList<>();
            for (int k = 0; k < V2[i][2]; k++) {
                int s = k == 0 ? V2[i][3] : 1;
                Skip skip = s == 1 && in == c ? Skip.IDENTITY : Skip.NONE;
                blocks.add(MBConvBlock.of(c, 3, s, t, Activation.RELU6).withSkip(skip));
                in = c;
            }
            stages.add(new StageSpec("stage" + (i + 1), blocks));
        }
        int last = MakeDivisible.of8(1280 * Math.max(1.0, width));
        return new NetworkSpec(String.format(java.util.Locale.ROOT, "mobilenet_v2_%.2f_%d", width, resolution),
                resolution, 3, List.of(ConvBlock.of(stem, 3, 2, Activation.RELU6)), stages,
                List.of(ConvBlock.of(last, 1, 1, Activation.RELU6), GlobalPoolBlock.avg()),
                ClassifierSpec.of(numClasses, 0.2));
    }
}
