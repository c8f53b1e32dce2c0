package org.mobilenas.spaces.ofa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mobilenas.core.cost.Costs;
import org.mobilenas.core.ofa.ElasticSpace;
import org.mobilenas.core.ofa.ElasticSupernet;
import org.mobilenas.core.ofa.SubnetConfig;
import org.mobilenas.core.spec.MBConvBlock;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.spec.Skip;

class OfaSpacesTest {

    @Test
    void imagenetSpaceHasThePapersChoices() {
        ElasticSpace s = OfaSpaces.mobileNetV3(1000);
        assertThat(s.resolutions()).hasSize(25).startsWith(128, 132).endsWith(224);
        assertThat(s.stages()).extracting(st -> st.out()).containsExactly(24, 40, 80, 112, 160);
        assertThat(s.stages()).extracting(st -> st.se()).containsExactly(false, true, false, true, true);
        assertThat(s.slots()).isEqualTo(20);
        assertThat(s.encodingLength()).isEqualTo(20 * 6 + 25);
        // about 2 x 10^19 subnets per resolution: (3^4 + 9^3 ... ) -> sum over depths of 9^d per stage, ^5
        double perStage = Math.pow(9, 2) + Math.pow(9, 3) + Math.pow(9, 4);
        assertThat(Math.pow(perStage, 5)).isGreaterThan(1e19);
    }

    @Test
    void maxAndMinSubnetsHaveTheExpectedShapeAndCost() {
        ElasticSpace s = OfaSpaces.mobileNetV3(1000);
        NetworkSpec max = s.spec(s.maxConfig());
        NetworkSpec min = s.spec(s.minConfig());
        assertThat(max.resolution()).isEqualTo(224);
        assertThat(max.stages()).hasSize(6);
        assertThat(max.stages().get(1).blocks()).hasSize(4);
        MBConvBlock b = (MBConvBlock) max.stages().get(2).blocks().get(1);
        assertThat(b.kernel()).isEqualTo(7);
        assertThat(b.expandedChannels()).isEqualTo(240);
        assertThat(b.skip()).isEqualTo(Skip.IDENTITY);
        assertThat(b.se()).isNotNull();
        // stage 4 (112, stride 1) takes 80 channels, no residual on its first block
        MBConvBlock first112 = (MBConvBlock) max.stages().get(4).blocks().get(0);
        assertThat(first112.stride()).isEqualTo(1);
        assertThat(first112.skip()).isEqualTo(Skip.NONE);
        long maxMacs = Costs.of(max).macs();
        long minMacs = Costs.of(min).macs();
        assertThat(minMacs).isLessThan(maxMacs / 4);
        assertThat(max.graph().output().output().channels()).isEqualTo(1000);
    }

    @Test
    void smallVariantDownsamplesBy16AndSupportsASupernet() {
        ElasticSpace s = OfaSpaces.mobileNetV3Small(0.5, 1, 10);
        assertThat(s.resolutions()).containsExactly(20, 24, 28, 32);
        assertThat(s.stemStride()).isEqualTo(2);
        assertThat(s.stages().get(0).stride()).isEqualTo(1);
        NetworkSpec max = s.spec(s.maxConfig());
        assertThat(max.graph().node("head[0].conv").output().height()).isEqualTo(2);
        assertThat(s.spec(s.minConfig()).graph().node("head[0].conv").output().height())
                .isEqualTo(2);
        ElasticSupernet net = ElasticSupernet.create(s, 1);
        SubnetConfig c = net.sampleActiveSubnet(new SplittableRandom(2));
        assertThat(net.spec()).isEqualTo(s.spec(c));
        assertThatThrownBy(() -> OfaSpaces.mobileNetV3Small(0, 1, 10)).hasMessageContaining("width = 0.0");
        assertThat(List.of(s.headChannels(), s.featureChannels())).containsExactly(480, 640);
    }
}
