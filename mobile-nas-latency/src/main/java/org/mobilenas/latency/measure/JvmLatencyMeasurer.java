package org.mobilenas.latency.measure;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.mobilenas.core.engine.Model;
import org.mobilenas.core.engine.Network;
import org.mobilenas.core.engine.Tensor;
import org.mobilenas.core.engine.kernels.Parallel;
import org.mobilenas.core.spec.NetworkSpec;

/**
 * The default measurer: this JVM running the realized network ({@link Network}, whose GEMM may call ND4J) in
 * {@link Model.Mode#EVAL}. Per network: warm-up runs, then {@code samples} timed samples, each long enough
 * ({@code minSampleMs}) to average out timer resolution; the median and quartiles are reported with the
 * kernels' thread count. Each network's samples are taken back to back in three rounds over the networks (the
 * steady state of a network run repeatedly, caches warm), and networks whose relative spread exceeds {@code maxRelativeSpread} are measured again, up to {@code retries}
 * times, keeping the tighter measurement. On a machine shared with other work, run single-threaded
 * ({@code -Dmobilenas.threads=1}, {@code OMP_NUM_THREADS=1}): the {@link Clock#AUTO} clock then reads the
 * measuring thread's CPU time, which competing processes do not inflate.
 *
 * <pre>{@code
 * JvmLatencyMeasurer m = JvmLatencyMeasurer.builder().samples(21).minSampleMs(2).build();
 * Measurement r = m.measure(spec, 1);
 * }</pre>
 */
public final class JvmLatencyMeasurer implements LatencyMeasurer {
    /** Name under which this measurer is registered. */
    public static final String NAME = "jvm";

    private static volatile boolean jitWarm;
    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    /**
     * What a sample's duration is read from. {@link #WALL}: elapsed time ({@link System#nanoTime()}).
     * {@link #THREAD_CPU}: CPU time of the measuring thread, which other processes competing for the cores do
     * not inflate; it is the whole latency only when the network runs on that one thread (kernel threads 1,
     * {@code OMP_NUM_THREADS=1}). {@link #AUTO}: {@code THREAD_CPU} in that single-threaded case, else {@code WALL}.
     */
    public enum Clock {
        /** Elapsed time. */
        WALL,
        /** CPU time of the measuring thread. */
        THREAD_CPU,
        /** {@code THREAD_CPU} with one kernel thread, else {@code WALL}. */
        AUTO
    }

    private final int samples;
    private final double minSampleMs;
    private final double warmupMs;
    private final double maxRelativeSpread;
    private final int retries;
    private final long seed;
    private final Clock clock;
    private final boolean driftCorrection;
    /** The reference network's latency when this JVM first measured it, per clock; 0 until then. */
    private static final double[] REFERENCE_BASE_MS = new double[Clock.values().length];

    /** The defaults: 15 samples of at least 1 ms, 3 s of first warm-up, re-measure above 5 % spread twice. */
    public JvmLatencyMeasurer() {
        this(builder());
    }

    private JvmLatencyMeasurer(Builder b) {
        this.samples = b.samples;
        this.minSampleMs = b.minSampleMs;
        this.warmupMs = b.warmupMs;
        this.maxRelativeSpread = b.maxRelativeSpread;
        this.retries = b.retries;
        this.seed = b.seed;
        this.clock = resolve(b.clock);
        this.driftCorrection = b.driftCorrection;
    }

    private static Clock resolve(Clock c) {
        if (c != Clock.AUTO) {
            if (c == Clock.THREAD_CPU && !THREADS.isCurrentThreadCpuTimeSupported()) {
                throw new IllegalStateException("clock THREAD_CPU: this JVM cannot read a thread's CPU time");
            }
            return c;
        }
        boolean single = Parallel.threads() == 1 && "1".equals(System.getenv("OMP_NUM_THREADS"));
        return single && THREADS.isCurrentThreadCpuTimeSupported() ? Clock.THREAD_CPU : Clock.WALL;
    }

    /** The clock in use ({@link Clock#AUTO} resolved). */
    public Clock clock() {
        return clock;
    }

    private long now() {
        return clock == Clock.THREAD_CPU ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /**
     * The measurer the experiments use: the thread CPU-time clock when the engine runs one kernel thread (so
     * another process on the machine does not inflate the numbers), the wall clock otherwise; {@code samples}
     * timed runs, with retries of noisy measurements from 5 samples up.
     */
    public static JvmLatencyMeasurer forEngine(int samples) {
        return builder()
                .clock(Parallel.threads() == 1 ? Clock.THREAD_CPU : Clock.WALL)
                .samples(samples)
                .retries(samples < 5 ? 0 : 2)
                .build();
    }

    /** A builder with the defaults given on its setters. */
    public static Builder builder() {
        return new Builder();
    }

    /** Options of a {@link JvmLatencyMeasurer}. */
    public static final class Builder {
        private int samples = 15;
        private double minSampleMs = 1.0;
        private double warmupMs = 3000;
        private double maxRelativeSpread = 0.05;
        private int retries = 2;
        private long seed = 7;
        private Clock clock = Clock.AUTO;
        private boolean driftCorrection = true;

        private Builder() {}

        /** What sample durations are read from (default {@link Clock#AUTO}). */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /** Timed samples per network (at least 1). */
        public Builder samples(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("samples " + n + " must be >= 1");
            }
            this.samples = n;
            return this;
        }

        /** Minimum duration of one sample; fast networks run several times per sample. */
        public Builder minSampleMs(double ms) {
            if (!(ms >= 0) || !Double.isFinite(ms)) {
                throw new IllegalArgumentException("minSampleMs " + ms + " must be a finite number >= 0");
            }
            this.minSampleMs = ms;
            return this;
        }

        /**
         * Warm-up time of the first measurement in this JVM (just-in-time compilation; default 3 s). Whole networks
         * measured again and again in one JVM ran 10-20 % slower in the first second or two; on a shared virtual
         * machine their latency then still varied by 10-30 % over minutes.
         */
        public Builder warmupMs(double ms) {
            if (!(ms >= 0) || !Double.isFinite(ms)) {
                throw new IllegalArgumentException("warmupMs " + ms + " must be a finite number >= 0");
            }
            this.warmupMs = ms;
            return this;
        }

        /** Inter-quartile range over median above which a network is measured again. */
        public Builder maxRelativeSpread(double r) {
            if (!(r > 0) || !Double.isFinite(r)) {
                throw new IllegalArgumentException("maxRelativeSpread " + r + " must be a finite number > 0");
            }
            this.maxRelativeSpread = r;
            return this;
        }

        /** How many times a too-noisy measurement is repeated (0 = never). */
        public Builder retries(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("retries " + n + " must be >= 0");
            }
            this.retries = n;
            return this;
        }

        /**
         * Whether samples are corrected for the machine's drift (default on): before each network's block of
         * samples a fixed small reference network is timed, and the samples are scaled by the reference's latency
         * when this JVM first measured it over its latency now. On a shared virtual machine every network of a
         * measurement pass ran up to 30 % slower or faster together from one minute to the next; the correction
         * removes that common part, so measurements taken minutes apart in one JVM (a table's entries and the
         * networks it predicts) stay comparable. Differences between JVMs are not corrected.
         */
        public Builder driftCorrection(boolean on) {
            this.driftCorrection = on;
            return this;
        }

        /** Seed of the parameters and inputs (latency does not depend on it). */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** Builds the measurer. */
        public JvmLatencyMeasurer build() {
            return new JvmLatencyMeasurer(this);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int rank() {
        return 100;
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public DeviceInfo device() {
        DeviceInfo d = DeviceInfo.thisJvm(NAME, Parallel.threads());
        return new DeviceInfo(
                d.name(),
                d.measurer(),
                d.threads(),
                d.os(),
                d.arch(),
                d.runtime() + ", clock=" + clock.name().toLowerCase(java.util.Locale.ROOT),
                d.date());
    }

    @Override
    public Measurement measure(NetworkSpec spec, int batchSize) {
        return measureAll(List.of(spec), batchSize).get(0);
    }

    @Override
    public List<Measurement> measureAll(List<NetworkSpec> specs, int batchSize) {
        Objects.requireNonNull(specs, "specs");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize " + batchSize + " must be >= 1");
        }
        if (specs.isEmpty()) {
            return List.of();
        }
        int n = specs.size();
        Runner[] runners = new Runner[n];
        for (int i = 0; i < n; i++) {
            runners[i] = new Runner(Objects.requireNonNull(specs.get(i), "specs[" + i + "]"), batchSize);
        }
        if (!jitWarm) {
            long end = System.nanoTime() + (long) (warmupMs * 1e6);
            do {
                for (Runner r : runners) {
                    r.run(1);
                }
            } while (System.nanoTime() < end);
            jitWarm = true;
        }
        for (Runner r : runners) {
            r.calibrate();
        }
        Measurement[] result = timed(runners, samples);
        int[] all = new int[n];
        Arrays.setAll(all, i -> i);
        int[] noisy = all;
        for (int attempt = 0; attempt < retries; attempt++) {
            Measurement[] current = result;
            noisy = Arrays.stream(noisy)
                    .filter(i -> current[i].relativeSpread() > maxRelativeSpread)
                    .toArray();
            if (noisy.length == 0) {
                break;
            }
            Runner[] again = new Runner[noisy.length];
            for (int j = 0; j < noisy.length; j++) {
                again[j] = runners[noisy[j]];
            }
            Measurement[] redo = timed(again, samples * 2);
            for (int j = 0; j < noisy.length; j++) {
                if (redo[j].relativeSpread() < result[noisy[j]].relativeSpread()) {
                    result[noisy[j]] = redo[j];
                }
            }
        }
        return List.of(result);
    }

    /**
     * {@code count} samples of every runner, in three rounds over the runners (rotating which runs first): in each
     * round a runner gets one untimed run and then its share of the samples back to back. Back to back, a sample
     * sees the caches as a network run repeatedly on the device does (its weights and buffers resident): samples
     * interleaved one by one across networks measured each as the previous network left the caches, 15-40 %
     * slower than alone, and tiny probe networks (many repetitions per sample) less so than whole networks, which
     * biased lookup tables against end-to-end measurements. The rounds spread each network's samples over the
     * whole measurement, so that a slow drift of the machine does not fall on one network only.
     */
    private Measurement[] timed(Runner[] runners, int count) {
        int n = runners.length;
        double[][] ms = new double[n][count];
        int rounds = Math.min(3, count);
        int[] taken = new int[n];
        Runner reference = driftCorrection ? reference() : null;
        for (int round = 0; round < rounds; round++) {
            int share = (count * (round + 1)) / rounds - (count * round) / rounds;
            for (int j = 0; j < n; j++) {
                int i = (j + round) % n;
                Runner r = runners[i];
                double factor = reference == null ? 1 : driftFactor(reference);
                r.run(1);
                for (int s = 0; s < share; s++) {
                    long t0 = now();
                    r.run(r.reps);
                    ms[i][taken[i]++] = (now() - t0) / 1e6 / r.reps * factor;
                }
            }
        }
        Measurement[] out = new Measurement[n];
        int threads = Parallel.threads();
        for (int i = 0; i < n; i++) {
            out[i] = Measurement.of(ms[i], threads);
        }
        return out;
    }

    /** The drift reference: a small fixed network (pointwise, depthwise and dense layers, about 0.3 ms here). */
    private Runner reference() {
        NetworkSpec ref = NetworkSpec.builder("drift-reference", 16, 16)
                .stem(org.mobilenas.core.spec.ConvBlock.of(32, 1, 1, org.mobilenas.core.spec.Activation.RELU))
                .stage(
                        "s",
                        new org.mobilenas.core.spec.MBConvBlock(
                                32,
                                3,
                                1,
                                3,
                                0,
                                null,
                                org.mobilenas.core.spec.Activation.RELU,
                                org.mobilenas.core.spec.Skip.IDENTITY))
                .head(org.mobilenas.core.spec.GlobalPoolBlock.avg())
                .classifier(10, 0)
                .build();
        Runner r = new Runner(ref, 1);
        r.calibrate();
        synchronized (REFERENCE_BASE_MS) {
            if (REFERENCE_BASE_MS[clock.ordinal()] == 0) {
                REFERENCE_BASE_MS[clock.ordinal()] = referenceMs(r, 15);
            }
        }
        return r;
    }

    /** Median of {@code samples} timed samples of the reference. */
    private double referenceMs(Runner r, int samples) {
        double[] t = new double[samples];
        r.run(1);
        for (int s = 0; s < samples; s++) {
            long t0 = now();
            r.run(r.reps);
            t[s] = (now() - t0) / 1e6 / r.reps;
        }
        Arrays.sort(t);
        return Math.max(1e-6, t[samples / 2]);
    }

    /** The reference's first latency in this JVM over its latency now. */
    private double driftFactor(Runner reference) {
        return REFERENCE_BASE_MS[clock.ordinal()] / referenceMs(reference, 5);
    }

    /** One realized network with its input. */
    private final class Runner {
        final Network net;
        final Tensor input;
        int reps = 1;

        Runner(NetworkSpec spec, int batch) {
            net = Network.realize(spec, seed);
            input = new Tensor(batch, spec.resolution(), spec.resolution(), spec.inputChannels());
            SplittableRandom rng = new SplittableRandom(seed);
            for (int i = 0; i < input.size(); i++) {
                input.data[i] = (float) rng.nextGaussian();
            }
        }

        void run(int times) {
            for (int t = 0; t < times; t++) {
                net.forward(input, Model.Mode.EVAL);
            }
        }

        /** Two warm-up runs, then enough repetitions per sample to last {@code minSampleMs}. */
        void calibrate() {
            run(2);
            double[] t = new double[3];
            for (int i = 0; i < t.length; i++) {
                long t0 = now();
                run(1);
                t[i] = (now() - t0) / 1e6;
            }
            Arrays.sort(t);
            double one = Math.max(1e-4, t[1]);
            reps = (int) Math.max(1, Math.min(10_000, Math.ceil(minSampleMs / one)));
        }
    }

    @Override
    public String toString() {
        return "JvmLatencyMeasurer[samples=" + samples + ", minSampleMs=" + minSampleMs + ", threads="
                + Parallel.threads() + ", clock=" + clock + "]";
    }
}
