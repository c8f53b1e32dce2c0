package org.mobilenas.core.search;

/**
 * Thrown when the thread running a search is interrupted. Every candidate evaluated before the interruption is
 * in the journal; building the same search again and streaming it resumes from there.
 *
 * <pre>{@code
 * try { search.run(100); } catch (SearchInterruptedException e) { search.run(100); }
 * }</pre>
 */
public final class SearchInterruptedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A search stopped before its end, {@code message} saying where. */
    public SearchInterruptedException(String message) {
        super(message);
    }
}
