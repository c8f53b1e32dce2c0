package org.mobilenas.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilenas.core.data.Augmentation;
import org.mobilenas.core.engine.Network;
import org.mobilenas.core.search.Outcome;
import org.mobilenas.core.spec.Activation;
import org.mobilenas.core.spec.ClassifierSpec;
import org.mobilenas.core.spec.ConvBlock;
import org.mobilenas.core.spec.GlobalPoolBlock;
import org.mobilenas.core.spec.MBConvBlock;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.spec.StageSpec;

class ExperimentRunnerTest {
    private static ProxyData data;

    @BeforeAll
    static void load() {
        data = tiny().load();
    }

    /** 160 synthetic 12 px images, 2 epochs: a job takes well under a second. */
    static ProxyTask tiny() {
        return new ProxyTask(
                "runner-test",
                ProxyTask.Source.SYNTHETIC,
                null,
                160,
                48,
                12,
                1,
                2,
                16,
                0.05,
                0,
                1e-4,
                0.1,
                Augmentation.standard(1),
                3);
    }

    static NetworkSpec net(String name, int width) {
        return NetworkSpec.builder(name, 12, 1)
                .stem(ConvBlock.of(width, 3, 2, Activation.RELU))
                .stage(StageSpec.repeat("s1", MBConvBlock.of(width, 3, 1, 2, Activation.RELU6), 1))
                .head(GlobalPoolBlock.avg())
                .classifier(ClassifierSpec.of(4, 0))
                .build();
    }

    static List<Job> jobs() {
        List<Job> jobs = new ArrayList<>();
        for (long seed : new long[] {1, 2}) {
            jobs.add(new Job("a", net("a", 8), seed));
            jobs.add(new Job("b", net("b", 16), seed));
            jobs.add(new Job("c", net("c", 24), seed));
        }
        return jobs;
    }

    private static List<String> table(List<JobResult> rs) {
        List<String> out = new ArrayList<>();
        for (JobResult r : rs) {
            out.add(r.key() + " " + r.group() + " " + r.seed() + " " + r.status() + " " + r.heldOutTop1() + " "
                    + r.testTop1() + " " + r.epochs());
        }
        return out;
    }

    @Test
    void killedAfterKJobsResumesWithoutRetrainingAndMatchesAnUninterruptedRun(@TempDir Path tmp) {
        List<JobResult> uninterrupted = ExperimentRunner.builder(data)
                .directory(tmp.resolve("whole"))
                .build()
                .run(jobs());

        Path dir = tmp.resolve("killed");
        AtomicInteger ended = new AtomicInteger();
        ExperimentRunner killing = ExperimentRunner.builder(data)
                .directory(dir)
                .listener(new ExperimentRunner.JobListener() {
                    @Override
                    public void onJobEnd(Job job, JobResult result) {
                        if (ended.incrementAndGet() == 2) {
                            throw new IllegalStateException("killed");
                        }
                    }
                })
                .build();
        assertThatThrownBy(() -> killing.run(jobs())).hasMessage("killed");
        assertThat(killing.readJournal()).hasSize(2);

        List<Job> started = new ArrayList<>();
        ExperimentRunner resumed = ExperimentRunner.builder(data)
                .directory(dir)
                .listener(new ExperimentRunner.JobListener() {
                    @Override
                    public void onJobStart(Job job, String key) {
                        started.add(job);
                    }
                })
                .build();
        List<JobResult> results = resumed.run(jobs());
        assertThat(started).hasSize(4);
        assertThat(started).doesNotContain(jobs().get(0), jobs().get(1));
        assertThat(table(results)).isEqualTo(table(uninterrupted));
        assertThat(Summary.of(results))
                .extracting(Summary::testText)
                .isEqualTo(Summary.of(uninterrupted).stream()
                        .map(Summary::testText)
                        .toList());

        started.clear();
        resumed.run(jobs());
        assertThat(started).as("a finished experiment trains nothing again").isEmpty();
    }

    @Test
    void aJobKilledMidTrainingResumesFromItsCheckpoint(@TempDir Path tmp) {
        List<Job> one = List.of(new Job("a", net("a", 8), 5));
        List<JobResult> whole = ExperimentRunner.builder(data)
                .directory(tmp.resolve("whole"))
                .build()
                .run(one);
        // 160 images / batch 16 = 10 steps per epoch: the kill comes 3 steps into the second epoch
        Path dir = tmp.resolve("mid");
        AtomicInteger calls = new AtomicInteger();
        ExperimentRunner first = ExperimentRunner.builder(data)
                .directory(dir)
                .realizer((spec, seed) -> {
                    calls.incrementAndGet();
                    org.mobilenas.core.engine.Network n = org.mobilenas.core.engine.Network.realize(spec, seed);
                    return new KillAfterEpochs(n, 13);
                })
                .build();
        assertThatThrownBy(() -> first.run(one)).isInstanceOf(KillAfterEpochs.Killed.class);
        assertThat(first.readJournal()).isEmpty();
        assertThat(dir.resolve("work").toFile().list())
                .as("the killed job's checkpoint")
                .hasSize(1);
        List<JobResult> resumed =
                ExperimentRunner.builder(data).directory(dir).build().run(one);
        assertThat(table(resumed)).isEqualTo(table(whole));
        assertThat(Files.exists(dir.resolve("work"))).isTrue();
        assertThat(dir.resolve("work").toFile().list())
                .as("finished job's checkpoint is deleted")
                .isEmpty();
    }

    @Test
    void changingAJobsSettingsRetrainsIt(@TempDir Path tmp) {
        ExperimentRunner r = ExperimentRunner.builder(data).directory(tmp).build();
        r.run(jobs().subList(0, 1));
        List<Job> started = new ArrayList<>();
        ExperimentRunner.JobListener l = new ExperimentRunner.JobListener() {
            @Override
            public void onJobStart(Job job, String key) {
                started.add(job);
            }
        };
        ExperimentRunner otherEpochs = ExperimentRunner.builder(data)
                .task(tiny().withEpochs(1))
                .directory(tmp)
                .listener(l)
                .build();
        otherEpochs.run(jobs().subList(0, 1));
        assertThat(started).hasSize(1);
        ExperimentRunner otherSeed =
                ExperimentRunner.builder(data).directory(tmp).listener(l).build();
        otherSeed.run(List.of(new Job("a", net("a", 8), 99)));
        assertThat(started).hasSize(2);
        otherSeed.run(List.of(new Job("a", net("a", 12), 1)));
        assertThat(started).as("another network").hasSize(3);
        ProxyData otherData = tiny().withTrainImages(150).load();
        ExperimentRunner.builder(otherData).directory(tmp).listener(l).build().run(jobs().subList(0, 1));
        assertThat(started).as("other data").hasSize(4);
        assertThat(r.key(jobs().get(0))).isNotEqualTo(otherEpochs.key(jobs().get(0)));
    }

    @Test
    void savedNetworksCanBeFineTunedAndTheirWeightsArePartOfTheKey(@TempDir Path tmp) throws Exception {
        ExperimentRunner r =
                ExperimentRunner.builder(data).directory(tmp).saveNetworks(true).build();
        Job pre = new Job("pre", net("a", 8), 3);
        JobResult trained = r.run(List.of(pre)).get(0);
        Path file = r.networkFile(pre);
        assertThat(file).isRegularFile();
        ExperimentRunner fineTuner = ExperimentRunner.builder(data)
                .directory(tmp.resolve("ft"))
                .task(tiny().withEpochs(1).withLearningRate(0.01, 0))
                .saveNetworks(true)
                .build();
        Job ft = Job.fineTune("ft", file, 3);
        assertThat(ft.spec()).isEqualTo(pre.spec());
        assertThat(fineTuner.key(ft)).isNotEqualTo(fineTuner.key(new Job("ft", pre.spec(), 3)));
        JobResult tuned = fineTuner.run(List.of(ft)).get(0);
        assertThat(tuned.status()).isEqualTo(JobResult.COMPLETED);
        // Starting from trained weights: one more epoch keeps (about) the trained accuracy, unlike a fresh start.
        assertThat(tuned.heldOutTop1()).isGreaterThan(trained.heldOutTop1() - 0.15);
        String key = fineTuner.key(ft);
        Network other = Network.realize(pre.spec(), 99);
        Path otherFile = tmp.resolve("other.mnas");
        other.save(otherFile);
        assertThat(fineTuner.key(Job.fineTune("ft", otherFile, 3))).isNotEqualTo(key);
        assertThatThrownBy(() -> Job.fineTune("ft", tmp.resolve("missing.mnas"), 1))
                .hasMessageContaining("expected a saved network file");
    }

    @Test
    void parallelJobsGiveTheSameResults(@TempDir Path tmp) {
        List<JobResult> seq = ExperimentRunner.builder(data)
                .directory(tmp.resolve("seq"))
                .build()
                .run(jobs());
        List<JobResult> par = ExperimentRunner.builder(data)
                .directory(tmp.resolve("par"))
                .parallelism(3)
                .build()
                .run(jobs());
        assertThat(table(par)).isEqualTo(table(seq));
    }

    @Test
    void journalIsChecksummedAndACutLastLineIsIgnored(@TempDir Path tmp) throws Exception {
        ExperimentRunner r = ExperimentRunner.builder(data).directory(tmp).build();
        r.run(jobs().subList(0, 2));
        Path j = r.journal();
        List<String> lines = Files.readAllLines(j);
        assertThat(lines).hasSize(2);

        Files.writeString(j, lines.get(0) + "\n" + lines.get(1).substring(0, 40), StandardCharsets.UTF_8);
        assertThat(r.readJournal()).hasSize(1);

        String edited = lines.get(0).replaceFirst("\"heldOutTop1\":[0-9.]+", "\"heldOutTop1\":0.99999");
        assertThat(edited).isNotEqualTo(lines.get(0));
        Files.writeString(j, edited + "\n" + lines.get(1) + "\n", StandardCharsets.UTF_8);
        assertThatThrownBy(r::readJournal)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(j.toString())
                .hasMessageContaining("line 1")
                .hasMessageContaining("checksum");
    }

    @Test
    void evaluatorScoresOnHeldOutAndReportsBadCandidates(@TempDir Path tmp) {
        ExperimentRunner r = ExperimentRunner.builder(data).directory(tmp).build();
        NetworkSpec rgb = NetworkSpec.builder("rgb", 12, 3)
                .stem(ConvBlock.of(8, 3, 2, Activation.RELU))
                .head(GlobalPoolBlock.avg())
                .classifier(ClassifierSpec.of(4, 0))
                .build();
        List<Outcome> out = r.evaluator("fit", 1).evaluate(java.util.Arrays.asList(net("a", 8), null, rgb));
        assertThat(out.get(0).succeeded()).isTrue();
        List<JobResult> again = r.run(List.of(new Job("fit", net("a", 8), 1)));
        assertThat(out.get(0).accuracy()).isEqualTo(again.get(0).heldOutTop1());
        assertThat(out.get(1).failure()).contains("missing");
        assertThat(out.get(2).failure()).contains("3 input channels");
    }

    @Test
    void badSettingsAreRefusedWithTheField(@TempDir Path tmp) throws Exception {
        assertThatThrownBy(() -> ExperimentRunner.builder(data).parallelism(0)).hasMessageContaining("parallelism 0");
        assertThatThrownBy(() -> ExperimentRunner.builder(data).build()).hasMessageContaining("directory");
        assertThatThrownBy(() -> ExperimentRunner.builder(data).task(tiny().withTrainImages(100)))
                .hasMessageContaining("other data");
        Path file = tmp.resolve("file");
        Files.writeString(file, "x");
        assertThatThrownBy(() -> ExperimentRunner.builder(data)
                        .directory(file.resolve("sub"))
                        .build())
                .hasMessageContaining(file.toString());
        assertThatThrownBy(() -> new Job(" ", net("a", 8), 1)).hasMessageContaining("job.group");
    }
}
