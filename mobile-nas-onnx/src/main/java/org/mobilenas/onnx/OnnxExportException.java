package org.mobilenas.onnx;

/** A network that cannot be exported to ONNX; the message names the node and what is wrong with it. */
public class OnnxExportException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** A network that cannot be exported, {@code message} saying which layer and why. */
    public OnnxExportException(String message) {
        super(message);
    }

    /** A network that cannot be exported, {@code message} saying which layer and why; {@code cause} the underlying error. */
    public OnnxExportException(String message, Throwable cause) {
        super(message, cause);
    }
}
