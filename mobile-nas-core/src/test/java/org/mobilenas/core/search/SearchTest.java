package org.mobilenas.core.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilenas.core.cost.Costs;
import org.mobilenas.core.json.Json;
import org.mobilenas.core.latency.LatencyModel;

class SearchTest {

    private static final SyntheticSpace SPACE = new SyntheticSpace(6, 3, Genotype.of(2, 1, 0, 2, 1, 1));
    /** Latency proportional to MACs; the widest network costs ~ the target's double. */
    private static final LatencyModel LATENCY =
            LatencyModel.of("macs-proxy", s -> Costs.of(s).macs() / 1000.0);

    private Search.Builder builder(Evaluator evaluator, Path journal) {
        return Search.builder(SPACE)
                .controller(RlController.builder().hidden(16).learningRate(0.01).build())
                .reward(RewardFunction.soft(15.0))
                .latency(LATENCY)
                .evaluator(evaluator)
                .batchSize(4)
                .journal(journal)
                .seed(42);
    }

    private static Evaluator synthetic(AtomicInteger calls) {
        return Evaluator.of(spec -> {
            calls.incrementAndGet();
            return SPACE.accuracy(spec);
        });
    }

    private static List<String> journalGenotypes(Path journal) throws Exception {
        return Files.readAllLines(journal).stream()
                .filter(l -> !l.contains("\"format\""))
                .map(l -> {
                    try {
                        com.fasterxml.jackson.databind.JsonNode n =
                                Json.mapper().readTree(l);
                        return (n.has("candidate") ? n.get("candidate") : n)
                                .get("genotype")
                                .asText();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })
                .toList();
    }

    @Test
    void killedSearchResumesWithoutReevaluatingAndEndsLikeAnUninterruptedOne(@TempDir Path dir) throws Exception {
        Path full = dir.resolve("full.jsonl");
        AtomicInteger fullCalls = new AtomicInteger();
        SearchResult uninterrupted = builder(synthetic(fullCalls), full).build().run(12);

        Path killed = dir.resolve("killed.jsonl");
        AtomicInteger calls = new AtomicInteger();
        Evaluator dying = Evaluator.of(spec -> {
            if (calls.incrementAndGet() == 19) {
                Thread.currentThread().interrupt();
            }
            return SPACE.accuracy(spec);
        });
        Search first = builder(dying, killed).evaluationBatch(1).build();
        assertThatThrownBy(() -> first.run(12))
                .isInstanceOf(SearchInterruptedException.class)
                .hasMessageContaining("after 19 candidates");
        assertThat(Thread.interrupted()).isFalse();
        assertThat(journalGenotypes(killed)).hasSize(19);

        AtomicInteger resumedCalls = new AtomicInteger();
        Search resumed =
                builder(synthetic(resumedCalls), killed).evaluationBatch(1).build();
        List<SearchStep> steps = resumed.stream().limit(12).toList();
        SearchResult r = resumed.result();

        List<String> genotypes = journalGenotypes(killed);
        assertThat(new HashSet<>(genotypes)).hasSameSizeAs(genotypes);
        assertThat(genotypes).containsExactlyElementsOf(journalGenotypes(full));
        assertThat(resumedCalls.get() + 19).isEqualTo(fullCalls.get());
        assertThat(steps.get(0).replayed()).isTrue();
        assertThat(steps).anyMatch(s -> !s.replayed());
        assertThat(steps.stream().mapToInt(SearchStep::newEvaluations).sum()).isEqualTo(resumedCalls.get());
        assertThat(r.candidates()).hasSameSizeAs(uninterrupted.candidates());
        assertThat(r.best().genotype()).isEqualTo(uninterrupted.best().genotype());
    }

    @Test
    void aSearchKilledByAnErrorAlsoResumes(@TempDir Path dir) throws Exception {
        Path journal = dir.resolve("j.jsonl");
        AtomicInteger calls = new AtomicInteger();
        Evaluator crashing = candidates -> {
            if (calls.addAndGet(candidates.size()) > 10) {
                throw new StackOverflowError("simulated crash");
            }
            return candidates.stream()
                    .map(s -> Outcome.accuracy(SPACE.accuracy(s)))
                    .toList();
        };
        assertThatThrownBy(() ->
                        builder(crashing, journal).evaluationBatch(2).build().run(10))
                .isInstanceOf(StackOverflowError.class);
        int before = journalGenotypes(journal).size();
        assertThat(before).isEqualTo(10);
        // a half-written last line (killed while writing) is dropped
        Files.writeString(journal, "{\"index\":10,\"iter", java.nio.file.StandardOpenOption.APPEND);
        AtomicInteger more = new AtomicInteger();
        builder(synthetic(more), journal).evaluationBatch(2).build().run(10);
        List<String> genotypes = journalGenotypes(journal);
        assertThat(new HashSet<>(genotypes)).hasSameSizeAs(genotypes);
        assertThat(genotypes.size()).isEqualTo(before + more.get());
    }

    @Test
    void repeatedGenotypesAreEvaluatedOnceAndFailuresAreRecorded(@TempDir Path dir) {
        AtomicInteger calls = new AtomicInteger();
        Evaluator flaky = Evaluator.of(spec -> {
            calls.incrementAndGet();
            if (spec.name().endsWith("-0")) {
                throw new IllegalStateException("training diverged");
            }
            return SPACE.accuracy(spec);
        });
        Search s = Search.builder(SPACE)
                .controller(new RandomSearch())
                .reward(RewardFunction.hard(15.0))
                .latency(LATENCY)
                .evaluator(flaky)
                .batchSize(16)
                .seed(1)
                .build();
        List<SearchStep> steps = s.stream().limit(20).toList();
        SearchResult r = s.result();
        Set<String> distinct = steps.stream()
                .flatMap(st -> st.candidates().stream())
                .map(Candidate::genotype)
                .collect(Collectors.toSet());
        assertThat(calls.get()).isEqualTo(distinct.size()).isLessThan(320);
        assertThat(r.failures()).isPositive();
        Candidate failed =
                r.candidates().stream().filter(c -> !c.succeeded()).findFirst().orElseThrow();
        assertThat(failed.failure()).contains("training diverged");
        assertThat(failed.reward()).isZero();
        // hard preset: the best never violates the target
        assertThat(r.best().latencyMs()).isLessThanOrEqualTo(15.0);
        assertThat(r.candidates()).anyMatch(c -> c.succeeded() && c.latencyMs() > 15.0);
        assertThat(r.candidates().stream()
                        .filter(c -> c.succeeded() && c.feasible())
                        .mapToDouble(Candidate::reward)
                        .max()
                        .orElseThrow())
                .isEqualTo(r.best().reward());
    }

    @Test
    void resultCarriesProvenanceAndWritesJsonAndPlot(@TempDir Path dir) throws Exception {
        Search s =
                builder(synthetic(new AtomicInteger()), dir.resolve("j.jsonl")).build();
        SearchResult r = s.run(5);
        assertThat(r.seed()).isEqualTo(42);
        assertThat(r.controller()).isEqualTo("rl-ppo");
        assertThat(r.latencyModel()).isEqualTo("macs-proxy");
        assertThat(r.latencyTargetMs()).isEqualTo(15.0);
        assertThat(r.iterations()).isEqualTo(5);
        assertThat(r.versions()).containsKeys("mobile-nas", "java", "os");
        assertThat(r.options()).containsEntry("batchSize", 4);
        assertThat(r.paretoFront()).isNotEmpty();
        for (int i = 1; i < r.paretoFront().size(); i++) {
            assertThat(r.paretoFront().get(i).accuracy())
                    .isGreaterThan(r.paretoFront().get(i - 1).accuracy());
        }
        r.writeJson(dir.resolve("r.json"));
        r.writeParetoPlot(dir.resolve("r.png"));
        assertThat(Files.readString(dir.resolve("r.json")))
                .contains("\"paretoFront\"")
                .contains("\"rl-ppo\"");
        assertThat(Files.size(dir.resolve("r.png"))).isPositive();
    }

    @Test
    void aFailingLatencyModelIsALatencyFailureOfThatCandidateAndTheSearchGoesOn(@TempDir Path dir) {
        AtomicInteger n = new AtomicInteger();
        LatencyModel flaky = new LatencyModel() {
            @Override
            public String name() {
                return "flaky-lut";
            }

            @Override
            public org.mobilenas.core.latency.LatencyPrediction predict(
                    org.mobilenas.core.spec.NetworkSpec spec, int batch) {
                return LATENCY.predict(spec, batch);
            }

            @Override
            public double predictMs(org.mobilenas.core.spec.NetworkSpec spec) {
                return switch (n.incrementAndGet() % 4) {
                    case 1 -> throw new IllegalStateException("no latency key for block x");
                    case 2 -> Double.NaN;
                    case 3 -> -1;
                    default -> LATENCY.predictMs(spec);
                };
            }
        };
        SearchResult r = Search.builder(SPACE)
                .controller(new RandomSearch())
                .reward(RewardFunction.soft(15))
                .latency(flaky)
                .evaluator(Evaluator.of(x -> 0.5))
                .batchSize(4)
                .journal(dir.resolve("j.jsonl"))
                .build()
                .run(4);
        List<String> failures = r.candidates().stream()
                .map(Candidate::failure)
                .filter(f -> f != null)
                .toList();
        assertThat(failures)
                .isNotEmpty()
                .allSatisfy(f -> assertThat(f)
                        .startsWith("latency failure: model flaky-lut")
                        .doesNotContain("invalid decode"));
        assertThat(failures)
                .anyMatch(f -> f.contains("no latency key for block x"))
                .anyMatch(f -> f.contains("predicted NaN ms"))
                .anyMatch(f -> f.contains("predicted -1.0 ms"));
        assertThat(r.candidates()).anyMatch(Candidate::succeeded);
    }

    @Test
    void invalidDecodesAndForeignJournalsAreReported(@TempDir Path dir) throws Exception {
        SearchSpace broken = new SyntheticSpace(2, 2, Genotype.of(0, 0)) {
            @Override
            public org.mobilenas.core.spec.NetworkSpec decode(Genotype g) {
                if (g.get(0) == 1) {
                    throw new IllegalArgumentException("option 1 cannot be built");
                }
                return super.decode(g);
            }
        };
        Search s = Search.builder(broken)
                .controller(new RandomSearch())
                .reward(RewardFunction.soft(10))
                .latency(LATENCY)
                .evaluator(Evaluator.of(x -> 0.5))
                .batchSize(4)
                .journal(dir.resolve("j.jsonl"))
                .build();
        SearchResult r = s.run(3);
        assertThat(r.candidates())
                .anyMatch(c -> c.failure() != null && c.failure().contains("invalid decode"));
        assertThatThrownBy(() -> Search.builder(SPACE)
                        .controller(new RandomSearch())
                        .reward(RewardFunction.soft(10))
                        .latency(LATENCY)
                        .evaluator(Evaluator.of(x -> 0.5))
                        .journal(dir.resolve("j.jsonl"))
                        .build()
                        .run(1))
                .hasMessageContaining("belongs to space");
        assertThatThrownBy(() ->
                        Search.builder(SPACE).reward(RewardFunction.soft(10)).build())
                .hasMessageContaining("controller")
                .hasMessageContaining("evaluator")
                .hasMessageContaining("latency");
    }

    @Test
    void aJournalOfAnotherSearchIsRefusedNamingTheDifference(@TempDir Path dir) {
        Path j = dir.resolve("s.jsonl");
        builder(synthetic(new AtomicInteger()), j).build().run(2);
        LatencyModel tenTimes =
                LatencyModel.of("macs-proxy-x10", s -> Costs.of(s).macs() / 100.0);
        assertThatThrownBy(() -> builder(synthetic(new AtomicInteger()), j)
                        .latency(tenTimes)
                        .build()
                        .run(3))
                .hasMessageContaining("latency 'macs-proxy'")
                .hasMessageContaining("'macs-proxy-x10'")
                .hasMessageContaining("rescoreLatency");
        assertThatThrownBy(() -> builder(synthetic(new AtomicInteger()), j)
                        .seed(7)
                        .build()
                        .run(3))
                .hasMessageContaining("seed '42'")
                .hasMessageContaining("seed '7'");
        assertThatThrownBy(() -> builder(synthetic(new AtomicInteger()), j)
                        .controller(new RandomSearch())
                        .build()
                        .run(3))
                .hasMessageContaining("controller");
    }

    @Test
    void rescoringPredictsJournaledLatenciesAgainUnderTheNewModel(@TempDir Path dir) {
        Path j = dir.resolve("s.jsonl");
        SearchResult before = builder(synthetic(new AtomicInteger()), j).build().run(2);
        LatencyModel tenTimes =
                LatencyModel.of("macs-proxy-x10", s -> Costs.of(s).macs() / 100.0);
        AtomicInteger calls = new AtomicInteger();
        Search again = builder(synthetic(calls), j)
                .latency(tenTimes)
                .rescoreLatency(true)
                .build();
        SearchResult after = again.run(2);
        assertThat(calls.get()).as("nothing is trained again").isZero();
        assertThat(after.candidates()).hasSameSizeAs(before.candidates());
        for (int i = 0; i < after.candidates().size(); i++) {
            Candidate a = after.candidates().get(i);
            Candidate b = before.candidates().get(i);
            if (b.succeeded()) {
                assertThat(a.latencyMs()).isCloseTo(10 * b.latencyMs(), org.assertj.core.data.Offset.offset(1e-6));
                assertThat(a.accuracy()).isEqualTo(b.accuracy());
            }
        }
        // the journal now belongs to the new model: resuming with it needs no option
        assertThat(builder(synthetic(calls), j).latency(tenTimes).build().run(2).candidates())
                .hasSameSizeAs(after.candidates());
    }

    @Test
    void anEditedJournalLineIsRefused(@TempDir Path dir) throws Exception {
        Path j = dir.resolve("s.jsonl");
        builder(synthetic(new AtomicInteger()), j).build().run(2);
        List<String> lines = Files.readAllLines(j);
        String edited = lines.get(1).replaceFirst("\"accuracy\":[0-9.]+", "\"accuracy\":0.99999");
        assertThat(edited).isNotEqualTo(lines.get(1));
        lines.set(1, edited);
        Files.write(j, lines);
        assertThatThrownBy(
                        () -> builder(synthetic(new AtomicInteger()), j).build().run(3))
                .hasMessageContaining("line 2")
                .hasMessageContaining("checksum");
    }
}
