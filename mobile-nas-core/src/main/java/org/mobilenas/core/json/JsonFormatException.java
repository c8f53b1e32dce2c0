package org.mobilenas.core.json;

/**
 * A JSON document could not be read. Carries the line and column (1-based, 0 when unknown) and the path of
 * the offending field, e.g. {@code network.stages[1].blocks[0].kernel}.
 */
public class JsonFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;
    private final String path;

    /** A problem at a line, column and JSON path of a document ({@code 0} / {@code null} when unknown). */
    public JsonFormatException(String problem, int line, int column, String path, Throwable cause) {
        super(format(problem, line, column, path), cause);
        this.line = line;
        this.column = column;
        this.path = path;
    }

    private static String format(String problem, int line, int column, String path) {
        StringBuilder sb = new StringBuilder();
        if (line > 0) {
            sb.append("line ").append(line).append(", column ").append(column);
        }
        if (path != null && !path.isEmpty()) {
            sb.append(sb.length() > 0 ? ", " : "").append("at ").append(path);
        }
        if (sb.length() > 0) {
            sb.append(": ");
        }
        return sb.append(problem).toString();
    }

    /** The document's line of the problem (1-based; 0 when unknown). */
    public int line() {
        return line;
    }

    /** The column of the problem (1-based; 0 when unknown). */
    public int column() {
        return column;
    }

    /** The JSON path of the offending value (e.g. {@code stages[2].blocks[0].kernel}), or {@code null}. */
    public String path() {
        return path;
    }
}
