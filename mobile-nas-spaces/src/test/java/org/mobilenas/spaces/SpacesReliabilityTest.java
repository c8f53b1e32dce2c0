package org.mobilenas.spaces;

import static org.mobilenas.core.testing.Reliability.c;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.mobilenas.core.search.Genotype;
import org.mobilenas.core.testing.Reliability;
import org.mobilenas.core.testing.Reliability.Case;
import org.mobilenas.spaces.catalog.Catalog;
import org.mobilenas.spaces.catalog.MobileNets;
import org.mobilenas.spaces.catalog.ShuffleNets;
import org.mobilenas.spaces.ofa.OfaSpaces;
import org.mobilenas.spaces.search.MnasNetSpace;
import org.mobilenas.spaces.search.Skeleton;

/** The spaces module's reliability suite ({@link Reliability}): catalogue and space entry points given bad input. */
class SpacesReliabilityTest {
    private static final Reliability HARNESS = new Reliability(Duration.ofSeconds(60));

    static List<Case> cases() {
        MnasNetSpace space = MnasNetSpace.smallInput(28, 1, 10, 0.5);
        List<Case> cs = new ArrayList<>();
        cs.add(c("catalog", "unknown name", () -> Catalog.get("mobilenet_v9"), "mobilenet_v9"));
        cs.add(c("catalog", "null name", () -> Catalog.get(null), "name"));
        cs.add(c("catalog", "1 class", () -> Catalog.get("mobilenet_v2_1.0", 1, 224), "numClasses"));
        cs.add(c("catalog", "resolution 0", () -> Catalog.get("mobilenet_v2_1.0", 10, 0), "resolution"));
        cs.add(c(
                "catalog",
                "resolution 2^31-1",
                () -> Catalog.get("mobilenet_v2_1.0", 10, Integer.MAX_VALUE),
                "resolution"));
        cs.add(c("family", "MobileNetV2 width 0", () -> MobileNets.mobileNetV2(0, 224, 10), "width"));
        cs.add(c("family", "MobileNetV2 width NaN", () -> MobileNets.mobileNetV2(Double.NaN, 224, 10), "width"));
        cs.add(c("family", "MobileNetV2 width 1e9", () -> MobileNets.mobileNetV2(1e9, 224, 10), "width"));
        cs.add(c("family", "ShuffleNetV1 with 5 groups", () -> ShuffleNets.shuffleNetV1(5, 1.0, 224, 10), "group"));
        cs.add(c("space", "genotype too short", () -> space.decode(Genotype.of(0, 1)), "genotype"));
        cs.add(c(
                "space",
                "genotype choice out of range",
                () -> {
                    int[] g = new int[space.decisions().size()];
                    g[0] = 99;
                    return space.decode(Genotype.of(g));
                },
                "99"));
        cs.add(c("space", "genotype text that is not one", () -> Genotype.parse("1-x-3"), "1-x-3"));
        cs.add(c(
                "space",
                "skeleton width -1",
                () -> Skeleton.mobileNetV2(224, 10).withWidth(-1),
                "width"));
        cs.add(c("space", "OFA space width 0", () -> OfaSpaces.mobileNetV3Small(0, 1, 10), "width"));
        return cs;
    }

    @TestFactory
    Stream<DynamicTest> everyBadInputEndsInAClearError() {
        return HARNESS.rows(cases());
    }

    @AfterAll
    static void counts() {
        System.out.println(HARNESS.counts("spaces reliability suite"));
    }
}
