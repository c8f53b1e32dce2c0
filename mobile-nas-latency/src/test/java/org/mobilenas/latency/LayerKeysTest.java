package org.mobilenas.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.mobilenas.core.cost.Costs;
import org.mobilenas.core.cost.LayerCost;
import org.mobilenas.core.spec.Activation;
import org.mobilenas.core.spec.NetworkSpec;

class LayerKeysTest {

    @Property(tries = 200)
    void packingIsLossless(@ForAll @IntRange(min = 1, max = 1023) int batch,
                           @ForAll @IntRange(min = 1, max = 2047) int h,
                           @ForAll @IntRange(min = 1, max = 16383) int in,
                           @ForAll @IntRange(min = 1, max = 16383) int out,
                           @ForAll @IntRange(min = 0, max = 32767) int exp,
                           @ForAll @IntRange(min = 0, max = 8191) int sq,
                           @ForAll @IntRange(min = 0, max = 7) int variant,
                           @ForAll LayerKind kind, @ForAll Activation act, @ForAll Activation gate,
                           @ForAll boolean residual) {
        LayerKey k = new LayerKey(kind, batch, h, h + 1 > 2047 ? h : h + 1, in, out, 7, 3, exp, 4095, sq, act,
                Activation.NONE, gate, residual, variant);
        assertThat(LayerKey.unpack(k.packedA(), k.packedB())).isEqualTo(k);
        assertThat(k.packedB()).isNotZero();
    }

    @Test
    void outOfRangeFieldsAreNamed() {
        assertThatThrownBy(() -> new LayerKey(LayerKind.CONV, 1, 8, 8, 20000, 8, 3, 1, 0, 1, 0, Activation.RELU,
                Activation.NONE, Activation.NONE, false, 0)).hasMessage("key.inChannels 20000 not in [1, 16383]");
        assertThatThrownBy(() -> LayerKeys.of(TestNets.mobile(8, 32), 0)).hasMessageContaining("batch 0");
    }

    @Test
    void oneKeyPerBlockAndTheClassifier() {
        NetworkSpec spec = TestNets.mobile(8, 32);
        List<LayerKeys.Located> keys = LayerKeys.of(spec, 1);
        assertThat(keys).hasSize(LayerKeys.count(spec));
        assertThat(keys.get(0).layer()).isEqualTo("stem[0]");
        assertThat(keys.get(0).key().toString()).isEqualTo("conv b1 32x32x3->8 k3 s2 g1 hswish v1");
        assertThat(keys.get(keys.size() - 1).layer()).isEqualTo("classifier");
        assertThat(keys.get(keys.size() - 1).key().kind()).isEqualTo(LayerKind.CLASSIFIER);
        LayerKey repeat = keys.get(3).key();
        assertThat(repeat.kind()).isEqualTo(LayerKind.MBCONV);
        assertThat(repeat.residual()).isTrue();
        assertThat(repeat.squeeze()).isPositive();
    }

    /** The probe of each key contains exactly the operations of its block: shapes and rebuilt blocks agree. */
    @Test
    void probesReproduceEachBlockOfTheNetwork() {
        for (NetworkSpec spec : List.of(TestNets.mobile(8, 32), TestNets.mobile(16, 64), TestNets.shuffle(64),
                TestNets.tinySpace(48).decode(TestNets.tinySpace(48).sample(new java.util.SplittableRandom(3))))) {
            Map<String, long[]> perBlock = new TreeMap<>();
            for (LayerCost c : Costs.of(spec).layers()) {
                String block = blockOf(c.name());
                perBlock.computeIfAbsent(block, b -> new long[2]);
                perBlock.get(block)[0] += c.macs();
                perBlock.get(block)[1] += c.params();
            }
            for (LayerKeys.Located k : LayerKeys.of(spec, 1)) {
                Costs probe = Costs.of(Probes.probe(k.key()));
                Costs base = Costs.of(Probes.base(k.key()));
                long[] expected = perBlock.get(k.layer());
                // The classifier is probed as (C -> K) minus the base's (C -> 2) classifier.
                boolean cls = k.key().kind() == LayerKind.CLASSIFIER;
                long c = k.key().inChannels();
                assertThat(probe.macs() - base.macs() + (cls ? 2 * c : 0)).as(spec.name() + " " + k.layer())
                        .isEqualTo(expected[0]);
                assertThat(probe.params() - base.params() + (cls ? 2 * c + 2 : 0)).as(spec.name() + " " + k.layer())
                        .isEqualTo(expected[1]);
            }
        }
    }

    private static String blockOf(String node) {
        if (node.startsWith("stages[")) {
            int first = node.indexOf(']');
            return node.substring(0, node.indexOf(']', first + 1) + 1);
        }
        return node.substring(0, node.indexOf('.'));
    }

    @Test
    void aClassifierOnAWideInputCannotBeProbed() {
        LayerKey k = new LayerKey(LayerKind.CLASSIFIER, 1, 4, 4, 8, 10, 0, 0, 0, 0, 0, Activation.NONE,
                Activation.NONE, Activation.NONE, false, 1);
        assertThatThrownBy(() -> Probes.probe(k)).hasMessageContaining("1x1 input");
    }
}
