package org.mobilenas.core.data;

/**
 * A dataset's files were not found; the message says where it looked and how to get the data.
 *
 * <pre>{@code
 * try { FashionMnist.load(); } catch (DatasetNotFoundException e) { System.err.println(e.getMessage()); }
 * }</pre>
 */
public class DatasetNotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A dataset that is not installed, {@code message} saying where it was looked for and how to get it. */
    public DatasetNotFoundException(String message) {
        super(message);
    }
}
