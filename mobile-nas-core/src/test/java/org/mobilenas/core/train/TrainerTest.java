package org.mobilenas.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilenas.core.data.ImageDataset;
import org.mobilenas.core.data.SyntheticImages;
import org.mobilenas.core.engine.Model;
import org.mobilenas.core.engine.Param;

class TrainerTest {
    private static final ImageDataset DATA = SyntheticImages.builder()
            .classes(4)
            .size(10)
            .samples(800)
            .noise(0.3)
            .seed(11)
            .build();
    private static final ImageDataset.Split SPLIT = DATA.split(0.25, 3);

    private static Trainer.Builder base() {
        return Trainer.builder()
                .optimizer(Optimizer.sgd(0.9, true))
                .schedule(LrSchedule.cosine(0.05).withWarmup(0.5))
                .epochs(4)
                .batchSize(32)
                .seed(5);
    }

    @Test
    void softmaxRegressionLearnsTheSyntheticTask() {
        MlpModel model = new MlpModel(10, 1, 4, 0, 1);
        List<EpochStats> seen = new ArrayList<>();
        TrainingResult r = base().listener((s, m) -> seen.add(s)).build().fit(model, SPLIT.train(), SPLIT.validation());
        assertThat(r.status()).isEqualTo(TrainingResult.Status.COMPLETED);
        assertThat(r.history()).hasSize(4);
        assertThat(seen).extracting(EpochStats::epoch).containsExactly(0, 1, 2, 3);
        assertThat(r.finalValidation().top1()).isGreaterThan(0.8); // chance is 0.25
        assertThat(r.finalValidation().top5()).isEqualTo(1.0); // only 4 classes
        assertThat(r.finalValidation().examples()).isEqualTo(200);
        assertThat(r.bestValTop1()).isGreaterThanOrEqualTo(r.finalValidation().top1());
        assertThat(r.history().get(3).trainLoss()).isLessThan(r.history().get(0).trainLoss());
        assertThat(r.history().get(0).imagesPerSecond()).isPositive();
        assertThat(r.history().get(3).learningRate()).isLessThan(0.01); // cosine near its end
        Evaluation e = Trainer.builder().build().evaluate(model, SPLIT.validation());
        assertThat(e.top1()).isEqualTo(r.finalValidation().top1());
    }

    @Test
    void mlpWithAdamAndLabelSmoothingLearns() {
        MlpModel model = new MlpModel(10, 1, 4, 16, 2);
        TrainingResult r = base().optimizer(Optimizer.adam())
                .schedule(LrSchedule.constant(0.003))
                .labelSmoothing(0.1)
                .weightDecay(1e-4)
                .build()
                .fit(model, SPLIT.train(), SPLIT.validation());
        assertThat(r.finalValidation().top1()).isGreaterThan(0.8);
    }

    @Test
    void sameSeedGivesIdenticalMetricsAndWeights() {
        MlpModel a = new MlpModel(10, 1, 4, 8, 3);
        MlpModel b = new MlpModel(10, 1, 4, 8, 3);
        TrainingResult ra = base().build().fit(a, SPLIT.train(), SPLIT.validation());
        TrainingResult rb = base().build().fit(b, SPLIT.train(), SPLIT.validation());
        assertThat(metrics(ra)).isEqualTo(metrics(rb));
        assertSameParameters(a, b);
        MlpModel c = new MlpModel(10, 1, 4, 8, 3);
        TrainingResult rc = base().seed(6).build().fit(c, SPLIT.train(), SPLIT.validation());
        assertThat(metrics(rc)).isNotEqualTo(metrics(ra));
    }

    @Test
    void absurdLearningRateIsReportedAsDivergedAndTheModelKeepsTheLastGoodWeights() {
        MlpModel model = new MlpModel(10, 1, 4, 16, 4);
        MlpModel initial = new MlpModel(10, 1, 4, 16, 4);
        TrainingResult r = base().optimizer(Optimizer.sgd())
                .schedule(LrSchedule.constant(1e12))
                .build()
                .fit(model, SPLIT.train(), SPLIT.validation());
        assertThat(r.status()).isEqualTo(TrainingResult.Status.DIVERGED);
        assertThat(r.divergence().epoch()).isZero();
        assertThat(r.divergence().step()).isBetween(0L, 18L);
        assertThat(r.divergence().reason()).containsAnyOf("loss", "gradient");
        assertThat(r.history()).isEmpty();
        assertThat(r.finalValidation()).isNull();
        assertSameParameters(model, initial);
        assertThat(TrainingResult.fromJson(r.toJson())).isEqualTo(r);
    }

    @Test
    void lossAboveTheThresholdCountsAsDivergence() {
        MlpModel model = new MlpModel(10, 1, 4, 0, 4);
        // a threshold below the initial loss (about ln 4) stops the run at its first step
        TrainingResult r =
                base().epochs(3).divergenceThreshold(1.0).build().fit(model, SPLIT.train(), SPLIT.validation());
        assertThat(r.status()).isEqualTo(TrainingResult.Status.DIVERGED);
        assertThat(r.divergence().reason()).contains("exceeds the divergence threshold 1.0");
        assertThat(r.history()).isEmpty();
    }

    @Test
    void checkpointResumeGivesTheSameResultAsAnUninterruptedRun(@TempDir Path tmp) throws Exception {
        Trainer.Builder settings = base().optimizer(Optimizer.adam())
                .schedule(LrSchedule.cosine(0.003).withWarmup(1))
                .weightDecay(1e-4)
                .labelSmoothing(0.05);
        MlpModel straight = new MlpModel(10, 1, 4, 8, 9);
        TrainingResult full = settings.build().fit(straight, SPLIT.train(), SPLIT.validation());

        Path dir = tmp.resolve("ckpt");
        MlpModel interrupted = new MlpModel(10, 1, 4, 8, 9);
        Trainer crashing = base().optimizer(Optimizer.adam())
                .schedule(LrSchedule.cosine(0.003).withWarmup(1))
                .weightDecay(1e-4)
                .labelSmoothing(0.05)
                .checkpointDir(dir)
                .listener((s, m) -> {
                    if (s.epoch() == 1) {
                        throw new IllegalStateException("simulated crash");
                    }
                })
                .build();
        assertThatThrownBy(() -> crashing.fit(interrupted, SPLIT.train(), SPLIT.validation()))
                .hasMessage("simulated crash");
        assertThat(Files.exists(dir.resolve("checkpoint.bin"))).isTrue();

        MlpModel resumedModel = new MlpModel(10, 1, 4, 8, 12345); // different init: the checkpoint overrides it
        TrainingResult resumed =
                settings.checkpointDir(dir).build().fit(resumedModel, SPLIT.train(), SPLIT.validation());
        assertThat(resumed.resumedAfterEpoch()).isEqualTo(1);
        assertThat(resumed.status()).isEqualTo(TrainingResult.Status.COMPLETED);
        assertThat(metrics(resumed)).isEqualTo(metrics(full));
        assertThat(resumed.finalValidation()).isEqualTo(full.finalValidation());
        assertSameParameters(resumedModel, straight);

        // a checkpoint of different settings is refused
        assertThatThrownBy(() -> base().checkpointDir(dir)
                        .build()
                        .fit(new MlpModel(10, 1, 4, 8, 9), SPLIT.train(), SPLIT.validation()))
                .hasMessageContaining("expected the same settings");
        // and so is the same run on other images of the same shape
        ImageDataset.Split other = DATA.split(0.25, 4);
        assertThatThrownBy(() -> settings.checkpointDir(dir)
                        .build()
                        .fit(new MlpModel(10, 1, 4, 8, 9), other.train(), other.validation()))
                .isInstanceOf(CheckpointMismatchException.class)
                .hasMessageContaining("expected the same settings and data");
        // and a damaged checkpoint is refused, naming the file
        byte[] ck = Files.readAllBytes(dir.resolve("checkpoint.bin"));
        ck[ck.length / 2] ^= 0x01;
        Files.write(dir.resolve("checkpoint.bin"), ck);
        assertThatThrownBy(() -> settings.checkpointDir(dir)
                        .build()
                        .fit(new MlpModel(10, 1, 4, 8, 9), SPLIT.train(), SPLIT.validation()))
                .hasMessageContaining("checkpoint.bin")
                .hasMessageContaining("damaged");
    }

    @Test
    void aCheckpointDirectoryThatIsAFileFailsBeforeTraining(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("not-a-dir");
        Files.writeString(file, "x");
        java.util.concurrent.atomic.AtomicInteger epochs = new java.util.concurrent.atomic.AtomicInteger();
        Trainer t = base().checkpointDir(file)
                .listener((s, m) -> epochs.incrementAndGet())
                .build();
        assertThatThrownBy(() -> t.fit(new MlpModel(10, 1, 4, 8, 9), SPLIT.train(), SPLIT.validation()))
                .hasMessageContaining("checkpointDir " + file)
                .hasMessageContaining("writable directory");
        assertThat(epochs.get()).isZero();
    }

    @Test
    void weightDecaySkipsBatchNormAndBiasByDefault() {
        // one full-batch plain-SGD step: decay only changes the decayed parameters, by -lr * wd * w0
        ImageDataset small = SPLIT.train().head(64);
        double lr = 0.1;
        double wd = 0.5;
        Trainer.Builder b = Trainer.builder()
                .optimizer(Optimizer.sgd())
                .schedule(LrSchedule.constant(lr))
                .epochs(1)
                .batchSize(64)
                .seed(1);
        MlpModel none = new MlpModel(10, 1, 4, 8, 7);
        MlpModel skip = new MlpModel(10, 1, 4, 8, 7);
        MlpModel all = new MlpModel(10, 1, 4, 8, 7);
        MlpModel w0 = new MlpModel(10, 1, 4, 8, 7);
        b.build().fit(none, small);
        b.weightDecay(wd).build().fit(skip, small);
        b.weightDecay(wd).skipDecayOnBatchNormAndBias(false).build().fit(all, small);
        for (Param p : none.parameters().trainable()) {
            float[] v0 = w0.parameters().get(p.name()).value();
            float[] vs = skip.parameters().get(p.name()).value();
            float[] va = all.parameters().get(p.name()).value();
            for (int i = 0; i < v0.length; i++) {
                double decayed = p.value()[i] - lr * wd * v0[i];
                assertThat((double) va[i]).isCloseTo(decayed, within(1e-5));
                assertThat((double) vs[i])
                        .isCloseTo(p.role() == Param.Role.WEIGHT ? decayed : p.value()[i], within(1e-5));
            }
        }
    }

    @Test
    void distillationFromATrainedTeacher() {
        MlpModel teacher = new MlpModel(10, 1, 4, 0, 21);
        base().build().fit(teacher, SPLIT.train());
        MlpModel student = new MlpModel(10, 1, 4, 0, 22);
        MlpModel plain = new MlpModel(10, 1, 4, 0, 22);
        TrainingResult r =
                base().distillation(teacher, 1.0, 2.0).build().fit(student, SPLIT.train(), SPLIT.validation());
        TrainingResult p = base().build().fit(plain, SPLIT.train(), SPLIT.validation());
        assertThat(r.finalValidation().top1()).isGreaterThan(0.8);
        assertThat(r.settings()).containsEntry("distillation", "weight 1.0, temperature 2.0");
        // the distillation term is non-negative, so the combined loss exceeds plain cross-entropy at the first epoch
        assertThat(r.history().get(0).trainLoss())
                .isNotEqualTo(p.history().get(0).trainLoss());
        assertThatThrownBy(() -> base().distillation(new MlpModel(10, 1, 3, 0, 1), 1, 1)
                        .build()
                        .fit(new MlpModel(10, 1, 4, 0, 1), SPLIT.train()))
                .hasMessageContaining("3 outputs");
    }

    @Test
    void batchNormRecalibrationUsesCalibrateMode() {
        MlpModel model = new MlpModel(10, 1, 4, 8, 31);
        float[] before = model.parameters().get("bn.running_mean").value().clone();
        BatchNormCalibration.recalibrate(model, SPLIT.train(), 100, 32, 1);
        assertThat(model.calibratedBatches()).isEqualTo(4); // 32 + 32 + 32 + 4
        assertThat(model.parameters().get("bn.running_mean").value()).isNotEqualTo(before);
        TrainingResult r =
                base().epochs(1).batchNormRecalibration(64).build().fit(model, SPLIT.train(), SPLIT.validation());
        assertThat(model.calibratedBatches()).isEqualTo(2);
        assertThat(r.settings()).containsEntry("batchNormRecalibration", "64");
    }

    @Test
    void resultJsonRoundTrip(@TempDir Path tmp) throws Exception {
        TrainingResult r = base().epochs(2)
                .progress(true)
                .build()
                .fit(new MlpModel(10, 1, 4, 0, 1), SPLIT.train(), SPLIT.validation());
        String json = r.toJson();
        assertThat(json).contains("\"status\" : \"COMPLETED\"", "\"history\"", "\"imagesPerSecond\"", "\"valTop1\"");
        assertThat(TrainingResult.fromJson(json)).isEqualTo(r);
        r.writeJson(tmp.resolve("r.json"));
        assertThat(TrainingResult.fromJson(Files.readString(tmp.resolve("r.json"))))
                .isEqualTo(r);
        TrainingResult noVal = base().epochs(1).build().fit(new MlpModel(10, 1, 4, 0, 1), SPLIT.train());
        assertThat(noVal.history().get(0).valTop1()).isNull();
        assertThat(noVal.bestEpoch()).isNull();
        assertThat(TrainingResult.fromJson(noVal.toJson())).isEqualTo(noVal);
        assertThatThrownBy(() -> TrainingResult.fromJson("{\"status\":\"NOPE\"}"))
                .hasMessageContaining("not a training result");
    }

    @Test
    void incompatibleDataIsRejected() {
        ImageDataset wrongSize =
                SyntheticImages.builder().classes(4).size(12).samples(64).build();
        assertThatThrownBy(() -> base().build().fit(new MlpModel(10, 1, 4, 0, 1), wrongSize))
                .hasMessageContaining("train images are 12x12x1, but network 'mlp' expects 10x10x1");
        assertThatThrownBy(() -> base().batchSize(1000).build().fit(new MlpModel(10, 1, 4, 0, 1), SPLIT.train()))
                .hasMessageContaining("fewer than batchSize 1000");
        assertThatThrownBy(() -> Trainer.builder().epochs(0)).hasMessageContaining("epochs = 0");
        assertThatThrownBy(() -> Trainer.builder().labelSmoothing(1)).hasMessageContaining("labelSmoothing = 1.0");
    }

    @Test
    void evaluationBreaksTiesLikeArgmax() {
        Model zero = new MlpModel(10, 1, 4, 0, 1);
        for (Param p : zero.parameters().all()) {
            java.util.Arrays.fill(p.value(), 0f);
        }
        Evaluation e = Evaluation.of(zero, SPLIT.validation(), 64);
        assertThat(e.top1()).isCloseTo(0.25, within(1e-9)); // only class 0 counts as predicted
        assertThat(e.loss()).isCloseTo(Math.log(4), within(1e-6));
    }

    private static List<List<Object>> metrics(TrainingResult r) {
        List<List<Object>> out = new ArrayList<>();
        for (EpochStats s : r.history()) {
            out.add(List.of(
                    s.epoch(),
                    s.trainLoss(),
                    s.trainAccuracy(),
                    s.valLoss(),
                    s.valTop1(),
                    s.valTop5(),
                    s.learningRate()));
        }
        return out;
    }

    private static void assertSameParameters(Model a, Model b) {
        assertThat(a.parameters().names()).isEqualTo(b.parameters().names());
        for (Param p : a.parameters().all()) {
            assertThat(p.value())
                    .as(p.name())
                    .isEqualTo(b.parameters().get(p.name()).value());
        }
    }
}
