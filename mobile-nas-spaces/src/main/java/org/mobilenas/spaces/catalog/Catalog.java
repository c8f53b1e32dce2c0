package org.mobilenas.spaces.catalog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mobilenas.core.spec.NetworkSpec;

/**
 * The reference networks by stable name. Each name has a default input resolution and class count (224 px and
 * 1000 classes, except where the name says otherwise: TinyNets and EfficientNet-B1..B7 use their own
 * resolutions, {@code *_small} variants default to 32 px and 10 classes); {@link #get(String, int, int)} builds
 * the same architecture for another class count and resolution.
 *
 * <p>Names: {@code mobilenet_v1_<α>_<res>} (α ∈ 1.0, 0.75, 0.5, 0.25; res ∈ 224, 192, 160, 128),
 * {@code mobilenet_v2_<α>} (1.4, 1.0, 0.75, 0.5, 0.35), {@code mobilenet_v3_large},
 * {@code mobilenet_v3_small}, {@code shufflenet_v1_g<g>_<s>} (g ∈ 1, 2, 3, 4, 8; s ∈ 0.5, 1.0, 1.5,
 * 2.0), {@code shufflenet_v2_<s>}, {@code mnasnet_a1}, {@code mnasnet_b1_<α>} (0.5, 0.75, 1.0, 1.3),
 * {@code efficientnet_b0 .. efficientnet_b7}, {@code tinynet_a .. tinynet_e}, and the small-input variants
 * {@code mobilenet_v1_1.0_small}, {@code mobilenet_v2_1.0_small}, {@code mobilenet_v2_0.5_small},
 * {@code shufflenet_v2_1.0_small}.
 *
 * <pre>{@code
 * NetworkSpec b0 = Catalog.get("efficientnet_b0");
 * NetworkSpec v2 = Catalog.get("mobilenet_v2_0.5", 10, 96);
 * for (String name : Catalog.names()) {
 *     System.out.println(Costs.of(Catalog.get(name)).summary());
 * }
 * }</pre>
 */
public final class Catalog {
    private Catalog() {}

    /** Builds a catalogue member for a class count and an input resolution. */
    @FunctionalInterface
    private interface Factory {
        NetworkSpec build(int numClasses, int resolution);
    }

    private record Entry(int resolution, int numClasses, Factory factory) {}

    private static final Map<String, Entry> ENTRIES = entries();

    private static Map<String, Entry> entries() {
        Map<String, Entry> m = new LinkedHashMap<>();
        for (double a : new double[] {1.0, 0.75, 0.5, 0.25}) {
            for (int r : new int[] {224, 192, 160, 128}) {
                m.put(
                        "mobilenet_v1_" + Widths.format(a) + "_" + r,
                        new Entry(r, 1000, (c, res) -> MobileNets.mobileNetV1(a, res, c)));
            }
        }
        for (double a : new double[] {1.4, 1.0, 0.75, 0.5, 0.35}) {
            m.put(
                    "mobilenet_v2_" + Widths.format(a),
                    new Entry(224, 1000, (c, res) -> MobileNets.mobileNetV2(a, res, c)));
        }
        m.put("mobilenet_v3_large", new Entry(224, 1000, (c, res) -> MobileNets.mobileNetV3Large(1.0, res, c)));
        m.put("mobilenet_v3_small", new Entry(224, 1000, (c, res) -> MobileNets.mobileNetV3Small(1.0, res, c)));
        for (int g : ShuffleNets.V1_GROUPS) {
            for (double s : ShuffleNets.SCALES) {
                m.put(
                        "shufflenet_v1_g" + g + "_" + Widths.format(s),
                        new Entry(224, 1000, (c, res) -> ShuffleNets.shuffleNetV1(g, s, res, c)));
            }
        }
        for (double s : ShuffleNets.SCALES) {
            m.put(
                    "shufflenet_v2_" + Widths.format(s),
                    new Entry(224, 1000, (c, res) -> ShuffleNets.shuffleNetV2(s, res, c)));
        }
        m.put("mnasnet_a1", new Entry(224, 1000, (c, res) -> MnasNets.mnasNetA1(1.0, res, c)));
        for (double a : new double[] {0.5, 0.75, 1.0, 1.3}) {
            m.put("mnasnet_b1_" + Widths.format(a), new Entry(224, 1000, (c, res) -> MnasNets.mnasNetB1(a, res, c)));
        }
        for (int b = 0; b <= 7; b++) {
            int v = b;
            int res = EfficientNets.efficientNet(v, 1000).resolution();
            m.put("efficientnet_b" + v, new Entry(res, 1000, (c, r) -> EfficientNets.efficientNet(v, r, c)));
        }
        for (char t = 'a'; t <= 'e'; t++) {
            char v = t;
            int res = EfficientNets.tinyNet(v, 1000).resolution();
            m.put("tinynet_" + v, new Entry(res, 1000, (c, r) -> EfficientNets.tinyNet(v, r, c)));
        }
        m.put("mobilenet_v1_1.0_small", new Entry(32, 10, (c, res) -> MobileNets.mobileNetV1Small(1.0, res, c)));
        m.put("mobilenet_v2_1.0_small", new Entry(32, 10, (c, res) -> MobileNets.mobileNetV2Small(1.0, res, c)));
        m.put("mobilenet_v2_0.5_small", new Entry(32, 10, (c, res) -> MobileNets.mobileNetV2Small(0.5, res, c)));
        m.put("shufflenet_v2_1.0_small", new Entry(32, 10, (c, res) -> ShuffleNets.shuffleNetV2Small(1.0, res, c)));
        return Collections.unmodifiableMap(m);
    }

    /** All catalogue names, in a stable order (by family, then size). */
    public static List<String> names() {
        return List.copyOf(ENTRIES.keySet());
    }

    /** Whether {@code name} is a catalogue member. */
    public static boolean contains(String name) {
        return name != null && ENTRIES.containsKey(name);
    }

    /** The member at its default resolution and class count. */
    public static NetworkSpec get(String name) {
        Entry e = entry(name);
        return e.factory().build(e.numClasses(), e.resolution());
    }

    /** The member's architecture for {@code numClasses} classes at {@code resolution} px. */
    public static NetworkSpec get(String name, int numClasses, int resolution) {
        return entry(name).factory().build(numClasses, resolution);
    }

    /** The member's default input resolution. */
    public static int defaultResolution(String name) {
        return entry(name).resolution();
    }

    /** The member's default class count (1000, or 10 for the small-input variants). */
    public static int defaultNumClasses(String name) {
        return entry(name).numClasses();
    }

    /** Every member at its defaults, in the order of {@link #names()}. */
    public static List<NetworkSpec> all() {
        List<NetworkSpec> out = new ArrayList<>();
        for (String n : ENTRIES.keySet()) {
            out.add(get(n));
        }
        return List.copyOf(out);
    }

    private static Entry entry(String name) {
        Entry e = name == null ? null : ENTRIES.get(name);
        if (e == null) {
            throw new IllegalArgumentException(
                    "unknown network '" + name + "'; valid names: " + String.join(", ", ENTRIES.keySet()));
        }
        return e;
    }
}
