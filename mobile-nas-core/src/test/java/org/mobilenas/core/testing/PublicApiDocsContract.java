package org.mobilenas.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Every published module's test that its public API is documented: extend it once per module (see {@link ApiDocs}). */
public abstract class PublicApiDocsContract {
    @Test
    void everyPublicElementIsDocumented() {
        assertThat(ApiDocs.undocumented(Path.of("src/main/java")))
                .as("public API without a doc comment")
                .isEmpty();
    }
}
