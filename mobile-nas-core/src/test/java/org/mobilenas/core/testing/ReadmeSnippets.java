package org.mobilenas.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles the README's Java snippets: each {@code ```java} block becomes the body of a method, with wildcard
 * imports of the project's packages (and {@code java.util}, {@code java.nio.file}, {@code java.time}), and is
 * compiled against the test's classpath. A snippet that uses an undefined name or a wrong signature fails.
 */
public final class ReadmeSnippets {
    private ReadmeSnippets() {}

    /** The README of the project, found from a module's working directory. */
    public static Path readme() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("README.md")) && Files.isDirectory(p.resolve("mobile-nas-core"))) {
                return p.resolve("README.md");
            }
        }
        throw new IllegalStateException("no README.md above " + here);
    }

    /** The {@code ```java} blocks of {@code readme}, in order. */
    public static List<String> javaSnippets(Path readme) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = null;
        try {
            for (String line : Files.readAllLines(readme)) {
                if (cur == null && line.strip().equals("```java")) {
                    cur = new StringBuilder();
                } else if (cur != null && line.strip().equals("```")) {
                    out.add(cur.toString());
                    cur = null;
                } else if (cur != null) {
                    cur.append(line).append('\n');
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * Compiles {@code snippets} with wildcard imports of {@code packages}; returns the compiler's errors (empty when
     * every snippet compiles), each naming the snippet's first line.
     */
    public static List<String> compile(List<String> snippets, List<String> packages, Path workDir) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no Java compiler in this JVM (a JDK is needed)");
        }
        StringBuilder imports =
                new StringBuilder("import java.util.*;\nimport java.nio.file.*;\n" + "import java.time.*;\n");
        for (String p : packages) {
            imports.append("import ").append(p).append(".*;\n");
        }
        List<Path> files = new ArrayList<>();
        try {
            Files.createDirectories(workDir);
            for (int i = 0; i < snippets.size(); i++) {
                String src = imports + "\nclass Snippet" + i + " {\n    void run() throws Exception {\n"
                        + snippets.get(i) + "\n    }\n}\n";
                Path f = workDir.resolve("Snippet" + i + ".java");
                Files.writeString(f, src);
                files.add(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DiagnosticCollector<JavaFileObject> diags = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diags, Locale.ROOT, null)) {
            List<String> options = List.of(
                    "-classpath",
                    System.getProperty("java.class.path"),
                    "-d",
                    workDir.resolve("classes").toString(),
                    "-proc:none",
                    "-nowarn");
            Files.createDirectories(workDir.resolve("classes"));
            javac.getTask(null, fm, diags, options, null, fm.getJavaFileObjectsFromPaths(files))
                    .call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return diags.getDiagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> {
                    String name = String.valueOf(
                            d.getSource() == null ? "?" : d.getSource().getName());
                    int k = Integer.parseInt(name.replaceAll(".*Snippet(\\d+)\\.java", "$1"));
                    String first = snippets.get(k).lines().findFirst().orElse("");
                    return "snippet " + (k + 1) + " (" + first.strip() + "): " + d.getMessage(Locale.ROOT);
                })
                .collect(Collectors.toList());
    }
}
