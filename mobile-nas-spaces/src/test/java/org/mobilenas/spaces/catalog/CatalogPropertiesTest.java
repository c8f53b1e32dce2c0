package org.mobilenas.spaces.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.mobilenas.core.cost.Costs;

class CatalogPropertiesTest {

    @Property(tries = 40)
    void widerMobileNetV2NeverHasFewerParams(@ForAll @DoubleRange(min = 0.2, max = 1.9) double width) {
        long narrow = Costs.of(MobileNets.mobileNetV2(width, 96, 10)).params();
        long wide = Costs.of(MobileNets.mobileNetV2(width + 0.1, 96, 10)).params();
        assertThat(wide).isGreaterThanOrEqualTo(narrow);
    }

    @Property(tries = 40)
    void mnasNetB1BuildsAtAnyWidth(@ForAll @DoubleRange(min = 0.1, max = 2.0) double width) {
        Costs c = Costs.of(MnasNets.mnasNetB1(width, 64, 10));
        assertThat(c.params()).isPositive();
        assertThat(c.macs()).isPositive();
    }

    @Property(tries = 30)
    void mobileNetV1MacsGrowWithResolutionAndParamsDoNot(@ForAll @IntRange(min = 32, max = 256) int resolution) {
        Costs small = Costs.of(MobileNets.mobileNetV1(0.5, resolution, 10));
        Costs large = Costs.of(MobileNets.mobileNetV1(0.5, resolution + 32, 10));
        assertThat(large.params()).isEqualTo(small.params());
        assertThat(large.macs()).isGreaterThan(small.macs());
    }

    @Property(tries = 20)
    void tinyNetMacsAreBelowB0AtEveryResolution(@ForAll @IntRange(min = 64, max = 224) int resolution) {
        long b0 = Costs.of(EfficientNets.efficientNet(0, resolution, 10)).macs();
        for (char t = 'b'; t <= 'e'; t++) {
            assertThat(Costs.of(EfficientNets.tinyNet(t, resolution, 10)).macs())
                    .as("tinynet_" + t)
                    .isLessThan(b0);
        }
    }
}
