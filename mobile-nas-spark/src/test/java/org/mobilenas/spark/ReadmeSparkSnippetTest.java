package org.mobilenas.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilenas.core.testing.ReadmeSnippets;

/** The README's Spark snippets compile as written. */
class ReadmeSparkSnippetTest {

    @Test
    void theSparkSnippetsCompile(@TempDir Path dir) {
        List<String> snippets = ReadmeSnippets.javaSnippets(ReadmeSnippets.readme()).stream()
                .filter(s -> s.contains("Spark"))
                .toList();
        assertThat(snippets).isNotEmpty();
        List<String> packages = new ArrayList<>(List.of(
                "org.mobilenas.core.cost",
                "org.mobilenas.core.experiment",
                "org.mobilenas.core.latency",
                "org.mobilenas.core.search",
                "org.mobilenas.spaces.search",
                "org.mobilenas.spark",
                "org.apache.spark"));
        assertThat(ReadmeSnippets.compile(snippets, packages, dir)).isEmpty();
    }
}
