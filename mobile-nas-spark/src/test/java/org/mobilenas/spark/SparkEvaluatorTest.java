package org.mobilenas.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilenas.core.adapt.AdaptationReport;
import org.mobilenas.core.adapt.NetAdapter;
import org.mobilenas.core.adapt.ProposalTuner;
import org.mobilenas.core.adapt.ReductionSchedule;
import org.mobilenas.core.adapt.ResourceConstraint;
import org.mobilenas.core.cost.Costs;
import org.mobilenas.core.engine.Network;
import org.mobilenas.core.experiment.ProxyData;
import org.mobilenas.core.experiment.ProxyTask;
import org.mobilenas.core.json.Json;
import org.mobilenas.core.latency.LatencyModel;
import org.mobilenas.core.ofa.AccuracySample;
import org.mobilenas.core.ofa.ElasticSpace;
import org.mobilenas.core.ofa.ElasticStage;
import org.mobilenas.core.ofa.ElasticSupernet;
import org.mobilenas.core.ofa.SubnetConfig;
import org.mobilenas.core.search.Evaluator;
import org.mobilenas.core.search.Outcome;
import org.mobilenas.core.search.RandomSearch;
import org.mobilenas.core.search.RewardFunction;
import org.mobilenas.core.search.Search;
import org.mobilenas.core.search.SearchResult;
import org.mobilenas.core.spec.Activation;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.tiny.TinyFit;
import org.mobilenas.core.tiny.TinyScaler;
import org.mobilenas.spaces.catalog.MobileNets;
import org.mobilenas.spaces.search.MnasNetSpace;
import org.mobilenas.spaces.search.Skeleton;

class SparkEvaluatorTest {

    /** Attempts per candidate name, counted in this JVM (local mode runs the tasks here). */
    static final java.util.Map<String, AtomicInteger> ATTEMPTS = new java.util.concurrent.ConcurrentHashMap<>();

    private static SparkJobs jobs;
    private static ProxyData data;
    private static MnasNetSpace space;
    private static final ProxyTask TASK = ProxyTask.quick().withEpochs(1).withTrainImages(256);

    @BeforeAll
    static void start(@TempDir Path dir) {
        // the command-line search, embedded local[2] vs the local evaluator: the same candidates and accuracies
        String[] common = {
            "--synthetic", "--candidates", "4", "--iterations", "2", "--train-images", "128", "--seed", "3"
        };
        Map<String, Object> onSpark = SparkSearch.run(SparkSearch.Options.parse(concat(
                common, "--master", "local[2]", "--out", dir.resolve("spark").toString())));
        Map<String, Object> onHere = SparkSearch.run(SparkSearch.Options.parse(concat(
                common, "--evaluator", "local", "--out", dir.resolve("local").toString())));
        assertThat(onSpark.get("candidates")).isEqualTo(4);
        assertThat(onSpark.get("failures")).isEqualTo(0L);
        assertThat(onSpark.get("accuracies")).isEqualTo(onHere.get("accuracies"));
        assertThat(onSpark.get("slots")).isEqualTo(2);
        // with no context given, an evaluator starts an embedded local[*] one and stops it on close
        try (SparkEvaluator embedded =
                SparkEvaluator.builder().scorer(s -> Outcome.accuracy(0.25)).build()) {
            assertThat(embedded.jobs().context().master()).startsWith("local[*");
            assertThat(embedded.evaluate(MobileNets.mobileNetV2(0.25, 32, 4, 2, 1))
                            .accuracy())
                    .isEqualTo(0.25);
        }
        jobs = SparkJobs.embedded("local[2]");
        assertThat(jobs.slots()).isEqualTo(2);
        data = TASK.load();
        space = MnasNetSpace.builder(
                        Skeleton.mobileNetV2(16, 4, 2, 1).withInputChannels(1).withWidth(0.25))
                .name("mnasnet_test")
                .build();
    }

    @AfterAll
    static void stop() {
        jobs.close();
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void theCommandLineNamesBadOptions() {
        assertThatThrownBy(() -> SparkSearch.Options.parse(new String[] {"--candidates", "0"}))
                .hasMessageContaining("--candidates '0': expected a whole number >= 1");
        assertThatThrownBy(() -> SparkSearch.Options.parse(new String[] {"--evaluator", "gpu"}))
                .hasMessageContaining("expected spark or local");
        assertThatThrownBy(() -> SparkSearch.Options.parse(new String[] {"--candidates", "5"}))
                .hasMessageContaining("multiple of --iterations");
        assertThatThrownBy(() -> SparkSearch.Options.parse(new String[] {"--bogus"}))
                .hasMessageContaining("unknown option '--bogus'")
                .hasMessageContaining("usage:");
    }

    private static Search search(Evaluator evaluator, Path journal) {
        LatencyModel macs = LatencyModel.of("macs", s -> Costs.of(s).macs() / 1e6);
        return Search.builder(space)
                .controller(new RandomSearch())
                .reward(RewardFunction.soft(1.0))
                .latency(macs)
                .evaluator(evaluator)
                .batchSize(4)
                .journal(journal)
                .seed(11)
                .build();
    }

    /** Journal lines without the wall-clock fields (seconds per candidate, and the checksum that covers it). */
    private static List<String> results(Path journal) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(journal)) {
            JsonNode n = Json.mapper().readTree(line);
            if (n instanceof ObjectNode o) {
                o.remove("sha256");
                if (o.get("candidate") instanceof ObjectNode c) {
                    c.remove("seconds");
                }
                o.remove("seconds");
            }
            out.add(Json.mapper().writeValueAsString(n));
        }
        return out;
    }

    @Test
    void searchOnSparkWritesTheJournalOfTheLocalEvaluator(@TempDir Path dir) throws IOException {
        Path local = dir.resolve("local.jsonl");
        Path spark = dir.resolve("spark.jsonl");
        Path path = dir.resolve("path.jsonl");
        SearchResult a = search(
                        Evaluator.training(TASK.trainer(5), data.train(), data.heldOut(), Network::realize, 5), local)
                .run(2);
        try (SparkEvaluator shipped =
                        SparkEvaluator.builder().jobs(jobs).training(data, 5).build();
                SparkEvaluator loaded = SparkEvaluator.builder()
                        .jobs(jobs)
                        .training(TASK, data.fingerprint(), 5)
                        .build()) {
            SearchResult b = search(shipped, spark).run(2);
            search(loaded, path).run(2);
            assertThat(b.candidates()).hasSameSizeAs(a.candidates()).hasSizeGreaterThanOrEqualTo(6);
        }
        assertThat(a.candidates().stream()
                        .filter(c -> !c.succeeded())
                        .map(c -> c.failure())
                        .toList())
                .isEmpty();
        List<String> expected = results(local);
        assertThat(expected).hasSizeGreaterThan(6);
        assertThat(results(spark)).containsExactlyElementsOf(expected);
        assertThat(results(path)).containsExactlyElementsOf(expected);
    }

    @Test
    void aTaskThatKeepsThrowingFailsOnlyItsCandidateAfterSparkRetries() {
        List<NetworkSpec> specs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            specs.add(space.decode(space.sample(new java.util.SplittableRandom(i)))
                    .withName("c" + i));
        }
        SparkEvaluator.Scorer scorer = spec -> {
            ATTEMPTS.computeIfAbsent(spec.name(), k -> new AtomicInteger()).incrementAndGet();
            if (spec.name().equals("c2")) {
                throw new IOException("disk of executor gone");
            }
            if (spec.name().equals("c3")) {
                return Outcome.failure("diverged");
            }
            return Outcome.accuracy(Costs.of(spec).params() % 100 / 100.0);
        };
        try (SparkEvaluator e =
                SparkEvaluator.builder().jobs(jobs).scorer(scorer).build()) {
            List<Outcome> out = e.evaluate(specs);
            assertThat(out).hasSize(4);
            assertThat(out.get(0).succeeded()).isTrue();
            assertThat(out.get(0).accuracy()).isEqualTo(Costs.of(specs.get(0)).params() % 100 / 100.0);
            assertThat(out.get(1).succeeded()).isTrue();
            assertThat(out.get(2).failure())
                    .startsWith("'c2': task failed 2 times: ")
                    .contains("IOException: disk of executor gone")
                    .doesNotContain("\n")
                    .doesNotContain("\tat ");
            assertThat(out.get(3).failure()).isEqualTo("diverged");
        }
        assertThat(ATTEMPTS.get("c2").get()).isEqualTo(SparkJobs.LOCAL_TASK_ATTEMPTS);
        assertThat(ATTEMPTS.get("c3").get()).isEqualTo(1);
        assertThat(ATTEMPTS.get("c0").get()).isEqualTo(1);
    }

    @Test
    void executorsWithOtherDataRefuseToScore() {
        try (SparkEvaluator e = SparkEvaluator.builder()
                .jobs(jobs)
                .training(TASK, "not-the-drivers-data", 5)
                .build()) {
            NetworkSpec spec = space.decode(space.sample(new java.util.SplittableRandom(1)));
            Outcome o = e.evaluate(spec);
            assertThat(o.succeeded()).isFalse();
            assertThat(o.failure()).contains("fingerprint").contains("not-the-drivers-data");
        }
    }

    @Test
    void tinyScalerSamplesOnSparkGiveTheLocalFit() {
        NetworkSpec base = MobileNets.mobileNetV2(0.25, 32, 4, 2, 1);
        TinyScaler scaler = TinyScaler.builder(base).build();
        SparkEvaluator.Scorer byCost =
                spec -> Outcome.accuracy(1 - 1 / (1 + Costs.of(spec).macs() / 1e6));
        TinyFit local = scaler.fit(
                List.of(0.5, 0.25),
                4,
                Evaluator.of(spec -> {
                    try {
                        return byCost.score(spec).accuracy();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }),
                3);
        try (SparkEvaluator e =
                SparkEvaluator.builder().jobs(jobs).scorer(byCost).build()) {
            TinyFit spark = scaler.fit(List.of(0.5, 0.25), 4, e, 3);
            assertThat(spark.observations()).isEqualTo(local.observations()).hasSizeGreaterThanOrEqualTo(4);
            assertThat(spark.best()).isEqualTo(local.best());
        }
    }

    @Test
    void subnetSamplesOnSparkMatchTheLocalMeasurement() {
        ElasticSpace tiny = new ElasticSpace(
                "tiny_ofa",
                1,
                4,
                List.of(12, 16),
                8,
                1,
                8,
                List.of(
                        new ElasticStage("s1", 8, 2, Activation.RELU, false),
                        new ElasticStage("s2", 16, 2, Activation.HSWISH, true)),
                List.of(1, 2),
                List.of(3, 5),
                List.of(2, 3),
                32,
                32,
                0.0);
        ElasticSupernet supernet = ElasticSupernet.create(tiny, 9);
        java.util.SplittableRandom rng = new java.util.SplittableRandom(4);
        List<SubnetConfig> configs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            configs.add(tiny.sample(rng));
        }
        List<AccuracySample> spark = SparkSubnets.measure(jobs, supernet, configs, data.train(), data.heldOut(), 64, 2);
        assertThat(spark).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertThat(spark.get(i).config()).isEqualTo(configs.get(i));
            assertThat(spark.get(i).accuracy())
                    .isEqualTo(AccuracySample.measure(supernet, configs.get(i), data.train(), data.heldOut(), 64, 2));
        }
        assertThatThrownBy(() -> SparkSubnets.measure(jobs, supernet, configs, data.train(), data.heldOut(), 0, 2))
                .hasMessageContaining("calibrationImages");
    }

    @Test
    void netAdaptProposalsOnSparkGiveTheLocalAdaptation() {
        NetworkSpec spec = space.decode(space.sample(new java.util.SplittableRandom(2)));
        Network trained = Network.realize(spec, 3);
        TASK.trainer(1).fit(trained, data.train());
        double macs = Costs.of(spec).macs();
        java.util.function.Function<ProposalTuner, AdaptationReport> adapt = tuner -> NetAdapter.builder(trained)
                .constraint(ResourceConstraint.macs(0.85 * macs))
                .schedule(new ReductionSchedule(0.1, 0.9))
                .shortTerm(TASK.trainer(2), 128)
                .batchNormRecalibration(64)
                .data(data.train(), data.heldOut())
                .proposals(tuner)
                .seed(7)
                .build()
                .run()
                .report();
        AdaptationReport local = adapt.apply(ProposalTuner.local(2));
        AdaptationReport spark = adapt.apply(SparkProposalTuner.on(jobs));
        assertThat(local.iterations()).isNotEmpty();
        assertThat(spark.iterations()).hasSameSizeAs(local.iterations());
        for (int i = 0; i < local.iterations().size(); i++) {
            assertThat(spark.iterations().get(i).proposals())
                    .isEqualTo(local.iterations().get(i).proposals());
            assertThat(spark.iterations().get(i).layer())
                    .isEqualTo(local.iterations().get(i).layer());
        }
        assertThat(spark.finalAccuracy()).isEqualTo(local.finalAccuracy());
    }

    @Test
    void missingCandidatesAndBadSettingsAreNamed() {
        try (SparkEvaluator e = SparkEvaluator.builder()
                .jobs(jobs)
                .scorer(s -> Outcome.accuracy(0.5))
                .build()) {
            List<NetworkSpec> withNull = new ArrayList<>();
            withNull.add(null);
            assertThat(e.evaluate(withNull).get(0).failure()).contains("missing");
            assertThatThrownBy(() -> e.evaluate((List<NetworkSpec>) null)).hasMessageContaining("candidates");
        }
        assertThatThrownBy(() -> SparkEvaluator.builder().jobs(jobs).build()).hasMessageContaining("exactly one of");
        assertThatThrownBy(() -> SparkEvaluator.builder()
                        .jobs(jobs)
                        .master("local[2]")
                        .scorer(s -> null)
                        .build())
                .hasMessageContaining("at most one");
        assertThatThrownBy(() -> SparkEvaluator.builder().training(ProxyTask.fashionMnist(), null, 1))
                .hasMessageContaining("task.dataDir");
    }

    /** The evaluator contract on Spark: the proxy training scorer with the data in a broadcast. */
    @org.junit.jupiter.api.Nested
    class Contract extends org.mobilenas.core.testing.EvaluatorContract {
        @Override
        protected Evaluator create() {
            return SparkEvaluator.builder().jobs(jobs).training(data, 3).build();
        }
    }
}
