package org.mobilenas.core.cost;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mobilenas.core.json.Json;
import org.mobilenas.core.spec.Activation;
import org.mobilenas.core.spec.ConvBlock;
import org.mobilenas.core.spec.GlobalPoolBlock;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.spec.SeparableConvBlock;
import org.mobilenas.core.spec.TestSpecs;

class CostsTest {
    @Test
    void pointwiseMemoryAccessFollowsShuffleNetV2() {
        // 1x1 conv without BN/activation on 8x8x16 -> 32: MAC = hw(c1 + c2) + c1*c2
        NetworkSpec s = NetworkSpec.builder("pw", 8, 16)
                .stage("a", new ConvBlock(32, 1, 1, 1, Activation.NONE, false, false))
                .head(GlobalPoolBlock.avg())
                .classifier(10, 0)
                .build();
        LayerCost pw = Costs.of(s).layers().get(0);
        assertThat(pw.macs()).isEqualTo(8L * 8 * 16 * 32);
        assertThat(pw.memoryAccess()).isEqualTo(8L * 8 * (16 + 32) + 16L * 32);
        assertThat(pw.params()).isEqualTo(16L * 32);
    }

    @Test
    void depthwiseAndGroupedMacsUseTheGroupConvention() {
        NetworkSpec s = NetworkSpec.builder("dw", 16, 8)
                .stage("a", new SeparableConvBlock(16, 3, 2, Activation.RELU, Activation.RELU))
                .stage("b", new ConvBlock(32, 3, 1, 4, Activation.RELU, true, false))
                .head(GlobalPoolBlock.avg())
                .classifier(10, 0)
                .build();
        Costs c = Costs.of(s);
        LayerCost dw = c.layers().stream()
                .filter(l -> l.name().equals("stages[0].blocks[0].dw.conv"))
                .findFirst()
                .orElseThrow();
        assertThat(dw.macs()).isEqualTo(8L * 8 * 8 * 9);
        assertThat(dw.op()).isEqualTo("dwconv3x3/s2");
        LayerCost g = c.layers().stream()
                .filter(l -> l.name().equals("stages[1].blocks[0].conv"))
                .findFirst()
                .orElseThrow();
        assertThat(g.macs()).isEqualTo(8L * 8 * 32 * (16 / 4) * 9);
        assertThat(g.params()).isEqualTo(32L * 4 * 9);
    }

    @Test
    void totalsAreSumsOfLayersAndPeakCoversTheResidual() {
        Costs c = Costs.of(TestSpecs.everyKind());
        assertThat(c.macs())
                .isEqualTo(c.layers().stream().mapToLong(LayerCost::macs).sum());
        assertThat(c.params())
                .isEqualTo(c.layers().stream().mapToLong(LayerCost::params).sum());
        long largest = c.layers().stream()
                .mapToLong(LayerCost::activationElements)
                .max()
                .orElseThrow();
        assertThat(c.peakActivationElements()).isGreaterThanOrEqualTo(largest + 32L * 32 * 3);
        assertThat(c.peakActivationBytes()).isEqualTo(4 * c.peakActivationElements());
        assertThat(c.table()).contains("stages[1].blocks[0].se.reduce.conv").contains("total:");
    }

    @Test
    void writesJsonWithPerLayerRows() throws Exception {
        Costs c = Costs.of(TestSpecs.everyKind());
        var tree = Json.mapper().readTree(Json.write(c));
        assertThat(tree.get("macs").asLong()).isEqualTo(c.macs());
        assertThat(tree.get("memoryAccessBytes").asLong()).isEqualTo(c.memoryAccessBytes());
        assertThat(tree.get("layers").size()).isEqualTo(c.layers().size());
        assertThat(tree.get("layers").get(0).get("name").asText()).isEqualTo("stem[0].conv");
    }
}
