package org.mobilenas.core.testing;

import com.sun.source.util.JavacTask;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The documentation check of the public API, run by a test in every published module: javac's doclint, limited to
 * its "missing" group at protected access, over the module's main sources. An element is reported when it has no
 * doc comment at all; a documented method without {@code @param} or {@code @return} tags passes (its summary says
 * what it does).
 */
public final class ApiDocs {
    private ApiDocs() {}

    /**
     * Every public or protected element under {@code sourceRoot} (e.g. {@code src/main/java}) without a doc comment,
     * as {@code path:line: source line}; the sources are attributed against the test's class path.
     */
    public static List<String> undocumented(Path sourceRoot) {
        List<Path> files;
        try (Stream<Path> s = Files.walk(sourceRoot)) {
            files = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + sourceRoot + ": " + e.getMessage(), e);
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<String> options = List.of(
                "-proc:none",
                "-Xdoclint:missing/protected",
                "-Xmaxwarns",
                "100000",
                "-Xmaxerrs",
                "100",
                "--add-modules",
                "jdk.incubator.vector",
                "-classpath",
                System.getProperty("java.class.path"));
        try (StandardJavaFileManager fm =
                javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            JavacTask task = (JavacTask)
                    javac.getTask(null, fm, diagnostics, options, null, fm.getJavaFileObjectsFromPaths(files));
            task.analyze();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot analyse " + sourceRoot + ": " + e.getMessage(), e);
        }
        List<String> errors = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            String where = (d.getSource() == null
                            ? "?"
                            : sourceRoot
                                    .toAbsolutePath()
                                    .relativize(Path.of(d.getSource().toUri())))
                    + ":" + d.getLineNumber();
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                errors.add(where + ": " + d.getMessage(Locale.ROOT));
            } else if (d.getMessage(Locale.ROOT).startsWith("no comment")) {
                missing.add(where + ": " + line(d));
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalStateException("the sources under " + sourceRoot + " do not compile on the test class "
                    + "path: " + String.join("; ", errors.subList(0, Math.min(5, errors.size()))));
        }
        return missing;
    }

    private static String line(Diagnostic<? extends JavaFileObject> d) {
        try {
            CharSequence text = d.getSource().getCharContent(true);
            int start = (int) d.getPosition();
            int lineStart = start;
            while (lineStart > 0 && text.charAt(lineStart - 1) != '\n') {
                lineStart--;
            }
            int end = start;
            while (end < text.length() && text.charAt(end) != '\n') {
                end++;
            }
            return text.subSequence(lineStart, end).toString().strip();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
