package org.mobilenas.spaces.ofa;

import java.util.ArrayList;
import java.util.List;
import org.mobilenas.core.ofa.ElasticSpace;
import org.mobilenas.core.ofa.ElasticStage;
import org.mobilenas.core.spec.Activation;
import org.mobilenas.core.spec.MakeDivisible;

/**
 * Once-for-All's elastic MobileNetV3 space ({@code ofa_mbv3_d234_e346_k357_w1.0}): stem 3x3 16 hard-swish stride 2,
 * a fixed 3x3 first block of 16 channels, five elastic stages (24 s2 ReLU, 40 s2 ReLU SE, 80 s2 hard-swish,
 * 112 s1 hard-swish SE, 160 s2 hard-swish SE) with depth {2, 3, 4}, kernel {3, 5, 7} and expand {3, 4, 6} per
 * block, a 960-wide 1x1 head, a 1280-wide feature layer, dropout 0.1, resolution 128–224 in steps of 4.
 * The small-input variant for 28–32 px data keeps the layout with a stride-1 first stage, so the network
 * downsamples by 16 instead of 32 (32 px ends at 2x2 before pooling), and resolutions 20–32 in steps of 4
 * (128 / 224 of 32 px is about 18; 20 is the nearest multiple of 4 that keeps a 2x2 map before pooling).
 *
 * <pre>{@code
 * ElasticSpace imagenet = OfaSpaces.mobileNetV3(1000);
 * ElasticSpace fashion = OfaSpaces.mobileNetV3Small(0.5, 1, 10);
 * }</pre>
 */
public final class OfaSpaces {
    private OfaSpaces() {}

    /** Output width, stride, hard-swish, SE of the five elastic stages. */
    private static final int[][] STAGES = {{24, 2, 0, 0}, {40, 2, 0, 1}, {80, 2, 1, 0}, {112, 1, 1, 1}, {160, 2, 1, 1}};

    /** The paper's space for 3-channel ImageNet-sized input with {@code numClasses} classes. */
    public static ElasticSpace mobileNetV3(int numClasses) {
        return build("ofa_mbv3_d234_e346_k357_w1.0", 1.0, 3, numClasses, range(128, 224, 4), 2, false);
    }

    /**
     * The small-input variant at width multiplier {@code width} (channels {@code make_divisible(c * width, 8)}):
     * stride-1 first elastic stage (downsampling by 16), resolutions 20, 24, 28, 32.
     */
    public static ElasticSpace mobileNetV3Small(double width, int inputChannels, int numClasses) {
        if (!(width > 0) || !Double.isFinite(width)) {
            throw new IllegalArgumentException("width = " + width + ", expected a finite value > 0");
        }
        String w = String.valueOf(width);
        return build(
                "ofa_mbv3_small_d234_e346_k357_w" + w, width, inputChannels, numClasses, range(20, 32, 4), 2, true);
    }

    private static List<Integer> range(int from, int to, int step) {
        List<Integer> out = new ArrayList<>();
        for (int r = from; r <= to; r += step) {
            out.add(r);
        }
        return out;
    }

    private static ElasticSpace build(
            String name,
            double width,
            int inputChannels,
            int numClasses,
            List<Integer> resolutions,
            int stemStride,
            boolean small) {
        List<ElasticStage> stages = new ArrayList<>();
        for (int i = 0; i < STAGES.length; i++) {
            int stride = small && i == 0 ? 1 : STAGES[i][1];
            stages.add(new ElasticStage(
                    "stage" + (i + 1),
                    MakeDivisible.of8(STAGES[i][0] * width),
                    stride,
                    STAGES[i][2] == 1 ? Activation.HSWISH : Activation.RELU,
                    STAGES[i][3] == 1));
        }
        int c16 = MakeDivisible.of8(16 * width);
        return new ElasticSpace(
                name,
                inputChannels,
                numClasses,
                resolutions,
                c16,
                stemStride,
                c16,
                stages,
                List.of(2, 3, 4),
                List.of(3, 5, 7),
                List.of(3, 4, 6),
                MakeDivisible.of8(960 * width),
                MakeDivisible.of8(1280 * width),
                0.1);
    }
}
