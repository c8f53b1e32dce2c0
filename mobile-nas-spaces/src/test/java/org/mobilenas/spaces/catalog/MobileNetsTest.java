package org.mobilenas.spaces.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.mobilenas.core.cost.Costs;

class MobileNetsTest {
    @Test
    void mobileNetV2MatchesTorchvision() {
        Costs c = Costs.of(MobileNets.mobileNetV2(1.0, 224, 1000));
        System.out.println(c.table());
        assertThat(c.params()).isEqualTo(3_504_872L);
        assertThat(c.macs() / 1e6).isCloseTo(300.8, within(3.0));
    }
}
