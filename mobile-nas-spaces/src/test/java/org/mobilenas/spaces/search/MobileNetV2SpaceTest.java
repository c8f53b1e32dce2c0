package org.mobilenas.spaces.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mobilenas.core.cost.Costs;
import org.mobilenas.core.search.Decision;
import org.mobilenas.core.search.Genotype;
import org.mobilenas.core.spec.MBConvBlock;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.spaces.catalog.MobileNets;

class MobileNetV2SpaceTest {

    /** Base depth, kernel 3 and expansion 6 everywhere (the first block keeps expansion 1). */
    private static Genotype reference(MobileNetV2Space space, int widthIndex) {
        List<Decision> ds = space.decisions();
        int[] v = new int[ds.size()];
        v[0] = widthIndex;
        for (int i = 1; i < v.length; i++) {
            String n = ds.get(i).name();
            if (n.endsWith(".depth")) {
                int block = Integer.parseInt(n.substring(5, n.indexOf('.')));
                int base = space.skeleton().blocks().get(block).layers();
                v[i] = ds.get(i).options().indexOf(String.valueOf(base));
            } else if (n.endsWith(".expand")) {
                v[i] = ds.get(i).options().indexOf(ds.get(i).size() == 1 ? "1" : "6");
            } else {
                v[i] = 0;
            }
        }
        return Genotype.of(v);
    }

    @Test
    void referencePointsEqualTheCatalogueMobileNetV2() {
        MobileNetV2Space space = MobileNetV2Space.standard(224, 1000);
        NetworkSpec spec = space.decode(reference(space, 0));
        assertThat(Costs.of(spec).params()).isEqualTo(3_504_872L);
        assertThat(Costs.of(spec).macs())
                .isEqualTo(Costs.of(MobileNets.mobileNetV2(1.0, 224, 1000)).macs());

        MobileNetV2Space small = MobileNetV2Space.smallInput(28, 1, 10, List.of(0.35, 0.5));
        NetworkSpec s = small.decode(reference(small, 1));
        NetworkSpec ref = MobileNets.mobileNetV2Small(0.5, 28, 10).withInputChannels(1);
        assertThat(Costs.of(s).params()).isEqualTo(Costs.of(ref).params());
        assertThat(Costs.of(s).macs()).isEqualTo(Costs.of(ref).macs());
    }

    @Test
    void decisionsCoverWidthDepthKernelAndExpansion() {
        MobileNetV2Space space = MobileNetV2Space.standard(224, 1000);
        List<Decision> ds = space.decisions();
        assertThat(ds.get(0).name()).isEqualTo("width");
        assertThat(ds.get(1).name()).isEqualTo("block0.depth");
        assertThat(ds.get(1).options()).containsExactly("1", "2");
        assertThat(ds.get(3).options()).containsExactly("1");
        Decision d3 = ds.stream()
                .filter(d -> d.name().equals("block3.depth"))
                .findFirst()
                .orElseThrow();
        assertThat(d3.options()).containsExactly("3", "4", "5");
        assertThat(ds.stream()
                        .filter(d ->
                                d.name().startsWith("block3.layer") && d.name().endsWith("kernel")))
                .hasSize(5)
                .allMatch(d -> d.options().equals(List.of("3", "5", "7")));
    }

    @Test
    void chosenDepthKernelAndExpansionAreDecoded() {
        MobileNetV2Space space = MobileNetV2Space.standard(224, 1000);
        Genotype g = reference(space, 0);
        List<Decision> ds = space.decisions();
        int depth3 = index(ds, "block3.depth");
        g = g.with(depth3, 0).with(index(ds, "block3.layer1.kernel"), 2).with(index(ds, "block3.layer1.expand"), 0);
        NetworkSpec spec = space.decode(g);
        var blocks = spec.stages().get(3).blocks();
        assertThat(blocks).hasSize(3);
        MBConvBlock b = (MBConvBlock) blocks.get(1);
        assertThat(b.kernel()).isEqualTo(7);
        assertThat(b.expandRatio()).isEqualTo(3.0);
        // changing an unused slot changes nothing
        NetworkSpec same = space.decode(g.with(index(ds, "block3.layer4.kernel"), 1));
        assertThat(same.stages()).isEqualTo(spec.stages());
    }

    @Test
    void samplesDecode() {
        MobileNetV2Space space = MobileNetV2Space.smallInput(32, 3, 10, List.of(0.35, 0.5, 0.75));
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 30; i++) {
            NetworkSpec s = space.decode(space.sample(rng));
            assertThat(s.numClasses()).isEqualTo(10);
        }
    }

    @Test
    void badOptionsAreNamed() {
        assertThatThrownBy(() -> MobileNetV2Space.Options.defaults().withExpands(List.of(0)))
                .hasMessageContaining("options.expands: 0 must be >= 1");
        assertThatThrownBy(() -> MobileNetV2Space.Options.defaults().withWidths(List.of(0.5, 0.5)))
                .hasMessageContaining("appears twice");
    }

    private static int index(List<Decision> ds, String name) {
        for (int i = 0; i < ds.size(); i++) {
            if (ds.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new AssertionError(name);
    }
}
