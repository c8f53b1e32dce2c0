package org.mobilenas.core.spec;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.mobilenas.core.json.JsonFormatException;
import org.mobilenas.core.json.SpecJson;

/** Absurd sizes are refused at validation, naming the field, instead of overflowing later. */
class SpecBoundsTest {
    private static NetworkSpec.Builder small(int res) {
        return NetworkSpec.builder("n", res, 3)
                .stem(ConvBlock.of(8, 3, 2, Activation.RELU))
                .head(GlobalPoolBlock.avg());
    }

    @Test
    void channelsResolutionExpansionAndClassesAreBounded() {
        assertThatThrownBy(() -> ConvBlock.of(1_000_000_000, 3, 1, Activation.RELU))
                .hasMessageContaining("conv.out 1000000000: expected 1..65536");
        assertThatThrownBy(() -> small(Integer.MAX_VALUE)
                        .classifier(ClassifierSpec.of(10, 0))
                        .build())
                .hasMessageContaining("resolution 2147483647: expected 1..8192");
        assertThatThrownBy(() -> MBConvBlock.of(16, 3, 1, 1e12, Activation.RELU6))
                .hasMessageContaining("mbconv.expandRatio 1.0E12: expected 1..64");
        assertThatThrownBy(() -> ClassifierSpec.of(1_000_000_000, 0))
                .hasMessageContaining("classifier.numClasses 1000000000: expected 2..100000");
        assertThatThrownBy(() -> new MBConvBlock(16, 3, 1, 1, 70_000, null, Activation.RELU, Skip.NONE))
                .hasMessageContaining("mbconv.expandedChannels 70000");
    }

    @Test
    void aDerivedTensorTooLargeIsRefusedWithItsBlock() {
        // 8192 x 8192 x 64 channels = 4.3e9 elements: more than a tensor can hold
        assertThatThrownBy(() -> NetworkSpec.builder("big", 8192, 3)
                        .stem(ConvBlock.of(64, 3, 1, Activation.RELU))
                        .head(GlobalPoolBlock.avg())
                        .classifier(ClassifierSpec.of(10, 0))
                        .build())
                .hasMessageContaining("stem")
                .hasMessageContaining("elements: expected at most");
    }

    @Test
    void absurdJsonValuesAreRefusedWithTheirPath() {
        String json =
                SpecJson.toJson(small(32).classifier(ClassifierSpec.of(10, 0)).build());
        String huge = json.replaceFirst("\"out\" : 8", "\"out\" : 1000000000");
        assertThatThrownBy(() -> SpecJson.fromJson(huge))
                .isInstanceOf(JsonFormatException.class)
                .hasMessageContaining("conv.out 1000000000: expected 1..65536");
    }
}
