package org.mobilenas.spaces.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mobilenas.core.cost.Costs;
import org.mobilenas.core.cost.LayerCost;

/**
 * Every catalogue member against the figures published for it by its reference implementation or paper.
 * Parameters are compared exactly where an exact count is published (torchvision's {@code num_params}, the
 * counts of the TF/Keras/GluonCV ports); otherwise to the published precision. MACs must agree within 1 %, or
 * within half a unit of the published figure's last digit when that is coarser (torchvision prints GFLOPS
 * with three, sometimes two decimals).
 */
class ReferenceFiguresTest {

    /**
     * One published figure set.
     *
     * @param params    exact parameter count, or -1 when only a rounded figure is published
     * @param paramsM   rounded parameter figure in millions (used when {@code params} is -1)
     * @param paramsUnitM precision of {@code paramsM}
     * @param macsM     published MACs in millions
     * @param macsUnitM precision of {@code macsM}, in millions
     * @param withoutClassifier the figure leaves out the final fully connected layer
     */
    record Ref(
            String name,
            int resolution,
            long params,
            double paramsM,
            double paramsUnitM,
            double macsM,
            double macsUnitM,
            boolean withoutClassifier,
            String source) {
        static Ref exact(String name, int resolution, long params, double macsM, double unitM, String source) {
            return new Ref(name, resolution, params, 0, 0, macsM, unitM, false, source);
        }

        static Ref rounded(
                String name,
                int resolution,
                double paramsM,
                double paramsUnitM,
                double macsM,
                double unitM,
                String source) {
            return new Ref(name, resolution, -1, paramsM, paramsUnitM, macsM, unitM, false, source);
        }

        static Ref macsOnly(
                String name, int resolution, double macsM, double unitM, boolean withoutClassifier, String source) {
            return new Ref(name, resolution, -1, Double.NaN, 0, macsM, unitM, withoutClassifier, source);
        }

        double macsTolerance() {
            return Math.max(0.01 * macsM, macsUnitM / 2);
        }
    }

    private static final String TV = "torchvision";
    private static final String MEGVII = "Megvii ShuffleNet-Series README";

    static List<Ref> references() {
        return List.of(
                // MobileNet V1: exact counts of the TF-slim/Keras/GluonCV models; MACs from the paper, Tables 6 and 7.
                Ref.exact("mobilenet_v1_1.0_224", 224, 4_231_976, 569, 1, "paper; Keras/TF-slim count"),
                Ref.exact("mobilenet_v1_1.0_192", 192, 4_231_976, 418, 1, "paper Table 7"),
                Ref.exact("mobilenet_v1_1.0_160", 160, 4_231_976, 290, 1, "paper Table 7"),
                Ref.exact("mobilenet_v1_1.0_128", 128, 4_231_976, 186, 1, "paper Table 7"),
                Ref.exact("mobilenet_v1_0.75_224", 224, 2_585_560, 325, 1, "paper Table 6; GluonCV count"),
                Ref.exact("mobilenet_v1_0.5_224", 224, 1_331_592, 149, 1, "paper Table 6; GluonCV count"),
                Ref.exact("mobilenet_v1_0.25_224", 224, 470_072, 41, 1, "paper Table 6; GluonCV count"),
                // MobileNet V2: torchvision for 1.0; timm's counts (same layout) and TF-slim's MACs for the others.
                Ref.exact("mobilenet_v2_1.0", 224, 3_504_872, 300.8, 0.1, TV),
                Ref.rounded("mobilenet_v2_1.4", 224, 6.11, 0.01, 582, 1, "timm mobilenetv2_140; TF-slim MACs"),
                Ref.macsOnly("mobilenet_v2_0.75", 224, 209, 1, false, "TF-slim"),
                Ref.rounded("mobilenet_v2_0.5", 224, 1.97, 0.01, 97, 1, "timm mobilenetv2_050; TF-slim MACs"),
                Ref.rounded("mobilenet_v2_0.35", 224, 1.68, 0.01, 59, 1, "timm mobilenetv2_035; TF-slim MACs"),
                // MobileNet V3 (torchvision).
                Ref.exact("mobilenet_v3_large", 224, 5_483_032, 217, 1, TV),
                Ref.exact("mobilenet_v3_small", 224, 2_542_856, 57, 1, TV),
                // ShuffleNet V1: the reference implementation's README (g = 3, 8) ...
                Ref.rounded("shufflenet_v1_g3_0.5", 224, 0.7, 0.1, 38, 1, MEGVII),
                Ref.rounded("shufflenet_v1_g3_1.0", 224, 1.9, 0.1, 138, 1, MEGVII),
                Ref.rounded("shufflenet_v1_g3_1.5", 224, 3.4, 0.1, 292, 1, MEGVII),
                Ref.rounded("shufflenet_v1_g3_2.0", 224, 5.4, 0.1, 524, 1, MEGVII),
                Ref.rounded("shufflenet_v1_g8_0.5", 224, 1.0, 0.1, 40, 1, MEGVII),
                Ref.rounded("shufflenet_v1_g8_1.0", 224, 2.4, 0.1, 138, 1, MEGVII),
                Ref.rounded("shufflenet_v1_g8_1.5", 224, 4.3, 0.1, 290, 1, MEGVII),
                Ref.rounded("shufflenet_v1_g8_2.0", 224, 6.5, 0.1, 522, 1, MEGVII),
                // ... and the paper's Table 1 for 1x, which counts the network without its classifier.
                Ref.macsOnly("shufflenet_v1_g1_1.0", 224, 143, 1, true, "paper Table 1"),
                Ref.macsOnly("shufflenet_v1_g2_1.0", 224, 140, 1, true, "paper Table 1"),
                Ref.macsOnly("shufflenet_v1_g3_1.0", 224, 137, 1, true, "paper Table 1"),
                Ref.macsOnly("shufflenet_v1_g4_1.0", 224, 133, 1, true, "paper Table 1"),
                Ref.macsOnly("shufflenet_v1_g8_1.0", 224, 137, 1, true, "paper Table 1"),
                // ShuffleNet V2 (torchvision).
                Ref.exact("shufflenet_v2_0.5", 224, 1_366_792, 40, 10, TV),
                Ref.exact("shufflenet_v2_1.0", 224, 2_278_604, 145, 1, TV),
                Ref.exact("shufflenet_v2_1.5", 224, 3_503_624, 296, 1, TV),
                Ref.exact("shufflenet_v2_2.0", 224, 7_393_996, 583, 1, TV),
                // MnasNet: A1 count of the TF reference port (imgclsmob), paper MACs; B1 = torchvision.
                Ref.exact("mnasnet_a1", 224, 3_887_038, 312, 1, "paper; TF port count"),
                Ref.exact("mnasnet_b1_0.5", 224, 2_218_512, 104, 1, TV),
                Ref.exact("mnasnet_b1_0.75", 224, 3_170_208, 215, 1, TV),
                Ref.exact("mnasnet_b1_1.0", 224, 4_383_312, 314, 1, TV),
                Ref.exact("mnasnet_b1_1.3", 224, 6_282_256, 526, 1, TV),
                // EfficientNet (torchvision, at torchvision's evaluation crop) and the paper's B2 at 260 px.
                Ref.exact("efficientnet_b0", 224, 5_288_548, 386, 1, TV),
                Ref.exact("efficientnet_b1", 240, 7_794_184, 687, 1, TV),
                Ref.exact("efficientnet_b2", 288, 9_109_994, 1088, 1, TV + " (288 px crop)"),
                Ref.macsOnly("efficientnet_b2", 260, 1000, 100, false, "paper (1.0 B FLOPs)"),
                Ref.exact("efficientnet_b3", 300, 12_233_232, 1827, 1, TV),
                Ref.exact("efficientnet_b4", 380, 19_341_616, 4394, 1, TV),
                Ref.exact("efficientnet_b5", 456, 30_389_784, 10266, 1, TV),
                Ref.exact("efficientnet_b6", 528, 43_040_704, 19068, 1, TV),
                Ref.exact("efficientnet_b7", 600, 66_347_960, 37746, 1, TV),
                // TinyNet: timm's parameter counts (two decimals), the paper's FLOPs.
                Ref.rounded("tinynet_a", 192, 6.19, 0.01, 339, 1, "timm; paper"),
                Ref.rounded("tinynet_b", 188, 3.73, 0.01, 202, 1, "timm; paper"),
                Ref.rounded("tinynet_c", 184, 2.46, 0.01, 100, 1, "timm; paper"),
                Ref.rounded("tinynet_d", 152, 2.34, 0.01, 52, 1, "timm; paper"),
                Ref.rounded("tinynet_e", 106, 2.04, 0.01, 24, 1, "timm; paper"));
    }

    private static final StringBuilder TABLE = new StringBuilder();

    static Stream<Ref> refs() {
        return references().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refs")
    void matchesPublishedFigures(Ref ref) {
        Costs c = Costs.of(Catalog.get(ref.name(), 1000, ref.resolution()));
        long macs = c.macs();
        if (ref.withoutClassifier()) {
            macs -= c.layers().stream()
                    .filter(l -> l.name().equals("classifier.fc"))
                    .mapToLong(LayerCost::macs)
                    .sum();
        }
        double macsM = macs / 1e6;
        synchronized (TABLE) {
            TABLE.append(String.format(
                    Locale.ROOT,
                    "| %s @%d | %,d | %.1f | %s | %s | %+.2f %% | %s |%n",
                    ref.name(),
                    ref.resolution(),
                    c.params(),
                    macsM,
                    ref.params() >= 0
                            ? String.format(Locale.ROOT, "%,d", ref.params())
                            : Double.isNaN(ref.paramsM()) ? "-" : ref.paramsM() + " M",
                    String.format(Locale.ROOT, "%s M%s", trim(ref.macsM()), ref.withoutClassifier() ? " (no FC)" : ""),
                    100 * (macsM - ref.macsM()) / ref.macsM(),
                    ref.source()));
        }
        if (ref.params() >= 0) {
            assertThat(c.params()).as("params of " + ref.name()).isEqualTo(ref.params());
        } else if (!Double.isNaN(ref.paramsM())) {
            assertThat(c.params() / 1e6)
                    .as("params (M) of " + ref.name())
                    .isCloseTo(ref.paramsM(), within(ref.paramsUnitM() / 2 + 1e-9));
        }
        assertThat(macsM).as("MACs (M) of " + ref.name()).isCloseTo(ref.macsM(), within(ref.macsTolerance()));
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    @Test
    void everyReferenceNamesACatalogueMember() {
        assertThat(references())
                .allSatisfy(
                        r -> assertThat(Catalog.contains(r.name())).as(r.name()).isTrue());
    }

    @Test
    void toleranceIsOnePercentOrHalfThePublishedUnit() {
        assertThat(Ref.exact("x", 224, 1, 569, 1, "").macsTolerance()).isCloseTo(5.69, within(1e-9));
        assertThat(Ref.exact("x", 224, 1, 40, 10, "").macsTolerance()).isCloseTo(5.0, within(1e-9));
    }

    @AfterAll
    static void printTable() {
        System.out.println(
                "| network | params | MACs (M) | reference params | reference MACs | MAC deviation | source |");
        System.out.print(TABLE);
    }
}
