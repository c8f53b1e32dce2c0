package org.mobilenas.onnx;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.mobilenas.core.engine.Network;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.latency.measure.DeviceInfo;
import org.mobilenas.latency.measure.LatencyMeasurer;
import org.mobilenas.latency.measure.Measurement;

/**
 * Latency in ONNX Runtime (CPU), behind the {@link LatencyMeasurer} SPI (registered as {@code onnxruntime}): the
 * network is realized, exported with {@link OnnxExport} (batch norms folded), loaded in a session with the chosen
 * intra-op threads and graph optimization level, run {@code warmup} times and then timed {@code samples} times
 * end to end (wall clock around each run, batch {@code batchSize}). The thread count, optimization level and the
 * runtime's version are part of the device description, so a lookup table built with one setting is not
 * mistaken for another. Works for whole networks and, through the table builder's probes, for single blocks.
 *
 * <p>Needs {@code com.microsoft.onnxruntime:onnxruntime} on the classpath; without it {@link #isAvailable()} is
 * false and {@link #measure} says what to add.
 *
 * <pre>{@code
 * LatencyMeasurer ort = OnnxRuntimeMeasurer.builder().threads(1).optimization("all").build();
 * LatencyTable t = LatencyTableBuilder.with(ort).space(space, 400, 42).file(Path.of("ort-table.json")).build();
 * }</pre>
 */
public final class OnnxRuntimeMeasurer implements LatencyMeasurer {
    private final int threads;
    private final String optimization;
    private final int warmup;
    private final int samples;

    /** The defaults: 1 thread, all graph optimizations, 10 warm-up runs, 30 timed runs. */
    public OnnxRuntimeMeasurer() {
        this(builder());
    }

    private OnnxRuntimeMeasurer(Builder b) {
        this.threads = b.threads;
        this.optimization = b.optimization;
        this.warmup = b.warmup;
        this.samples = b.samples;
    }

    /** A builder with the defaults given on its setters. */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings of an {@link OnnxRuntimeMeasurer}. */
    public static final class Builder {
        private int threads = 1;
        private String optimization = "all";
        private int warmup = 10;
        private int samples = 30;

        private Builder() {}

        /** Intra-op threads of the session (default 1). */
        public Builder threads(int n) {
            if (n < 1 || n > 256) {
                throw new IllegalArgumentException("onnxruntime threads " + n + ": expected 1..256");
            }
            this.threads = n;
            return this;
        }

        /** Graph optimization level: {@code none}, {@code basic}, {@code extended} or {@code all} (default). */
        public Builder optimization(String level) {
            if (!java.util.List.of("none", "basic", "extended", "all").contains(level)) {
                throw new IllegalArgumentException(
                        "onnxruntime optimization '" + level + "': expected none, basic, extended or all");
            }
            this.optimization = level;
            return this;
        }

        /** Untimed runs before timing (default 10). */
        public Builder warmup(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("onnxruntime warmup " + n + ": expected >= 0");
            }
            this.warmup = n;
            return this;
        }

        /** Timed runs per measurement (default 30). */
        public Builder samples(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("onnxruntime samples " + n + ": expected >= 1");
            }
            this.samples = n;
            return this;
        }

        /** Builds the measurer (ONNX Runtime is loaded on first use). */
        public OnnxRuntimeMeasurer build() {
            return new OnnxRuntimeMeasurer(this);
        }
    }

    @Override
    public String name() {
        return "onnxruntime";
    }

    /** Below the JVM measurer: chosen automatically only when asked for by name. */
    @Override
    public int rank() {
        return 5;
    }

    @Override
    public boolean isAvailable() {
        try {
            Class.forName("ai.onnxruntime.OrtEnvironment");
            OnnxRuntimeSession.version();
            return true;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return false;
        }
    }

    @Override
    public DeviceInfo device() {
        DeviceInfo jvm = DeviceInfo.thisJvm(name(), threads);
        String version = isAvailable() ? OnnxRuntimeSession.version() : "missing";
        return new DeviceInfo(
                jvm.name().replaceFirst("^jvm:", "onnxruntime:"),
                name(),
                threads,
                jvm.os(),
                jvm.arch(),
                "onnxruntime " + version + ", graph optimization " + optimization + ", " + jvm.runtime(),
                jvm.date());
    }

    @Override
    public Measurement measure(NetworkSpec spec, int batchSize) {
        if (spec == null) {
            throw new IllegalArgumentException("spec is missing");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize " + batchSize + ": expected >= 1");
        }
        if (!isAvailable()) {
            throw new IllegalStateException("ONNX Runtime is not on the classpath: add "
                    + "com.microsoft.onnxruntime:onnxruntime to measure with the 'onnxruntime' measurer");
        }
        byte[] model = OnnxExport.toBytes(Network.realize(spec, 1));
        int c = spec.inputChannels();
        int r = spec.resolution();
        float[] x = new float[batchSize * c * r * r];
        SplittableRandom rng = new SplittableRandom(7);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        double[] ms = new double[samples];
        try (OnnxRuntimeSession s = OnnxRuntimeSession.open(model, threads, optimization)) {
            for (int i = 0; i < warmup; i++) {
                s.run(x, batchSize, c, r, r);
            }
            for (int i = 0; i < samples; i++) {
                long t0 = System.nanoTime();
                s.run(x, batchSize, c, r, r);
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        return Measurement.of(ms, threads);
    }

    @Override
    public String toString() {
        return "onnxruntime(threads " + threads + ", optimization " + optimization + ", warmup " + warmup + ", samples "
                + samples + ")";
    }

    /** The settings, for reports. */
    public String settings() {
        return String.join(
                ", ",
                Arrays.asList(
                        "threads " + threads,
                        "optimization " + optimization,
                        "warmup " + warmup,
                        "samples " + samples));
    }
}
