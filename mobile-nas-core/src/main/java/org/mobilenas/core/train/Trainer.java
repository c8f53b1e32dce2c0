package org.mobilenas.core.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mobilenas.core.data.Augmentation;
import org.mobilenas.core.data.ImageDataset;
import org.mobilenas.core.engine.Model;
import org.mobilenas.core.engine.Tensor;
import org.mobilenas.core.progress.Progress;
import org.mobilenas.core.spec.NetworkSpec;

/**
 * Trains a {@link Model} on an {@link ImageDataset} with mini-batch gradient descent: softmax cross-entropy with
 * optional label smoothing and knowledge distillation, weight decay, a learning-rate schedule with warm-up,
 * divergence detection, per-epoch validation, listeners, progress bar, and checkpoint/resume. The trainer is
 * immutable and can be reused; everything random is derived from {@link Builder#seed}, so the same seed, data and
 * initial model give identical results.
 *
 * <p>A trainer is serializable (its settings only), so that a distributed evaluator can train on a worker; one
 * with a distillation teacher, listeners or a checkpoint directory stays on its machine and refuses to be
 * serialized, naming what keeps it there.
 *
 * <pre>{@code
 * Trainer trainer = Trainer.builder()
 *     .optimizer(Optimizer.sgd(0.9, true))
 *     .schedule(LrSchedule.cosine(0.1).withWarmup(1))
 *     .epochs(10).batchSize(64).weightDecay(4e-5).labelSmoothing(0.1)
 *     .seed(42).progress(true).checkpointDir(Path.of("ckpt"))
 *     .build();
 * TrainingResult result = trainer.fit(model, split.train(), split.validation());
 * }</pre>
 */
public final class Trainer implements java.io.Serializable {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    private final Optimizer optimizer;
    private final LrSchedule schedule;
    private final int epochs;
    private final int batchSize;
    private final int evalBatchSize;
    private final double weightDecay;
    private final boolean skipDecayOnBatchNormAndBias;
    private final double labelSmoothing;
    private final Model teacher;
    private final double distillationWeight;
    private final double temperature;
    private final long seed;
    private final boolean progress;
    private final Path checkpointDir;
    private final List<TrainingListener> listeners;
    private final int recalibrationImages;
    private final double divergenceThreshold;
    private final boolean dropLast;
    private final Augmentation augmentation;

    private Trainer(Builder b) {
        this.optimizer = b.optimizer;
        this.schedule = b.schedule;
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.evalBatchSize = b.evalBatchSize > 0 ? b.evalBatchSize : Math.max(b.batchSize, 128);
        this.weightDecay = b.weightDecay;
        this.skipDecayOnBatchNormAndBias = b.skipDecayOnBatchNormAndBias;
        this.labelSmoothing = b.labelSmoothing;
        this.teacher = b.teacher;
        this.distillationWeight = b.distillationWeight;
        this.temperature = b.temperature;
        this.seed = b.seed;
        this.progress = b.progress;
        this.checkpointDir = b.checkpointDir;
        this.listeners = List.copyOf(b.listeners);
        this.recalibrationImages = b.recalibrationImages;
        this.divergenceThreshold = b.divergenceThreshold;
        this.dropLast = b.dropLast;
        this.augmentation = b.augmentation;
    }

    /** A builder with the defaults given on its setters. */
    public static Builder builder() {
        return new Builder();
    }

    @java.io.Serial
    private Object writeReplace() throws java.io.ObjectStreamException {
        List<String> local = new ArrayList<>();
        if (teacher != null) {
            local.add("a distillation teacher");
        }
        if (!listeners.isEmpty()) {
            local.add(listeners.size() + " listener(s)");
        }
        if (checkpointDir != null) {
            local.add("checkpointDir " + checkpointDir);
        }
        if (!local.isEmpty()) {
            throw new java.io.NotSerializableException("Trainer with " + String.join(", ", local) + " cannot be "
                    + "sent to another machine; build one without them for distributed training");
        }
        return new SerialForm(
                optimizer,
                schedule,
                epochs,
                batchSize,
                evalBatchSize,
                weightDecay,
                skipDecayOnBatchNormAndBias,
                labelSmoothing,
                seed,
                progress,
                recalibrationImages,
                divergenceThreshold,
                dropLast,
                augmentation);
    }

    @java.io.Serial
    private void readObject(java.io.ObjectInputStream in) throws java.io.InvalidObjectException {
        throw new java.io.InvalidObjectException("a Trainer is read through its serial form only");
    }

    /** The settings of a trainer on the wire; read back through the builder, which checks them. */
    private record SerialForm(
            Optimizer optimizer,
            LrSchedule schedule,
            int epochs,
            int batchSize,
            int evalBatchSize,
            double weightDecay,
            boolean skipDecay,
            double labelSmoothing,
            long seed,
            boolean progress,
            int recalibrationImages,
            double divergenceThreshold,
            boolean dropLast,
            Augmentation augmentation)
            implements java.io.Serializable {
        @java.io.Serial
        private Object readResolve() throws java.io.ObjectStreamException {
            try {
                return builder()
                        .optimizer(optimizer)
                        .schedule(schedule)
                        .epochs(epochs)
                        .batchSize(batchSize)
                        .evalBatchSize(evalBatchSize)
                        .weightDecay(weightDecay)
                        .skipDecayOnBatchNormAndBias(skipDecay)
                        .labelSmoothing(labelSmoothing)
                        .seed(seed)
                        .progress(progress)
                        .batchNormRecalibration(recalibrationImages)
                        .divergenceThreshold(divergenceThreshold)
                        .dropLast(dropLast)
                        .augmentation(augmentation)
                        .build();
            } catch (IllegalArgumentException e) {
                throw new java.io.InvalidObjectException("trainer settings: " + e.getMessage());
            }
        }
    }

    /**
     * Settings of a {@link Trainer}. Defaults: SGD with momentum 0.9, constant learning rate 0.01, 1 epoch,
     * batch size 64, no weight decay (BN and bias parameters skipped when decay is set), no label smoothing, no
     * distillation, seed 0, progress shown ({@link Progress}), no checkpoints, divergence when the batch loss exceeds 1e4.
     */
    public static final class Builder {
        private Optimizer optimizer = Optimizer.sgd(0.9, false);
        private LrSchedule schedule = LrSchedule.constant(0.01);
        private int epochs = 1;
        private int batchSize = 64;
        private int evalBatchSize;
        private double weightDecay;
        private boolean skipDecayOnBatchNormAndBias = true;
        private double labelSmoothing;
        private Model teacher;
        private double distillationWeight;
        private double temperature = 1;
        private long seed;
        private boolean progress = true;
        private Path checkpointDir;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private int recalibrationImages;
        private double divergenceThreshold = 1e4;
        private boolean dropLast = true;
        private Augmentation augmentation = Augmentation.none();

        private Builder() {}

        /** The update rule. */
        public Builder optimizer(Optimizer optimizer) {
            if (optimizer == null) {
                throw new IllegalArgumentException("optimizer must not be null");
            }
            this.optimizer = optimizer;
            return this;
        }

        /** The learning-rate schedule. */
        public Builder schedule(LrSchedule schedule) {
            if (schedule == null) {
                throw new IllegalArgumentException("schedule must not be null");
            }
            this.schedule = schedule;
            return this;
        }

        /** Number of passes over the training set, at least 1. */
        public Builder epochs(int epochs) {
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs = " + epochs + ", expected >= 1");
            }
            this.epochs = epochs;
            return this;
        }

        /** Training batch size, at least 1 (2 or more for networks with batch norm). */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize = " + batchSize + ", expected >= 1");
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Batch size for evaluation (default: max(batch size, 128)). */
        public Builder evalBatchSize(int evalBatchSize) {
            if (evalBatchSize < 1) {
                throw new IllegalArgumentException("evalBatchSize = " + evalBatchSize + ", expected >= 1");
            }
            this.evalBatchSize = evalBatchSize;
            return this;
        }

        /** L2 weight decay added to the gradient ({@code g += wd * w}). */
        public Builder weightDecay(double weightDecay) {
            if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
                throw new IllegalArgumentException("weightDecay = " + weightDecay + ", expected a finite value >= 0");
            }
            this.weightDecay = weightDecay;
            return this;
        }

        /** Whether BN gamma/beta and biases are exempt from weight decay (default true). */
        public Builder skipDecayOnBatchNormAndBias(boolean skip) {
            this.skipDecayOnBatchNormAndBias = skip;
            return this;
        }

        /** Label smoothing in [0, 1). */
        public Builder labelSmoothing(double labelSmoothing) {
            if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
                throw new IllegalArgumentException("labelSmoothing = " + labelSmoothing + ", expected in [0, 1)");
            }
            this.labelSmoothing = labelSmoothing;
            return this;
        }

        /**
         * Adds {@code weight * T^2 KL(softmax(teacher/T) || softmax(student/T))} to the loss; the teacher runs in
         * {@link Model.Mode#EVAL} on the same batches and is never updated.
         */
        public Builder distillation(Model teacher, double weight, double temperature) {
            if (teacher == null) {
                throw new IllegalArgumentException("distillation teacher must not be null");
            }
            if (!(weight > 0) || !Double.isFinite(weight)) {
                throw new IllegalArgumentException("distillation weight = " + weight + ", expected a finite value > 0");
            }
            if (!(temperature > 0) || !Double.isFinite(temperature)) {
                throw new IllegalArgumentException(
                        "distillation temperature = " + temperature + ", expected a finite value > 0");
            }
            this.teacher = teacher;
            this.distillationWeight = weight;
            this.temperature = temperature;
            return this;
        }

        /** Seed of shuffling, augmentation and dropout. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Shows each epoch's progress (default on): a bar on a terminal, a plain log line every 30 s otherwise,
         * nothing when the {@code CI} environment variable is set ({@link Progress}).
         */
        public Builder progress(boolean progress) {
            this.progress = progress;
            return this;
        }

        /** Writes a checkpoint here after every epoch and resumes from it when present. */
        public Builder checkpointDir(Path checkpointDir) {
            this.checkpointDir = checkpointDir;
            return this;
        }

        /** Adds a listener told after every epoch. */
        public Builder listener(TrainingListener listener) {
            if (listener == null) {
                throw new IllegalArgumentException("listener must not be null");
            }
            this.listeners.add(listener);
            return this;
        }

        /** Re-estimates BN statistics on this many training images before each validation (0: never). */
        public Builder batchNormRecalibration(int images) {
            if (images < 0) {
                throw new IllegalArgumentException("batchNormRecalibration images = " + images + ", expected >= 0");
            }
            this.recalibrationImages = images;
            return this;
        }

        /** A batch loss above this value counts as divergence (non-finite values always do). */
        public Builder divergenceThreshold(double threshold) {
            if (!(threshold > 0)) {
                throw new IllegalArgumentException("divergenceThreshold = " + threshold + ", expected > 0");
            }
            this.divergenceThreshold = threshold;
            return this;
        }

        /** Whether an epoch's last, smaller batch is skipped (default true). */
        public Builder dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /**
         * Augments every training batch (seeded per step from the trainer's seed); evaluation and BN
         * re-estimation see the images unchanged. Default: {@link Augmentation#none()}.
         */
        public Builder augmentation(Augmentation augmentation) {
            if (augmentation == null) {
                throw new IllegalArgumentException("augmentation is missing; use Augmentation.none() for none");
            }
            this.augmentation = augmentation;
            return this;
        }

        /** Builds the trainer from these settings. */
        public Trainer build() {
            return new Trainer(this);
        }
    }

    /** The settings as text, as recorded in results and checked when resuming. */
    public Map<String, String> settings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("optimizer", optimizer.toString());
        m.put("schedule", schedule.toString());
        m.put("epochs", Integer.toString(epochs));
        m.put("batchSize", Integer.toString(batchSize));
        m.put("dropLast", Boolean.toString(dropLast));
        m.put("weightDecay", Double.toString(weightDecay));
        m.put("skipDecayOnBatchNormAndBias", Boolean.toString(skipDecayOnBatchNormAndBias));
        m.put("labelSmoothing", Double.toString(labelSmoothing));
        m.put(
                "distillation",
                teacher == null ? "none" : "weight " + distillationWeight + ", temperature " + temperature);
        m.put("batchNormRecalibration", Integer.toString(recalibrationImages));
        if (!augmentation.isNone()) {
            m.put("augmentation", augmentation.toString());
        }
        m.put("seed", Long.toString(seed));
        return m;
    }

    /** Trains without a validation set. */
    public TrainingResult fit(Model model, ImageDataset train) {
        return fit(model, train, null);
    }

    /**
     * Trains {@code model} in place on {@code train}, validating on {@code validation} (may be null) after every
     * epoch. With a checkpoint directory that holds a checkpoint of the same settings, training resumes after its
     * epoch. On divergence the model's parameters are restored to the end of the last finished epoch.
     */
    public TrainingResult fit(Model model, ImageDataset train, ImageDataset validation) {
        checkCompatible(model, train, "train");
        if (validation != null) {
            checkCompatible(model, validation, "validation");
        }
        if (teacher != null) {
            checkCompatible(teacher, train, "train (teacher)");
        }
        int stepsPerEpoch = train.batchCount(batchSize, dropLast);
        if (stepsPerEpoch == 0) {
            throw new IllegalArgumentException("train has " + train.size() + " images, fewer than batchSize "
                    + batchSize + "; expected at least one full batch (or dropLast(false))");
        }
        long totalSteps = (long) stepsPerEpoch * epochs;
        ParameterUpdate update = ParameterUpdate.of(
                optimizer,
                weightDecay,
                skipDecayOnBatchNormAndBias,
                model.parameters().trainable());
        List<EpochStats> history = new ArrayList<>();
        int startEpoch = 0;
        long step = 0;
        Integer resumedAfter = null;
        if (checkpointDir != null) {
            checkWritableDirectory(checkpointDir);
        }
        String fingerprint = checkpointDir == null ? null : fingerprint(train, validation);
        if (checkpointDir != null && Checkpoint.exists(checkpointDir)) {
            Checkpoint ck = Checkpoint.read(checkpointDir);
            if (!ck.fingerprint.equals(fingerprint)) {
                throw new CheckpointMismatchException("checkpoint in " + checkpointDir + " was written by a run with "
                        + "settings and data " + ck.fingerprint + ", but this run has " + fingerprint
                        + "; expected the same settings and data (or use an empty checkpoint directory)");
            }
            Checkpoint.restore(model.parameters(), ck.params, "checkpoint " + Checkpoint.file(checkpointDir));
            update.restore(ck.optimizerState, "checkpoint " + Checkpoint.file(checkpointDir));
            history.addAll(ck.history);
            startEpoch = ck.epoch + 1;
            step = ck.step;
            resumedAfter = ck.epoch;
            if (ck.nextEpochSeed != epochSeed(startEpoch)) {
                throw new IllegalStateException("checkpoint " + Checkpoint.file(checkpointDir)
                        + ": random state does not match epoch " + startEpoch);
            }
        }
        int classes = train.numClasses();
        for (int epoch = startEpoch; epoch < epochs; epoch++) {
            Map<String, float[]> snapshot = Checkpoint.snapshot(model.parameters());
            long eSeed = epochSeed(epoch);
            model.seed(mix(eSeed, 0x5EED));
            double lossSum = 0;
            long correct = 0;
            long seen = 0;
            double lr = 0;
            TrainingResult.Divergence divergence = null;
            long t0 = System.nanoTime();
            try (Progress bar =
                    Progress.open(progress, String.format("epoch %d/%d", epoch + 1, epochs), stepsPerEpoch, "steps")) {
                for (ImageDataset.Batch batch : train.shuffledBatches(batchSize, eSeed, dropLast)) {
                    lr = schedule.rate(step, stepsPerEpoch, totalSteps);
                    model.parameters().zeroGrad();
                    Tensor input = augmentation.apply(batch.images(), mix(eSeed, 0xA06_0000L + step));
                    Tensor logits = model.forward(input, Model.Mode.TRAIN);
                    int n = batch.size();
                    int k = Evaluation.checkLogits(logits, n, classes);
                    float[] grad = new float[n * k];
                    double loss =
                            Losses.softmaxCrossEntropy(logits.data, n, k, batch.labels(), labelSmoothing, grad, 1f);
                    if (teacher != null) {
                        Tensor t = teacher.forward(input, Model.Mode.EVAL);
                        Evaluation.checkLogits(t, n, classes);
                        loss += distillationWeight
                                * Losses.distillation(
                                        logits.data, t.data, n, k, temperature, grad, (float) distillationWeight);
                    }
                    String bad = lossProblem(loss);
                    if (bad == null) {
                        model.backward(new Tensor(grad, n, 1, 1, k));
                        bad = update.apply(step + 1, lr);
                    }
                    if (bad != null) {
                        divergence = new TrainingResult.Divergence(epoch, step, bad + " (learning rate " + lr + ")");
                        break;
                    }
                    for (int i = 0; i < n; i++) {
                        correct += Losses.rank(logits.data, i * k, k, batch.label(i)) == 0 ? 1 : 0;
                    }
                    lossSum += loss * n;
                    seen += n;
                    step++;
                    if (bar.active()) {
                        double secs = (System.nanoTime() - t0) / 1e9;
                        bar.step(
                                1,
                                String.format(
                                        "loss %.4f acc %.3f %.0f img/s",
                                        lossSum / seen, (double) correct / seen, seen / Math.max(secs, 1e-9)));
                    }
                }
            }
            if (divergence == null) {
                double seconds = (System.nanoTime() - t0) / 1e9;
                Evaluation val = null;
                if (validation != null) {
                    if (recalibrationImages > 0) {
                        BatchNormCalibration.recalibrate(
                                model, train, recalibrationImages, batchSize, mix(eSeed, 0xCA1));
                    }
                    val = Evaluation.of(model, validation, evalBatchSize);
                    if (!Double.isFinite(val.loss())) {
                        divergence = new TrainingResult.Divergence(epoch, -1, "validation loss is " + val.loss());
                    }
                }
                if (divergence == null) {
                    EpochStats stats = new EpochStats(
                            epoch,
                            lossSum / seen,
                            (double) correct / seen,
                            val == null ? null : val.loss(),
                            val == null ? null : val.top1(),
                            val == null ? null : val.top5(),
                            lr,
                            seconds,
                            seen / Math.max(seconds, 1e-9));
                    history.add(stats);
                    if (checkpointDir != null) {
                        new Checkpoint(
                                        fingerprint,
                                        epoch,
                                        step,
                                        epochSeed(epoch + 1),
                                        history,
                                        Checkpoint.snapshot(model.parameters()),
                                        update.state())
                                .write(checkpointDir);
                    }
                    for (TrainingListener l : listeners) {
                        l.onEpochEnd(stats, model);
                    }
                    continue;
                }
            }
            Checkpoint.restore(model.parameters(), snapshot, "snapshot");
            model.parameters().zeroGrad();
            return result(TrainingResult.Status.DIVERGED, history, divergence, resumedAfter, validation, model);
        }
        return result(TrainingResult.Status.COMPLETED, history, null, resumedAfter, validation, model);
    }

    /** Evaluates with this trainer's evaluation batch size. */
    public Evaluation evaluate(Model model, ImageDataset data) {
        checkCompatible(model, data, "data");
        return Evaluation.of(model, data, evalBatchSize);
    }

    private TrainingResult result(
            TrainingResult.Status status,
            List<EpochStats> history,
            TrainingResult.Divergence divergence,
            Integer resumedAfter,
            ImageDataset validation,
            Model model) {
        Integer bestEpoch = null;
        Double best = null;
        for (EpochStats s : history) {
            if (s.valTop1() != null && (best == null || s.valTop1() > best)) {
                best = s.valTop1();
                bestEpoch = s.epoch();
            }
        }
        Evaluation fin = null;
        if (validation != null && !history.isEmpty()) {
            EpochStats last = history.get(history.size() - 1);
            fin = new Evaluation(last.valLoss(), last.valTop1(), last.valTop5(), validation.size());
        }
        return new TrainingResult(status, history, bestEpoch, best, fin, divergence, resumedAfter, seed, settings());
    }

    private String lossProblem(double loss) {
        if (!Double.isFinite(loss)) {
            return "loss is " + loss;
        }
        if (loss > divergenceThreshold) {
            return "loss " + loss + " exceeds the divergence threshold " + divergenceThreshold;
        }
        return null;
    }

    /** Fails before any training when the checkpoint directory cannot be created or written. */
    private static void checkWritableDirectory(Path dir) {
        try {
            java.nio.file.Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(
                    "checkpointDir " + dir + ": cannot be created ("
                            + e.getClass().getSimpleName() + ": " + e.getMessage() + "); expected a writable directory",
                    e);
        }
        if (!java.nio.file.Files.isDirectory(dir) || !java.nio.file.Files.isWritable(dir)) {
            throw new IllegalArgumentException("checkpointDir " + dir + ": expected a writable directory");
        }
    }

    private String fingerprint(ImageDataset train, ImageDataset validation) {
        return settings() + " train " + train + " " + train.fingerprint()
                + (validation == null ? "" : " validation " + validation + " " + validation.fingerprint());
    }

    private long epochSeed(int epoch) {
        return mix(seed, epoch);
    }

    /** SplitMix64 finaliser of {@code a} combined with {@code b}. */
    static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static void checkCompatible(Model model, ImageDataset data, String what) {
        if (model == null) {
            throw new IllegalArgumentException("model must not be null");
        }
        if (data == null) {
            throw new IllegalArgumentException(what + " dataset must not be null");
        }
        NetworkSpec spec = model.spec();
        if (spec == null) {
            return;
        }
        if (spec.resolution() != data.height()
                || spec.resolution() != data.width()
                || spec.inputChannels() != data.channels()) {
            throw new IllegalArgumentException(what + " images are " + data.height() + "x" + data.width() + "x"
                    + data.channels() + ", but network '" + spec.name() + "' expects " + spec.resolution() + "x"
                    + spec.resolution() + "x" + spec.inputChannels() + " (use resize/padTo/replicateChannels)");
        }
        if (spec.classifier().numClasses() != data.numClasses()) {
            throw new IllegalArgumentException(what + " dataset has " + data.numClasses() + " classes, but network '"
                    + spec.name() + "' has " + spec.classifier().numClasses() + " outputs");
        }
    }
}
