package org.mobilenas.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.mobilenas.core.cost.Costs;
import org.mobilenas.core.cost.LayerCost;
import org.mobilenas.core.spec.Activation;
import org.mobilenas.core.spec.BlockSpec;
import org.mobilenas.core.spec.ConvBlock;
import org.mobilenas.core.spec.MBConvBlock;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.spec.ResidualConvBlock;
import org.mobilenas.core.spec.Skip;
import org.mobilenas.core.testing.RandomSpecs;
import org.mobilenas.latency.measure.DeviceInfo;
import org.mobilenas.latency.table.LatencyTable;
import org.mobilenas.latency.table.TableLatencyModel;

class LayerKeysTest {

    @Property(tries = 200)
    void packingIsLossless(
            @ForAll @IntRange(min = 1, max = 1023) int batch,
            @ForAll @IntRange(min = 1, max = 2047) int h,
            @ForAll @IntRange(min = 1, max = 16383) int in,
            @ForAll @IntRange(min = 1, max = 16383) int out,
            @ForAll @IntRange(min = 0, max = 32767) int exp,
            @ForAll @IntRange(min = 0, max = 8191) int sq,
            @ForAll @IntRange(min = 0, max = 7) int variant,
            @ForAll LayerKind kind,
            @ForAll Activation act,
            @ForAll Activation gate,
            @ForAll Skip skip) {
        LayerKey k = new LayerKey(
                kind,
                batch,
                h,
                h + 1 > 2047 ? h : h + 1,
                in,
                out,
                7,
                3,
                exp,
                4095,
                sq,
                act,
                Activation.NONE,
                gate,
                skip,
                variant);
        assertThat(LayerKey.unpack(k.packedA(), k.packedB())).isEqualTo(k);
        assertThat(k.packedB()).isNotZero();
    }

    @Test
    void outOfRangeFieldsAreNamed() {
        assertThatThrownBy(() -> new LayerKey(
                        LayerKind.CONV,
                        1,
                        8,
                        8,
                        20000,
                        8,
                        3,
                        1,
                        0,
                        1,
                        0,
                        Activation.RELU,
                        Activation.NONE,
                        Activation.NONE,
                        Skip.NONE,
                        0))
                .hasMessage("key.inChannels 20000 not in [1, 16383]");
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
        assertThat(repeat.skip()).isEqualTo(Skip.IDENTITY);
        assertThat(repeat.squeeze()).isPositive();
    }

    /** The probe of each key contains exactly the operations of its block: shapes and rebuilt blocks agree. */
    @Test
    void probesReproduceEachBlockOfTheNetwork() {
        for (NetworkSpec spec : List.of(
                TestNets.mobile(8, 32),
                TestNets.mobile(16, 64),
                TestNets.shuffle(64),
                TestNets.tinySpace(48).decode(TestNets.tinySpace(48).sample(new java.util.SplittableRandom(3))))) {
            assertKeysReproduceBlocks(spec);
        }
    }

    @Provide
    Arbitrary<String> kinds() {
        return Arbitraries.of(RandomSpecs.KINDS);
    }

    /**
     * For random networks made of each block kind (every shortcut, SE and activation variant): every block has a
     * key, the key survives packing, its probe costs exactly what the block costs in place, and a table holding
     * the network's keys predicts the network without a missing key.
     */
    @Property(tries = 300)
    void everyKindOfRandomSpecIsCoveredByItsKeys(@ForAll long seed, @ForAll("kinds") String kind) {
        NetworkSpec spec = RandomSpecs.of(seed, kind);
        assertKeysReproduceBlocks(spec);
        List<LayerKeys.Located> keys = LayerKeys.of(spec, 1);
        LatencyTable table = LatencyTable.empty(new DeviceInfo("test", "fake", 1, "", "", "", ""));
        table = table.withAll(keys.stream()
                .map(k -> LatencyTable.Entry.of(k.key(), 1.0))
                .distinct()
                .toList());
        assertThat(TableLatencyModel.of(table).predictMs(spec)).isEqualTo(keys.size());
    }

    /** Every block kind the spec language has is drawn by the random specs and gets a key of its own kind. */
    @Test
    void everyBlockKindHasItsOwnKey() {
        Map<String, java.util.Set<LayerKind>> seen = new TreeMap<>();
        for (long seed = 0; seed < 400; seed++) {
            NetworkSpec spec = RandomSpecs.of(seed);
            List<LayerKeys.Located> keys = LayerKeys.of(spec, 1);
            int[] i = {0};
            spec.forEachBlock((path, block) -> seen.computeIfAbsent(block.kind(), k -> new java.util.TreeSet<>())
                    .add(keys.get(i[0]++).key().kind()));
        }
        assertThat(seen.keySet()).hasSize(BlockSpec.class.getPermittedSubclasses().length);
        seen.values().forEach(kinds -> assertThat(kinds).hasSize(1));
        assertThat(seen.values().stream().map(s -> s.iterator().next()).distinct())
                .hasSize(seen.size());
    }

    @Test
    void shortcutKindsGiveDistinctKeys() {
        for (Skip skip : Skip.values()) {
            NetworkSpec spec = NetworkSpec.builder("s", 16, 8)
                    .stem(ConvBlock.of(8, 3, 1, Activation.RELU))
                    .stage(
                            "a",
                            new ResidualConvBlock(8, 3, 1, null, Activation.RELU, skip),
                            new MBConvBlock(
                                    16, 3, 2, 3, 0, null, Activation.RELU, skip == Skip.IDENTITY ? Skip.NONE : skip))
                    .classifier(2, 0)
                    .build();
            List<LayerKeys.Located> keys = LayerKeys.of(spec, 1);
            assertThat(keys.get(1).key().kind()).isEqualTo(LayerKind.RESIDUAL_CONV);
            assertThat(keys.get(1).key().skip()).isEqualTo(skip);
            assertThat(keys.get(2).key().skip()).isEqualTo(skip == Skip.IDENTITY ? Skip.NONE : skip);
        }
    }

    private static void assertKeysReproduceBlocks(NetworkSpec spec) {
        Map<String, long[]> perBlock = new TreeMap<>();
        for (LayerCost c : Costs.of(spec).layers()) {
            String block = blockOf(c.name());
            perBlock.computeIfAbsent(block, b -> new long[3]);
            perBlock.get(block)[0] += c.macs();
            perBlock.get(block)[1] += c.params();
        }
        for (LayerKeys.Located k : LayerKeys.of(spec, 1)) {
            assertThat(LayerKey.unpack(k.key().packedA(), k.key().packedB())).isEqualTo(k.key());
            Costs probe = Costs.of(Probes.probe(k.key()));
            Costs base = Costs.of(Probes.base(k.key()));
            long[] expected = perBlock.getOrDefault(k.layer(), new long[3]);
            // The classifier is probed as (C -> K) minus the base's (C -> 2) classifier.
            boolean cls = k.key().kind() == LayerKind.CLASSIFIER;
            long c = (long) k.key().inChannels() * k.key().height() * k.key().width();
            assertThat(probe.macs() - base.macs() + (cls ? 2 * c : 0))
                    .as(spec.name() + " " + k.layer() + " " + k.key())
                    .isEqualTo(expected[0]);
            assertThat(probe.params() - base.params() + (cls ? 2 * c + 2 : 0))
                    .as(spec.name() + " " + k.layer() + " " + k.key())
                    .isEqualTo(expected[1]);
        }
    }

    private static String blockOf(String node) {
        if (node.startsWith("stages[")) {
            int first = node.indexOf(']');
            return node.substring(0, node.indexOf(']', first + 1) + 1);
        }
        return node.substring(0, node.indexOf('.'));
    }
}
