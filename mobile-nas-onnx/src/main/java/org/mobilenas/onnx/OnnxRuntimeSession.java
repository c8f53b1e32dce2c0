package org.mobilenas.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Objects;

/**
 * An exported model loaded in ONNX Runtime (CPU), for checking an export against the engine and for timing. Needs
 * {@code com.microsoft.onnxruntime:onnxruntime} on the classpath.
 *
 * <pre>{@code
 * try (OnnxRuntimeSession s = OnnxRuntimeSession.open(OnnxExport.toBytes(net), 1, "all")) {
 *     float[] logits = s.run(nchw, 1, 1, 28, 28);
 * }
 * }</pre>
 */
public final class OnnxRuntimeSession implements AutoCloseable {
    private final OrtEnvironment env;
    private final OrtSession session;

    private OnnxRuntimeSession(OrtEnvironment env, OrtSession session) {
        this.env = env;
        this.session = session;
    }

    /**
     * Opens {@code model} with {@code threads} intra-op threads (inter-op 1, sequential execution) and graph
     * optimization level {@code optimization}: {@code none}, {@code basic}, {@code extended} or {@code all}.
     */
    public static OnnxRuntimeSession open(byte[] model, int threads, String optimization) {
        Objects.requireNonNull(model, "model");
        if (threads < 1) {
            throw new IllegalArgumentException("threads " + threads + ": expected >= 1");
        }
        OrtSession.SessionOptions.OptLevel level = level(optimization);
        try {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions o = new OrtSession.SessionOptions();
            o.setIntraOpNumThreads(threads);
            o.setInterOpNumThreads(1);
            o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            o.setOptimizationLevel(level);
            return new OnnxRuntimeSession(env, env.createSession(model, o));
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime refused the model: " + e.getMessage(), e);
        }
    }

    static OrtSession.SessionOptions.OptLevel level(String name) {
        return switch (name == null ? "" : name) {
            case "none" -> OrtSession.SessionOptions.OptLevel.NO_OPT;
            case "basic" -> OrtSession.SessionOptions.OptLevel.BASIC_OPT;
            case "extended" -> OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
            case "all" -> OrtSession.SessionOptions.OptLevel.ALL_OPT;
            default ->
                throw new IllegalArgumentException(
                        "optimization '" + name + "': expected none, basic, extended or all");
        };
    }

    /** Runs the model on {@code nchw} of shape {@code [n, c, h, w]} and returns the output, flattened. */
    public float[] run(float[] nchw, long n, long c, long h, long w) {
        if (nchw.length != n * c * h * w) {
            throw new IllegalArgumentException(
                    "input has " + nchw.length + " values, expected " + n + "x" + c + "x" + h + "x" + w);
        }
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(nchw), new long[] {n, c, h, w});
                OrtSession.Result r = session.run(Map.of(OnnxExport.INPUT, t))) {
            OnnxTensor out = (OnnxTensor) r.get(0);
            FloatBuffer b = out.getFloatBuffer();
            float[] v = new float[b.remaining()];
            b.get(v);
            return v;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to run the model: " + e.getMessage(), e);
        }
    }

    /** The runtime's version. */
    public static String version() {
        return OrtEnvironment.getEnvironment().getVersion();
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing the ONNX Runtime session: " + e.getMessage(), e);
        }
    }
}
