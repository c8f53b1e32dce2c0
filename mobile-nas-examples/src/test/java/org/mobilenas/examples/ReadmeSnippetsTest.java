package org.mobilenas.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilenas.core.testing.ReadmeSnippets;

/** Every Java snippet of the README compiles as written (Spark's in mobile-nas-spark's tests). */
class ReadmeSnippetsTest {
    static final List<String> PACKAGES = List.of(
            "org.mobilenas.core.adapt",
            "org.mobilenas.core.budget",
            "org.mobilenas.core.cost",
            "org.mobilenas.core.data",
            "org.mobilenas.core.engine",
            "org.mobilenas.core.experiment",
            "org.mobilenas.core.json",
            "org.mobilenas.core.latency",
            "org.mobilenas.core.ofa",
            "org.mobilenas.core.progress",
            "org.mobilenas.core.search",
            "org.mobilenas.core.spec",
            "org.mobilenas.core.tiny",
            "org.mobilenas.core.train",
            "org.mobilenas.latency.analytic",
            "org.mobilenas.latency.fidelity",
            "org.mobilenas.latency.measure",
            "org.mobilenas.latency.table",
            "org.mobilenas.onnx",
            "org.mobilenas.spaces.catalog",
            "org.mobilenas.spaces.ofa",
            "org.mobilenas.spaces.search",
            "org.mobilenas.spaces.tiny");

    @Test
    void everySnippetCompiles(@TempDir Path dir) {
        List<String> snippets = ReadmeSnippets.javaSnippets(ReadmeSnippets.readme()).stream()
                .filter(s -> !s.contains("Spark"))
                .toList();
        assertThat(snippets).hasSizeGreaterThanOrEqualTo(6);
        assertThat(ReadmeSnippets.compile(snippets, PACKAGES, dir)).isEmpty();
        // and the check bites: an undefined name is reported with its snippet
        assertThat(ReadmeSnippets.compile(List.of("Costs c = Costs.of(spec);"), PACKAGES, dir.resolve("bad")))
                .singleElement()
                .asString()
                .contains("snippet 1")
                .contains("spec");
    }
}
