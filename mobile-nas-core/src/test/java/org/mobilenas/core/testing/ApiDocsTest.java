package org.mobilenas.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiDocsTest {
    @Test
    void reportsPublicElementsWithoutCommentsOnly(@TempDir Path dir) throws Exception {
        Path pkg = Files.createDirectories(dir.resolve("p"));
        Files.writeString(pkg.resolve("A.java"), """
                package p;

                /** Documented. */
                public class A {
                    /** Documented, no tags: fine. */
                    public int documented(int x) {
                        return x;
                    }

                    public int bare() {
                        return 1;
                    }

                    private int hidden() {
                        return 2;
                    }

                    /** Kinds. */
                    public enum Kind {
                        /** Documented. */
                        ONE,
                        TWO
                    }
                }
                """);
        assertThat(ApiDocs.undocumented(dir)).containsExactly("p/A.java:10: public int bare() {", "p/A.java:22: TWO");
        Files.writeString(pkg.resolve("B.java"), "package p; /** B. */ public class B { Missing m; }");
        assertThatThrownBy(() -> ApiDocs.undocumented(dir))
                .hasMessageContaining("do not compile")
                .hasMessageContaining("B.java");
    }
}
