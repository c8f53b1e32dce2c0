package org.mobilenas.core.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes files so that a reader never sees half of one: the content goes to a temporary file in the same
 * directory, which then replaces the target by an atomic rename (a plain replace where the file system has none).
 *
 * <pre>{@code
 * AtomicFiles.writeString(Path.of("out/report.json"), json);
 * }</pre>
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Writes {@code text} as UTF-8, creating parent directories. */
    public static void writeString(Path file, String text) {
        if (text == null) {
            throw new IllegalArgumentException("text for " + file + " is missing");
        }
        write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code bytes}, creating parent directories. */
    public static void write(Path file, byte[] bytes) {
        if (bytes == null) {
            throw new IllegalArgumentException("bytes for " + file + " are missing");
        }
        write(file, out -> out.write(bytes));
    }

    /** What a streamed file holds: written to the (buffered) stream it is given, which it must not close. */
    @FunctionalInterface
    public interface Content {
        /** Writes the file's bytes to {@code out}. */
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes what {@code content} writes, creating parent directories. */
    public static void write(Path file, Content content) {
        if (file == null) {
            throw new IllegalArgumentException("file is missing");
        }
        Path abs = file.toAbsolutePath();
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
        try {
            if (abs.getParent() != null) {
                Files.createDirectories(abs.getParent());
            }
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                content.writeTo(out);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot write " + file + ": " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
