package org.mobilenas.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilenas.core.data.FashionMnist;
import org.mobilenas.core.data.ImageDataset;
import org.mobilenas.core.data.SyntheticImages;
import org.mobilenas.core.engine.Model;
import org.mobilenas.core.engine.Param;
import org.mobilenas.core.spec.Activation;
import org.mobilenas.core.spec.ConvBlock;
import org.mobilenas.core.spec.GlobalPoolBlock;
import org.mobilenas.core.spec.MBConvBlock;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.spec.Skip;

/** End-to-end training of realized specs. */
class NetworkTrainingTest {

    private static Model realizeNetwork(NetworkSpec spec, long seed) {
        return org.mobilenas.core.engine.Network.realize(spec, seed);
    }

    @Test
    void tinyCnnLearnsTheSyntheticTask() {
        ImageDataset data = SyntheticImages.builder()
                .classes(4)
                .size(16)
                .samples(1000)
                .noise(0.4)
                .seed(3)
                .build();
        ImageDataset.Split split = data.split(0.2, 1);
        NetworkSpec spec = NetworkSpec.builder("tiny-cnn", 16, 1)
                .stem(ConvBlock.of(8, 3, 2, Activation.RELU))
                .stage("s1", MBConvBlock.of(16, 3, 2, 3, Activation.RELU6))
                .head(GlobalPoolBlock.avg())
                .classifier(4, 0)
                .build();
        Model model = realizeNetwork(spec, 7);
        TrainingResult r = Trainer.builder()
                .optimizer(Optimizer.adam())
                .schedule(LrSchedule.cosine(0.01))
                .epochs(4)
                .batchSize(32)
                .seed(2)
                .build()
                .fit(model, split.train(), split.validation());
        assertThat(r.status()).isEqualTo(TrainingResult.Status.COMPLETED);
        assertThat(r.finalValidation().top1()).isGreaterThan(0.7); // chance is 0.25
    }

    @Test
    void sameSeedGivesIdenticalMetricsWithARealizedNetwork() {
        ImageDataset data = SyntheticImages.builder()
                .classes(3)
                .size(8)
                .samples(192)
                .seed(5)
                .build();
        NetworkSpec spec = NetworkSpec.builder("det", 8, 1)
                .stem(ConvBlock.of(4, 3, 1, Activation.RELU))
                .head(GlobalPoolBlock.avg())
                .classifier(3, 0.1)
                .build();
        Trainer t = Trainer.builder()
                .optimizer(Optimizer.sgd(0.9, false))
                .schedule(LrSchedule.constant(0.05))
                .epochs(2)
                .batchSize(32)
                .seed(9)
                .build();
        TrainingResult a = t.fit(realizeNetwork(spec, 1), data);
        TrainingResult b = t.fit(realizeNetwork(spec, 1), data);
        for (int e = 0; e < 2; e++) {
            assertThat(a.history().get(e).trainLoss())
                    .isEqualTo(b.history().get(e).trainLoss());
        }
    }

    @Test
    void checkpointResumeOfARealizedNetworkMatchesAnUninterruptedRun(@TempDir Path tmp) {
        ImageDataset data = SyntheticImages.builder()
                .classes(3)
                .size(8)
                .samples(192)
                .seed(6)
                .build();
        NetworkSpec spec = NetworkSpec.builder("resume", 8, 1)
                .stem(ConvBlock.of(4, 3, 1, Activation.RELU))
                .stage("s1", MBConvBlock.of(8, 3, 2, 2, Activation.RELU6))
                .head(GlobalPoolBlock.avg())
                .classifier(3, 0.2)
                .build();
        Trainer.Builder settings = Trainer.builder()
                .optimizer(Optimizer.sgd(0.9, true))
                .schedule(LrSchedule.cosine(0.05))
                .epochs(3)
                .batchSize(32)
                .weightDecay(1e-4)
                .seed(4);
        Model straight = realizeNetwork(spec, 3);
        TrainingResult full = settings.build().fit(straight, data);
        Path dir = tmp.resolve("ckpt");
        Trainer crashing = Trainer.builder()
                .optimizer(Optimizer.sgd(0.9, true))
                .schedule(LrSchedule.cosine(0.05))
                .epochs(3)
                .batchSize(32)
                .weightDecay(1e-4)
                .seed(4)
                .checkpointDir(dir)
                .listener((s, m) -> {
                    if (s.epoch() == 0) {
                        throw new IllegalStateException("simulated crash");
                    }
                })
                .build();
        assertThatThrownBy(() -> crashing.fit(realizeNetwork(spec, 3), data)).hasMessage("simulated crash");
        Model resumedModel = realizeNetwork(spec, 99);
        TrainingResult resumed = settings.checkpointDir(dir).build().fit(resumedModel, data);
        assertThat(resumed.resumedAfterEpoch()).isZero();
        for (int e = 0; e < 3; e++) {
            assertThat(resumed.history().get(e).trainLoss())
                    .isEqualTo(full.history().get(e).trainLoss());
        }
        for (Param p : straight.parameters().all()) {
            assertThat(resumedModel.parameters().get(p.name()).value())
                    .as(p.name())
                    .isEqualTo(p.value());
        }
    }

    /** A MobileNetV2-style network for 32x32x3 inputs (grayscale padded and replicated). */
    static NetworkSpec mobileNetV2Small(int classes) {
        return NetworkSpec.builder("mobilenetv2-fmnist", 32, 3)
                .stem(ConvBlock.of(16, 3, 2, Activation.RELU6))
                .stage("s1", MBConvBlock.of(16, 3, 1, 1, Activation.RELU6).withSkip(Skip.IDENTITY))
                .stage(
                        "s2",
                        MBConvBlock.of(24, 3, 2, 4, Activation.RELU6),
                        MBConvBlock.of(24, 3, 1, 4, Activation.RELU6).withSkip(Skip.IDENTITY))
                .stage(
                        "s3",
                        MBConvBlock.of(32, 3, 2, 4, Activation.RELU6),
                        MBConvBlock.of(32, 3, 1, 4, Activation.RELU6).withSkip(Skip.IDENTITY))
                .head(ConvBlock.of(128, 1, 1, Activation.RELU6), GlobalPoolBlock.avg())
                .classifier(classes, 0)
                .build();
    }

    @Test
    @Tag("fashion-mnist")
    void mobileNetV2StyleReaches85PercentOnFashionMnist() {
        assumeTrue(
                FashionMnist.isAvailable(),
                "Fashion-MNIST not installed (apt-get install dataset-fashion-mnist, or -D" + FashionMnist.DIR_PROPERTY
                        + "=<dir>); skipped");
        Model model = realizeNetwork(mobileNetV2Small(10), 42);
        FashionMnist data = FashionMnist.load();
        ImageDataset.Split split = data.train().split(1.0 / 12, 1, true);
        ImageDataset train = split.train().subset(12_000, 1);
        ImageDataset val = split.validation().subset(2_000, 2);
        ImageDataset.ChannelStats stats = train.channelStats();
        train = train.normalize(stats).padTo(32, 32).replicateChannels(3);
        val = val.normalize(stats).padTo(32, 32).replicateChannels(3);
        TrainingResult r = Trainer.builder()
                .optimizer(Optimizer.adam())
                .schedule(LrSchedule.cosine(0.004).withWarmup(0.2))
                .epochs(4)
                .batchSize(64)
                .weightDecay(1e-5)
                .seed(3)
                .progress(true)
                .build()
                .fit(model, train, val);
        System.out.println(r.toJson());
        assertThat(r.status()).isEqualTo(TrainingResult.Status.COMPLETED);
        assertThat(r.finalValidation().top1()).isGreaterThanOrEqualTo(0.85);
    }
}
