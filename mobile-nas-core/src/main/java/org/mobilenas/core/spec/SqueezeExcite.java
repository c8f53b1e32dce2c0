package org.mobilenas.core.spec;

/**
 * Squeeze-and-excitation: global average pool, 1x1 conv to a squeezed width (with bias), activation,
 * 1x1 conv back (with bias), gate, channel-wise multiply.
 *
 * @param ratio      squeezed width as a fraction of {@code base} channels, in (0, 1]
 * @param base       which channel count the ratio applies to
 * @param divisor    1: {@code max(1, floor(c * ratio))}; otherwise {@code MakeDivisible.of(c * ratio, divisor)}
 * @param activation activation after the squeeze conv
 * @param gate       gate applied before the multiply (SIGMOID or HSIGMOID)
 */
public record SqueezeExcite(double ratio, Base base, int divisor, Activation activation, Activation gate) {
    /** Channel count the squeeze ratio refers to. */
    public enum Base {
        /** The block's input channels (MnasNet, EfficientNet). */
        INPUT,
        /** The expanded channels (MobileNetV3). */
        EXPANDED
    }

    /** Checks the components (a bad one is an error naming it). */
    public SqueezeExcite {
        if (!Double.isFinite(ratio) || ratio <= 0 || ratio > 1) {
            throw new SpecException("se.ratio " + ratio + " must be in (0, 1]");
        }
        Checks.notNull("se.base", base);
        Checks.positive("se.divisor", divisor);
        Checks.notNull("se.activation", activation);
        Checks.notNull("se.gate", gate);
    }

    /** MobileNetV3: squeeze to make_divisible(expanded/4, 8), ReLU, hard-sigmoid gate. */
    public static SqueezeExcite mobileNetV3() {
        return new SqueezeExcite(0.25, Base.EXPANDED, 8, Activation.RELU, Activation.HSIGMOID);
    }

    /** EfficientNet: squeeze to max(1, input * ratio), swish, sigmoid gate. */
    public static SqueezeExcite efficientNet(double ratio) {
        return new SqueezeExcite(ratio, Base.INPUT, 1, Activation.SWISH, Activation.SIGMOID);
    }

    /** MnasNet: squeeze to max(1, input * ratio), ReLU, sigmoid gate. */
    public static SqueezeExcite mnasNet(double ratio) {
        return new SqueezeExcite(ratio, Base.INPUT, 1, Activation.RELU, Activation.SIGMOID);
    }

    /** Squeezed width for a block with {@code input} input and {@code expanded} expanded channels. */
    public int squeezeChannels(int input, int expanded) {
        double c = (base == Base.INPUT ? input : expanded) * ratio;
        return divisor == 1 ? Math.max(1, (int) Math.floor(c + 1e-9)) : MakeDivisible.of(c, divisor);
    }
}
