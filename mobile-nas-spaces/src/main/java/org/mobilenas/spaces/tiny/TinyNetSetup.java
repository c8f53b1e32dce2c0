package org.mobilenas.spaces.tiny;

import java.util.List;
import org.mobilenas.core.spec.Activation;
import org.mobilenas.core.spec.ClassifierSpec;
import org.mobilenas.core.spec.ConvBlock;
import org.mobilenas.core.spec.GlobalPoolBlock;
import org.mobilenas.core.spec.MBConvBlock;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.spec.SpecException;
import org.mobilenas.core.spec.SqueezeExcite;
import org.mobilenas.core.spec.StageSpec;
import org.mobilenas.core.tiny.ScaledNetwork;
import org.mobilenas.core.tiny.TinyScaler;
import org.mobilenas.spaces.catalog.EfficientNets;

/**
 * Recipes for {@link TinyScaler}: the paper's setting (EfficientNet-B0 base, TinyNet rounding rules), the
 * published TinyNet A–E as presets of that scaler, and a small EfficientNet-like base for 28–32 px inputs.
 *
 * <pre>{@code
 * TinyScaler scaler = TinyNetSetup.paper().build();          // EfficientNet-B0, 1000 classes, 224 px
 * NetworkSpec c = TinyNetSetup.preset('c').spec();           // == Catalog.get("tinynet_c")
 * TinyScaler small = TinyNetSetup.smallInput(10, 1, 28).build();
 * }</pre>
 */
public final class TinyNetSetup {
    private TinyNetSetup() {}

    /** EfficientNet-B0 (1000 classes, 224 px): the paper's base network. */
    public static NetworkSpec efficientNetB0() {
        return EfficientNets.efficientNet(0, 1000);
    }

    /** A scaler builder over EfficientNet-B0 with TinyNet's rules, exact MACs and a 3 % tolerance. */
    public static TinyScaler.Builder paper() {
        return TinyScaler.builder(efficientNetB0());
    }

    /** A scaler builder over EfficientNet-B0 for {@code numClasses} classes at {@code resolution} px. */
    public static TinyScaler.Builder paper(int numClasses, int resolution) {
        return TinyScaler.builder(EfficientNets.efficientNet(0, resolution, numClasses));
    }

    /**
     * TinyNet-{@code variant} ('a'..'e') as the paper's scaler builds it from its published (r, w, d), named
     * {@code tinynet_<variant>}: the same network as the catalogue's (timm's) {@code tinynet_<variant>}.
     */
    public static ScaledNetwork preset(char variant) {
        double[] rwd = EfficientNets.tinyNetMultipliers(variant);
        ScaledNetwork s = paper().build().scale(rwd[0], rwd[2], rwd[1]);
        return new ScaledNetwork(
                s.r(),
                s.d(),
                s.w(),
                s.spec().withName("tinynet_" + Character.toLowerCase(variant)),
                s.cost(),
                s.fraction());
    }

    /** All five presets, A to E. */
    public static List<ScaledNetwork> presets() {
        return List.of(preset('a'), preset('b'), preset('c'), preset('d'), preset('e'));
    }

    /**
     * A small EfficientNet-like base for small inputs (Fashion-MNIST, CIFAR): stem 3×3 s2 16, MBConv stages
     * (e1 k3 16 ×1, e4 k3 s2 24 ×2, e4 k5 s2 40 ×2, e4 k3 s1 48 ×2) with squeeze-excite and swish, head 1×1 256,
     * average pool, dropout 0.1. About 1.6 M MACs at 28 px.
     */
    public static NetworkSpec smallBase(int numClasses, int inputChannels, int resolution) {
        if (resolution < 8) {
            throw new SpecException("resolution " + resolution + " must be >= 8 for the small base");
        }
        SqueezeExcite se = SqueezeExcite.efficientNet(0.25);
        return NetworkSpec.builder("tiny_base_" + resolution, resolution, inputChannels)
                .stem(ConvBlock.of(16, 3, 2, Activation.SWISH))
                .stage(StageSpec.repeat(
                        "stage1", MBConvBlock.of(16, 3, 1, 1, Activation.SWISH).withSe(se), 1))
                .stage(StageSpec.repeat(
                        "stage2", MBConvBlock.of(24, 3, 2, 4, Activation.SWISH).withSe(se), 2))
                .stage(StageSpec.repeat(
                        "stage3", MBConvBlock.of(40, 5, 2, 4, Activation.SWISH).withSe(se), 2))
                .stage(StageSpec.repeat(
                        "stage4", MBConvBlock.of(48, 3, 1, 4, Activation.SWISH).withSe(se), 2))
                .head(ConvBlock.of(256, 1, 1, Activation.SWISH), GlobalPoolBlock.avg())
                .classifier(ClassifierSpec.of(numClasses, 0.1))
                .build();
    }

    /** A scaler builder over {@link #smallBase(int, int, int)} with TinyNet's rules. */
    public static TinyScaler.Builder smallInput(int numClasses, int inputChannels, int resolution) {
        return TinyScaler.builder(smallBase(numClasses, inputChannels, resolution));
    }
}
