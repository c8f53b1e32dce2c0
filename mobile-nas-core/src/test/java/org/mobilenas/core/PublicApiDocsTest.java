package org.mobilenas.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.mobilenas.core.testing.ApiDocs;

class PublicApiDocsTest {
    @Test
    void everyPublicElementIsDocumented() {
        assertThat(ApiDocs.undocumented(Path.of("src/main/java")))
                .as("public API without a doc comment")
                .isEmpty();
    }
}
