package org.mobilenas.core.ofa;

import java.util.List;
import org.mobilenas.core.spec.Activation;

/** A tiny elastic space for fast tests. */
final class TinySpaces {
    private TinySpaces() {}

    static ElasticSpace tiny() {
        return new ElasticSpace(
                "tiny_ofa",
                1,
                4,
                List.of(8, 12),
                8,
                1,
                8,
                List.of(
                        new ElasticStage("s1", 8, 2, Activation.RELU, false),
                        new ElasticStage("s2", 16, 2, Activation.HSWISH, true)),
                List.of(1, 2),
                List.of(3, 5, 7),
                List.of(2, 3),
                32,
                32,
                0.0);
    }
}
