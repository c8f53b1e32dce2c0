package org.mobilenas.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mobilenas.core.cost.Costs;
import org.mobilenas.core.engine.Model;
import org.mobilenas.core.engine.Network;
import org.mobilenas.core.engine.Tensor;
import org.mobilenas.core.graph.Node;
import org.mobilenas.core.json.SpecJson;

class PoolSkipAndResidualConvTest {

    private static NetworkSpec net(BlockSpec... blocks) {
        return NetworkSpec.builder("t", 8, 3)
                .stem(ConvBlock.of(8, 3, 1, Activation.RELU))
                .stage("s", blocks)
                .head(GlobalPoolBlock.avg())
                .classifier(4, 0)
                .build();
    }

    @Test
    void poolSkipDownsamplesAndProjects() {
        NetworkSpec spec = net(new MBConvBlock(16, 3, 2, 3, 0, null, Activation.RELU, Skip.POOL));
        List<String> names = spec.graph().nodes().stream().map(Node::name).toList();
        assertThat(names)
                .contains(
                        "stages[0].blocks[0].skip.pool",
                        "stages[0].blocks[0].skip.proj.conv",
                        "stages[0].blocks[0].skip.proj.bn",
                        "stages[0].blocks[0].add");
        NetworkSpec plain = net(new MBConvBlock(16, 3, 2, 3, 0, null, Activation.RELU, Skip.NONE));
        // 1x1 projection 8->16 (no bias) + BN (2·16)
        assertThat(Costs.of(spec).params() - Costs.of(plain).params()).isEqualTo(8 * 16 + 32);
    }

    @Test
    void poolSkipWithMatchingShapesIsTheIdentity() {
        NetworkSpec pool = net(new MBConvBlock(8, 3, 1, 3, 0, null, Activation.RELU, Skip.POOL));
        NetworkSpec id = net(new MBConvBlock(8, 3, 1, 3, 0, null, Activation.RELU, Skip.IDENTITY));
        assertThat(pool.graph().nodes().stream().map(Node::name).toList())
                .isEqualTo(id.graph().nodes().stream().map(Node::name).toList());
    }

    @Test
    void residualConvLowersToConvSeAndShortcut() {
        NetworkSpec spec =
                net(new ResidualConvBlock(8, 5, 1, SqueezeExcite.mnasNet(0.25), Activation.RELU, Skip.IDENTITY));
        List<String> names = spec.graph().nodes().stream().map(Node::name).toList();
        assertThat(names)
                .contains(
                        "stages[0].blocks[0].conv",
                        "stages[0].blocks[0].bn",
                        "stages[0].blocks[0].act",
                        "stages[0].blocks[0].se.scale",
                        "stages[0].blocks[0].add");
        // conv 8·8·25 + BN 16 + SE (8->2 with bias, 2->8 with bias)
        NetworkSpec none = net(new ResidualConvBlock(8, 5, 1, null, Activation.RELU, Skip.NONE));
        assertThat(Costs.of(spec).params() - Costs.of(none).params()).isEqualTo(8 * 2 + 2 + 2 * 8 + 8);
        NetworkSpec asConv = net(ConvBlock.of(8, 5, 1, Activation.RELU));
        assertThat(Costs.of(none).params()).isEqualTo(Costs.of(asConv).params());
        assertThat(Costs.of(none).macs()).isEqualTo(Costs.of(asConv).macs());
    }

    @Test
    void newBlocksRoundTripThroughJsonAndRun() {
        NetworkSpec spec = net(
                new ResidualConvBlock(16, 3, 2, null, Activation.RELU, Skip.POOL),
                new MBConvBlock(16, 3, 1, 3, 0, SqueezeExcite.mnasNet(0.25), Activation.RELU, Skip.POOL),
                new MBConvBlock(24, 5, 2, 1, 0, null, Activation.RELU, Skip.POOL));
        assertThat(SpecJson.fromJson(SpecJson.toJson(spec))).isEqualTo(spec);
        assertThat(SpecJson.toJson(spec)).contains("\"residual_conv\"").contains("\"POOL\"");
        Model m = Network.realize(spec, 3);
        Tensor x = new Tensor(2, 8, 8, 3);
        for (int i = 0; i < x.data.length; i++) {
            x.data[i] = (float) Math.sin(i);
        }
        Tensor y = m.forward(x, Model.Mode.TRAIN);
        assertThat(y.c).isEqualTo(4);
        m.backward(new Tensor(new float[] {1, 0, 0, 0, 0, 1, 0, 0}, 2, 1, 1, 4));
    }

    @Test
    void invalidSettingsAreNamed() {
        assertThatThrownBy(() -> new ResidualConvBlock(8, 3, 2, null, Activation.RELU, Skip.IDENTITY))
                .hasMessageContaining("residual_conv.skip IDENTITY needs stride 1");
        assertThatThrownBy(() -> new ResidualConvBlock(8, 4, 1, null, Activation.RELU, Skip.NONE))
                .hasMessageContaining("residual_conv.kernel 4 not in [1, 3, 5, 7]");
        assertThatThrownBy(() -> net(new ResidualConvBlock(16, 3, 1, null, Activation.RELU, Skip.IDENTITY)))
                .hasMessageContaining("skip IDENTITY needs input channels == out, got 8 -> 16");
    }
}
