package org.mobilenas.core.data;

/**
 * A malformed or inconsistent IDX file or dataset: bad magic number, truncated data, mismatched counts.
 *
 * <pre>{@code
 * try { Idx.read(path); } catch (IdxFormatException e) { System.err.println(e.getMessage()); }
 * }</pre>
 */
public class IdxFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A malformed IDX file, {@code message} naming it and what was expected. */
    public IdxFormatException(String message) {
        super(message);
    }

    /** A malformed IDX file, {@code message} naming it and what was expected; {@code cause} the underlying error. */
    public IdxFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
