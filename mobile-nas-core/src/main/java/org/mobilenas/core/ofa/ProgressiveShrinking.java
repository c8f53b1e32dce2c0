package org.mobilenas.core.ofa;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.mobilenas.core.data.ImageDataset;
import org.mobilenas.core.engine.Model;
import org.mobilenas.core.engine.Network;
import org.mobilenas.core.engine.Param;
import org.mobilenas.core.engine.Tensor;
import org.mobilenas.core.json.Json;
import org.mobilenas.core.train.Evaluation;
import org.mobilenas.core.train.Losses;
import org.mobilenas.core.train.LrSchedule;
import org.mobilenas.core.train.Optimizer;
import org.mobilenas.core.train.ParameterUpdate;

/**
 * Once-for-All's progressive shrinking: train the full network, then make the kernel elastic, then the depth (two
 * sub-phases), then the expand ratio (two sub-phases, channels sorted by importance at the start of each; the
 * second keeps the channels of the ratios the first trained in front and sorts only within them). Every
 * step samples one resolution for the batch and {@code subnetsPerStep} subnets whose gradients accumulate into one
 * update; after the first phase the loss adds distillation from a frozen copy of the full network. After each
 * phase the supernet, the teacher and the progress are written to the checkpoint directory; a run pointed at a
 * directory with a checkpoint resumes after the last completed phase.
 *
 * <pre>{@code
 * ShrinkingResult r = ProgressiveShrinking.builder()
 *     .phases(ProgressiveShrinking.paperPhases(space, 0.1, 1.0 / 60))
 *     .batchSize(64).checkpointDir(Path.of("ofa-ckpt")).seed(1)
 *     .build()
 *     .fit(supernet, train, validation);
 * }</pre>
 */
public final class ProgressiveShrinking {
    /** File names inside the checkpoint directory. */
    public static final String SUPERNET_FILE = "supernet.params";
    /** File name of the trained full network (the distillation teacher) in the checkpoint directory. */
    public static final String TEACHER_FILE = "teacher.mnas";
    /** File name of the phase journal in the checkpoint directory. */
    public static final String PROGRESS_FILE = "progress.json";

    private final List<ShrinkingPhase> phases;
    private final int batchSize;
    private final Optimizer optimizer;
    private final double weightDecay;
    private final double labelSmoothing;
    private final double distillationWeight;
    private final Path checkpointDir;
    private final long seed;
    private final int calibrationImages;
    private final Consumer<PhaseResult> listener;
    private final int maxStepsPerEpoch;
    private final Model.Mode teacherMode;

    private ProgressiveShrinking(Builder b) {
        this.phases = List.copyOf(b.phases);
        this.batchSize = b.batchSize;
        this.optimizer = b.optimizer;
        this.weightDecay = b.weightDecay;
        this.labelSmoothing = b.labelSmoothing;
        this.distillationWeight = b.distillationWeight;
        this.checkpointDir = b.checkpointDir;
        this.seed = b.seed;
        this.calibrationImages = b.calibrationImages;
        this.listener = b.listener;
        this.maxStepsPerEpoch = b.maxStepsPerEpoch;
        this.teacherMode = b.teacherMode;
    }

    /** A builder with the paper's settings; the phases are required (see {@link Builder#phases}). */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The paper's schedule for {@code space}: full network (180 epochs), elastic kernel (120, one subnet per step),
     * elastic depth (top two depths 25 epochs, then all 120; two subnets per step), elastic expand (top two ratios
     * 25, then all 120; four subnets per step, channels sorted first). Epochs are multiplied by
     * {@code epochScale} (at least one each); learning rates are the paper's relative to the full network's
     * {@code baseLr} (kernel 0.3x, first sub-phases 0.025x, second 0.075x), cosine-decayed within each phase.
     */
    public static List<ShrinkingPhase> paperPhases(ElasticSpace space, double baseLr, double epochScale) {
        if (!(baseLr > 0) || !(epochScale > 0)) {
            throw new IllegalArgumentException(
                    "baseLr = " + baseLr + " and epochScale = " + epochScale + " must be > 0");
        }
        List<Integer> k = space.kernels();
        List<Integer> maxK = List.of(space.maxKernel());
        List<Integer> maxD = List.of(space.maxDepth());
        List<Integer> maxE = List.of(space.maxExpand());
        List<Integer> d = space.depths();
        List<Integer> e = space.expands();
        List<Integer> topD = d.subList(Math.max(0, d.size() - 2), d.size());
        List<Integer> topE = e.subList(Math.max(0, e.size() - 2), e.size());
        return List.of(
                new ShrinkingPhase(
                        "full", maxK, maxD, maxE, 1, epochs(180, epochScale), LrSchedule.cosine(baseLr), false, false),
                new ShrinkingPhase(
                        "kernel",
                        k,
                        maxD,
                        maxE,
                        1,
                        epochs(120, epochScale),
                        LrSchedule.cosine(0.3 * baseLr),
                        false,
                        true),
                new ShrinkingPhase(
                        "depth-1",
                        k,
                        topD,
                        maxE,
                        2,
                        epochs(25, epochScale),
                        LrSchedule.cosine(0.025 * baseLr),
                        false,
                        true),
                new ShrinkingPhase(
                        "depth-2",
                        k,
                        d,
                        maxE,
                        2,
                        epochs(120, epochScale),
                        LrSchedule.cosine(0.075 * baseLr),
                        false,
                        true),
                new ShrinkingPhase(
                        "expand-1",
                        k,
                        d,
                        topE,
                        4,
                        epochs(25, epochScale),
                        LrSchedule.cosine(0.025 * baseLr),
                        true,
                        true),
                new ShrinkingPhase(
                        "expand-2",
                        k,
                        d,
                        e,
                        4,
                        epochs(120, epochScale),
                        LrSchedule.cosine(0.075 * baseLr),
                        true,
                        true));
    }

    private static int epochs(int paper, double scale) {
        return (int) Math.max(1, Math.round(paper * scale));
    }

    /** Fluent configuration of {@link ProgressiveShrinking}. */
    public static final class Builder {
        private List<ShrinkingPhase> phases;
        private int batchSize = 64;
        private Optimizer optimizer = Optimizer.sgd(0.9, true);
        private double weightDecay = 3e-5;
        private double labelSmoothing = 0.1;
        private double distillationWeight = 1.0;
        private Path checkpointDir;
        private long seed;
        private int calibrationImages = 2000;
        private Consumer<PhaseResult> listener = r -> {};
        private int maxStepsPerEpoch = Integer.MAX_VALUE;
        private Model.Mode teacherMode = Model.Mode.TRAIN;

        private Builder() {}

        /**
         * How the frozen full network computes its soft targets: {@link Model.Mode#TRAIN} (default, as
         * Once-for-All's training code does: batch statistics in batch norm, like the student it teaches, and
         * dropout) or {@link Model.Mode#EVAL} (running statistics, no dropout). The teacher is never updated.
         */
        public Builder teacherMode(Model.Mode mode) {
            this.teacherMode = Objects.requireNonNull(mode, "teacherMode");
            return this;
        }

        /** The phases in order (e.g. {@link #paperPhases}). */
        public Builder phases(List<ShrinkingPhase> p) {
            if (p == null || p.isEmpty()) {
                throw new IllegalArgumentException("phases must be a non-empty list, got " + p);
            }
            this.phases = List.copyOf(p);
            return this;
        }

        /** Training batch size. */
        public Builder batchSize(int b) {
            if (b < 2) {
                throw new IllegalArgumentException("batchSize = " + b + ", expected >= 2 (batch norm)");
            }
            this.batchSize = b;
            return this;
        }

        /** Update rule (default SGD with Nesterov momentum 0.9, as in the paper). */
        public Builder optimizer(Optimizer o) {
            this.optimizer = Objects.requireNonNull(o, "optimizer");
            return this;
        }

        /** L2 weight decay on conv and linear weights (not BN, biases or transforms); default 3e-5. */
        public Builder weightDecay(double wd) {
            if (!(wd >= 0) || !Double.isFinite(wd)) {
                throw new IllegalArgumentException("weightDecay = " + wd + ", expected a finite value >= 0");
            }
            this.weightDecay = wd;
            return this;
        }

        /** Label smoothing of the hard-label loss term. */
        public Builder labelSmoothing(double s) {
            if (!(s >= 0 && s < 1)) {
                throw new IllegalArgumentException("labelSmoothing = " + s + ", expected in [0, 1)");
            }
            this.labelSmoothing = s;
            return this;
        }

        /** Weight of the distillation term (default 1, the paper's). */
        public Builder distillationWeight(double w) {
            if (!(w >= 0) || !Double.isFinite(w)) {
                throw new IllegalArgumentException("distillationWeight = " + w + ", expected a finite value >= 0");
            }
            this.distillationWeight = w;
            return this;
        }

        /** Directory for phase checkpoints; a run resumes from it when it holds one. */
        public Builder checkpointDir(Path dir) {
            this.checkpointDir = dir;
            return this;
        }

        /** Seed of shuffling, augmentation and the subnets sampled per step. */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /**
         * Training images used to recalibrate BN before the per-phase validation (default 2000, Once-for-All's
         * sub-train set size).
         */
        public Builder calibrationImages(int n) {
            if (n < 2) {
                throw new IllegalArgumentException("calibrationImages = " + n + ", expected >= 2");
            }
            this.calibrationImages = n;
            return this;
        }

        /** Called after each phase (trained or restored). */
        public Builder listener(Consumer<PhaseResult> l) {
            this.listener = Objects.requireNonNull(l, "listener");
            return this;
        }

        /** Caps the steps of an epoch (for a proxy budget); default: the whole training set. */
        public Builder maxStepsPerEpoch(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxStepsPerEpoch = " + n + ", expected >= 1");
            }
            this.maxStepsPerEpoch = n;
            return this;
        }

        /** Builds the trainer of the supernet. */
        public ProgressiveShrinking build() {
            if (phases == null) {
                throw new IllegalArgumentException(
                        "phases are not set; use phases(ProgressiveShrinking.paperPhases(...))");
            }
            return new ProgressiveShrinking(this);
        }
    }

    /**
     * Progress written after each phase, with what the run was started with: the shrinking settings and the data's
     * fingerprint (absent in checkpoints of earlier versions, which are resumed unchecked).
     */
    record Progress(String space, List<String> phases, List<PhaseResult> completed, String settings, String data) {}

    /** The settings a checkpoint must have been written with to be resumed. */
    private String settings() {
        return "batchSize=" + batchSize + ";optimizer=" + optimizer + ";weightDecay=" + weightDecay
                + ";labelSmoothing=" + labelSmoothing + ";distillationWeight=" + distillationWeight + ";seed=" + seed
                + ";calibrationImages=" + calibrationImages + ";maxStepsPerEpoch=" + maxStepsPerEpoch
                + ";teacherMode=" + teacherMode + ";phases=" + phases;
    }

    private static String data(ImageDataset train, ImageDataset validation) {
        return "train " + train.fingerprint() + ", validation "
                + (validation == null ? "none" : validation.fingerprint());
    }

    /**
     * Trains {@code supernet} through every phase not yet completed in the checkpoint directory. Each batch of
     * {@code train} is resized (bilinear) to the resolution sampled for it. {@code validation} may be null (no
     * per-phase accuracy).
     */
    public ShrinkingResult fit(ElasticSupernet supernet, ImageDataset train, ImageDataset validation) {
        Objects.requireNonNull(supernet, "supernet");
        Objects.requireNonNull(train, "train");
        ElasticSpace space = supernet.space();
        for (ShrinkingPhase p : phases) {
            p.validate(space);
        }
        if (train.size() < batchSize) {
            throw new IllegalArgumentException(
                    "train has " + train.size() + " images, fewer than batchSize " + batchSize);
        }
        long t0 = System.nanoTime();
        List<PhaseResult> done = new ArrayList<>();
        Network teacher = null;
        int resumed = 0;
        if (checkpointDir != null && Files.exists(checkpointDir.resolve(PROGRESS_FILE))) {
            Progress p = readProgress(space, data(train, validation));
            done.addAll(p.completed());
            resumed = done.size();
            supernet.load(checkpointDir.resolve(SUPERNET_FILE));
            if (Files.exists(checkpointDir.resolve(TEACHER_FILE))) {
                teacher = Network.load(checkpointDir.resolve(TEACHER_FILE));
            }
            done.forEach(listener);
        }
        for (int i = done.size(); i < phases.size(); i++) {
            ShrinkingPhase phase = phases.get(i);
            if (phase.distill() && teacher == null) {
                teacher = supernet.extract(space.maxConfig());
            }
            PhaseResult r = runPhase(supernet, phase, i, train, validation, phase.distill() ? teacher : null);
            done.add(r);
            if (r.diverged()) {
                listener.accept(r);
                break;
            }
            if (checkpointDir != null) {
                writeCheckpoint(supernet, teacher, space, done, data(train, validation));
            }
            listener.accept(r);
        }
        return new ShrinkingResult(done, resumed, (System.nanoTime() - t0) / 1e9);
    }

    private Progress readProgress(ElasticSpace space, String data) {
        Path file = checkpointDir.resolve(PROGRESS_FILE);
        try {
            JsonNode node = Json.mapper().readTree(Files.readString(file));
            Progress p = Json.mapper().treeToValue(node, Progress.class);
            if (!space.name().equals(p.space())) {
                throw new IllegalArgumentException(
                        file + ": checkpoint of space '" + p.space() + "', expected '" + space.name() + "'");
            }
            List<String> names = phases.stream().map(ShrinkingPhase::name).toList();
            if (!names.equals(p.phases())) {
                throw new IllegalArgumentException(
                        file + ": checkpoint phases " + p.phases() + " differ from the configured phases " + names);
            }
            if (p.settings() != null && !p.settings().equals(settings())) {
                throw new IllegalArgumentException(
                        file + ": checkpoint written with settings " + p.settings() + ", but this run has " + settings()
                                + "; expected the same (or an empty checkpoint directory)");
            }
            if (p.data() != null && !p.data().equals(data)) {
                throw new IllegalArgumentException(file + ": checkpoint trained on data " + p.data()
                        + ", but this run has " + data + "; expected the same data (or an empty checkpoint directory)");
            }
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }

    private void writeCheckpoint(
            ElasticSupernet supernet, Network teacher, ElasticSpace space, List<PhaseResult> done, String data) {
        supernet.save(checkpointDir.resolve(SUPERNET_FILE));
        if (teacher != null) {
            teacher.save(checkpointDir.resolve(TEACHER_FILE));
        }
        Progress p = new Progress(
                space.name(), phases.stream().map(ShrinkingPhase::name).toList(), done, settings(), data);
        org.mobilenas.core.io.AtomicFiles.writeString(checkpointDir.resolve(PROGRESS_FILE), Json.write(p));
    }

    private PhaseResult runPhase(
            ElasticSupernet supernet,
            ShrinkingPhase phase,
            int index,
            ImageDataset train,
            ImageDataset validation,
            Network teacher) {
        long t0 = System.nanoTime();
        ElasticSpace space = supernet.space();
        if (phase.sortChannels()) {
            // Ratios the previous phase trained keep their channels; only a new ratio picks by importance.
            List<Integer> trained = new ArrayList<>();
            if (index > 0) {
                for (int e : phases.get(index - 1).expands()) {
                    if (e < space.maxExpand()) {
                        trained.add(e);
                    }
                }
            }
            supernet.sortChannels(trained);
        }
        supernet.seed(seed * 7919L + index);
        // The shared step: finite-gradient check, weight decay on weights only (BN, biases and the kernel
        // transformation matrices are exempt by their role), the optimizer.
        ParameterUpdate update = ParameterUpdate.of(
                optimizer, weightDecay, true, supernet.parameters().trainable());
        Map<String, float[]> before = supernet.parameters().snapshot();
        String divergence = null;
        Map<Integer, Network> teachers = new LinkedHashMap<>();
        SplittableRandom rng = new SplittableRandom(seed * 1_000_003L + index);
        int perEpoch = Math.min(maxStepsPerEpoch, train.batchCount(batchSize, true));
        long total = (long) perEpoch * phase.epochs();
        long step = 0;
        double lossSum = 0;
        long lossCount = 0;
        int k = train.numClasses();
        for (int epoch = 0; epoch < phase.epochs(); epoch++) {
            lossSum = 0;
            lossCount = 0;
            int inEpoch = 0;
            for (ImageDataset.Batch b : train.shuffledBatches(batchSize, rng.nextLong(), true)) {
                if (inEpoch++ >= perEpoch) {
                    break;
                }
                int r = space.resolutions().get(rng.nextInt(space.resolutions().size()));
                Tensor x = resized(b, train, r);
                int n = b.size();
                float[] soft = null;
                if (teacher != null) {
                    soft = teacherAt(teachers, teacher, r)
                            .forward(x, teacherMode)
                            .data
                            .clone();
                }
                supernet.parameters().zeroGrad();
                for (int s = 0; s < phase.subnetsPerStep(); s++) {
                    SubnetConfig c = space.sample(rng, List.of(r), phase.depths(), phase.kernels(), phase.expands());
                    supernet.setActiveSubnet(c);
                    Tensor logits = supernet.forward(x, Model.Mode.TRAIN);
                    float[] g = new float[n * k];
                    double loss = Losses.softmaxCrossEntropy(logits.data, n, k, b.labels(), labelSmoothing, g, 1f);
                    if (soft != null && distillationWeight > 0) {
                        loss += distillationWeight
                                * Losses.distillation(logits.data, soft, n, k, 1.0, g, (float) distillationWeight);
                    }
                    if (!Double.isFinite(loss)) {
                        divergence = "loss is " + loss;
                        break;
                    }
                    lossSum += loss;
                    lossCount++;
                    supernet.backward(new Tensor(g, n, 1, 1, k));
                }
                double lr = phase.schedule().rate(step, perEpoch, total);
                if (divergence == null) {
                    divergence = update.apply(step + 1, lr);
                }
                if (divergence != null) {
                    divergence = String.format(
                            java.util.Locale.ROOT,
                            "phase %s epoch %d step %d: %s (learning rate " + "%.4g); lower this phase's learning rate",
                            phase.name(),
                            epoch,
                            step,
                            divergence,
                            lr);
                    break;
                }
                step++;
            }
            if (divergence != null) {
                break;
            }
        }
        if (divergence != null) {
            supernet.parameters().restore(before, "the supernet before phase " + phase.name());
            supernet.parameters().zeroGrad();
            supernet.setActiveSubnet(space.maxConfig());
            return new PhaseResult(
                    phase.name(),
                    phase.epochs(),
                    step,
                    lossCount == 0 ? Double.NaN : lossSum / lossCount,
                    Double.NaN,
                    Double.NaN,
                    (System.nanoTime() - t0) / 1e9,
                    divergence);
        }
        double maxAcc = Double.NaN;
        double minAcc = Double.NaN;
        if (validation != null) {
            maxAcc = accuracy(supernet, space.maxConfig(), train, validation);
            minAcc = accuracy(supernet, space.minConfig(), train, validation);
        }
        supernet.setActiveSubnet(space.maxConfig());
        return new PhaseResult(
                phase.name(),
                phase.epochs(),
                step,
                lossCount == 0 ? Double.NaN : lossSum / lossCount,
                maxAcc,
                minAcc,
                (System.nanoTime() - t0) / 1e9,
                null);
    }

    private double accuracy(ElasticSupernet supernet, SubnetConfig c, ImageDataset train, ImageDataset validation) {
        Network net = supernet.extractCalibrated(c, train, calibrationImages, seed);
        return Evaluation.of(net, ElasticSupernet.atResolution(validation, c.resolution()), 200)
                .top1();
    }

    private static Network teacherAt(Map<Integer, Network> cache, Network teacher, int r) {
        if (teacher.spec().resolution() == r) {
            return teacher;
        }
        return cache.computeIfAbsent(r, res -> {
            Network t = Network.realize(teacher.spec().withResolution(res), 0);
            for (Param p : t.parameters().all()) {
                p.set(teacher.parameters().get(p.name()).value());
            }
            return t;
        });
    }

    /** The batch's images bilinearly resized to {@code r x r}. */
    static Tensor resized(ImageDataset.Batch b, ImageDataset from, int r) {
        Tensor x = b.images();
        if (x.h == r && x.w == r) {
            return x;
        }
        ImageDataset d =
                new ImageDataset(Arrays.copyOf(x.data, x.size()), b.labels(), x.h, x.w, x.c, from.numClasses());
        int[] all = new int[b.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return d.resize(r, r).batch(all).images();
    }
}
