package org.mobilenas.core.search;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.mobilenas.core.cost.Costs;
import org.mobilenas.core.json.Json;
import org.mobilenas.core.latency.LatencyModel;
import org.mobilenas.core.progress.Progress;
import org.mobilenas.core.spec.NetworkSpec;

/**
 * The search engine: a controller proposes genotypes of a space, they are decoded, measured (latency model,
 * {@link Costs}) and evaluated (accuracy), scored by the reward, and the controller learns from the rewards.
 *
 * <p>Every evaluated candidate is appended to a JSON-lines journal (one line each, flushed at once). A search
 * streamed again with the same journal replays it: the controller proposes the same batches, the journaled
 * candidates are taken from the journal instead of being evaluated, and the controller observes the same
 * rewards, so a search killed at any moment continues where it stopped, losing at most the candidates being
 * evaluated when it was killed. Repeated genotypes are never evaluated twice (a cache keyed by genotype).
 * A candidate that fails to decode or to evaluate (an exception or out-of-memory in the evaluator) is recorded
 * as failed with reward 0; interrupting the thread stops the search with a {@link SearchInterruptedException}
 * (the interrupt status is cleared, as when {@code InterruptedException} is thrown).
 *
 * <pre>{@code
 * Search search = Search.builder(space)
 *         .controller(RlController.builder().build())
 *         .reward(RewardFunction.soft(20.0))
 *         .latency(latencyModel)
 *         .evaluator(evaluator)
 *         .batchSize(8)
 *         .journal(Path.of("out/search.jsonl"))
 *         .seed(42)
 *         .build();
 * search.stream().limit(20).forEach(step -> System.out.println(step.iteration() + " " + step.meanReward()));
 * SearchResult result = search.result();
 * }</pre>
 */
public final class Search {
    /** Journal format name written in its first line. */
    public static final String JOURNAL_FORMAT = "mobile-nas/search-journal";

    private static final ObjectMapper LINES = Json.mapper().copy().disable(SerializationFeature.INDENT_OUTPUT);

    private final SearchSpace space;
    private final Controller controller;
    private final RewardFunction reward;
    private final LatencyModel latency;
    private final Evaluator evaluator;
    private final long seed;
    private final int batchSize;
    private final int evaluationBatch;
    private final Path journal;
    private final boolean rescoreLatency;
    private final boolean progress;

    private final Map<String, Candidate> cache = new LinkedHashMap<>();
    private int iterations;

    private Search(Builder b) {
        this.space = b.space;
        this.controller = b.controller;
        this.reward = b.reward;
        this.latency = b.latency;
        this.evaluator = b.evaluator;
        this.seed = b.seed;
        this.batchSize = b.batchSize;
        this.evaluationBatch = b.evaluationBatch == 0 ? b.batchSize : b.evaluationBatch;
        this.journal = b.journal;
        this.rescoreLatency = b.rescoreLatency;
        this.progress = b.progress;
    }

    /** A builder of a search over {@code space}; controller, reward and evaluator are required. */
    public static Builder builder(SearchSpace space) {
        return new Builder(space);
    }

    /** Settings of a {@link Search}. Required: controller, reward and evaluator (and latency if the reward needs it). */
    public static final class Builder {
        private final SearchSpace space;
        private Controller controller;
        private RewardFunction reward;
        private LatencyModel latency;
        private Evaluator evaluator;
        private long seed = 42;
        private int batchSize = 8;
        private int evaluationBatch;
        private Path journal;
        private boolean progress = true;
        private boolean rescoreLatency;

        private Builder(SearchSpace space) {
            if (space == null) {
                throw new IllegalArgumentException("search space is missing");
            }
            this.space = space;
        }

        /** The controller proposing candidates. */
        public Builder controller(Controller c) {
            this.controller = c;
            return this;
        }

        /** The reward combining accuracy with latency and other measures. */
        public Builder reward(RewardFunction r) {
            this.reward = r;
            return this;
        }

        /** The latency model whose predictions feed the reward. */
        public Builder latency(LatencyModel l) {
            this.latency = l;
            return this;
        }

        /** How candidates are trained and scored. */
        public Builder evaluator(Evaluator e) {
            this.evaluator = e;
            return this;
        }

        /** Seed of the controller (candidates are trained with the evaluator's own seed). */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** Genotypes the controller proposes per iteration; default 8. */
        public Builder batchSize(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("batchSize " + n + " must be >= 1");
            }
            this.batchSize = n;
            return this;
        }

        /** Candidates handed to the evaluator at once (default: the whole batch); 1 journals each at once. */
        public Builder evaluationBatch(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("evaluationBatch " + n + " must be >= 1");
            }
            this.evaluationBatch = n;
            return this;
        }

        /** JSON-lines journal; an existing one is replayed (resume). Default: none (in memory only). */
        public Builder journal(Path file) {
            this.journal = file;
            return this;
        }

        /**
         * Resume a journal written under another latency model: every journaled candidate's latency is predicted
         * again by this search's model (its accuracy is kept) and the journal is rewritten under the new model.
         * Without it, such a journal is refused. Default off.
         */
        public Builder rescoreLatency(boolean on) {
            this.rescoreLatency = on;
            return this;
        }

        /** Show progress during {@link Search#run(int)} (default on; see {@link Progress}). */
        public Builder progress(boolean on) {
            this.progress = on;
            return this;
        }

        /** Builds the search; a missing controller, reward or evaluator is an error naming it. */
        public Search build() {
            List<String> missing = new ArrayList<>();
            if (controller == null) {
                missing.add("controller");
            }
            if (reward == null) {
                missing.add("reward");
            }
            if (evaluator == null) {
                missing.add("evaluator");
            }
            if (reward != null && reward.needsLatency() && latency == null) {
                missing.add("latency (the reward has a latency constraint)");
            }
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("search is missing: " + String.join(", ", missing));
            }
            return new Search(this);
        }
    }

    /**
     * The search as an infinite, ordered stream of iterations; limit it. Each call starts over: the controller
     * is reset with the seed and the journal (or this search's earlier candidates) is replayed.
     */
    public Stream<SearchStep> stream() {
        loadJournal();
        controller.start(space, seed);
        iterations = 0;
        long start = System.nanoTime();
        Spliterator<SearchStep> it =
                new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL) {
                    @Override
                    public boolean tryAdvance(Consumer<? super SearchStep> action) {
                        action.accept(step(start));
                        return true;
                    }
                };
        return StreamSupport.stream(it, false);
    }

    /** Runs (or resumes) {@code iterations} iterations in total and returns the result. */
    public SearchResult run(int totalIterations) {
        if (totalIterations < 0) {
            throw new IllegalArgumentException("iterations " + totalIterations + " must be >= 0");
        }
        try (Progress bar = Progress.open(progress, "search " + space.name(), totalIterations, "iterations")) {
            stream()
                    .limit(totalIterations)
                    .forEach(s -> bar.step(
                            1,
                            s.best() == null
                                    ? ""
                                    : String.format(
                                            java.util.Locale.ROOT,
                                            "best %.4f (acc %.3f), %d candidates",
                                            s.best().reward(),
                                            s.best().accuracy(),
                                            cache.size())));
        }
        return result();
    }

    private SearchStep step(long start) {
        int iteration = iterations;
        List<Genotype> batch = controller.propose(batchSize);
        List<Genotype> pending = new ArrayList<>();
        for (Genotype g : batch) {
            String key = g.toString();
            if (!cache.containsKey(key) && !pending.contains(g)) {
                pending.add(g);
            }
        }
        for (int from = 0; from < pending.size(); from += evaluationBatch) {
            if (Thread.interrupted()) {
                throw new SearchInterruptedException("search interrupted at iteration " + iteration + " after "
                        + cache.size() + " candidates; the journal has all of them");
            }
            evaluate(pending.subList(from, Math.min(pending.size(), from + evaluationBatch)), iteration);
        }
        List<Candidate> cs = new ArrayList<>();
        double[] rewards = new double[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            Candidate c = cache.get(batch.get(i).toString());
            cs.add(c);
            rewards[i] = c.reward();
        }
        controller.observe(batch, rewards);
        iterations++;
        return new SearchStep(iteration, cs, pending.size(), cache.size(), best(), (System.nanoTime() - start) / 1e9);
    }

    private void evaluate(List<Genotype> chunk, int iteration) {
        List<Candidate> done = new ArrayList<>();
        List<NetworkSpec> specs = new ArrayList<>();
        List<Genotype> decoded = new ArrayList<>();
        List<RewardFunction.Measures> measures = new ArrayList<>();
        List<Double> lats = new ArrayList<>();
        for (Genotype g : chunk) {
            NetworkSpec spec;
            Costs costs;
            Double lat = null;
            try {
                spec = space.decode(g);
                costs = Costs.of(spec);
            } catch (RuntimeException e) {
                done.add(failed(g, iteration, null, "invalid decode: " + e.getMessage(), 0));
                continue;
            }
            if (latency != null) {
                String problem;
                try {
                    lat = latency.predictMs(spec);
                    problem = Double.isFinite(lat) && lat >= 0
                            ? null
                            : "predicted " + lat + " ms, expected a finite number >= 0";
                } catch (RuntimeException e) {
                    problem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                }
                if (problem != null) {
                    done.add(failed(
                            g,
                            iteration,
                            spec.name(),
                            "latency failure: model " + latency.name() + " on candidate " + spec.name() + " (" + g
                                    + "): " + problem,
                            0));
                    continue;
                }
            }
            specs.add(spec);
            decoded.add(g);
            lats.add(lat);
            measures.add(new RewardFunction.Measures(lat == null ? 0 : lat, costs.params(), costs.macs()));
        }
        if (!specs.isEmpty()) {
            long t0 = System.nanoTime();
            List<Outcome> outcomes;
            String batchFailure = null;
            try {
                outcomes = evaluator.evaluate(specs);
                if (outcomes == null || outcomes.size() != specs.size()) {
                    batchFailure = "evaluator returned " + (outcomes == null ? "null" : outcomes.size() + " outcomes")
                            + " for " + specs.size() + " candidates";
                    outcomes = null;
                }
            } catch (RuntimeException | OutOfMemoryError e) {
                outcomes = null;
                batchFailure = "evaluator failed: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
            double seconds = (System.nanoTime() - t0) / 1e9 / specs.size();
            for (int i = 0; i < specs.size(); i++) {
                Outcome o = outcomes == null ? Outcome.failure(batchFailure) : outcomes.get(i);
                RewardFunction.Measures m = measures.get(i);
                Genotype g = decoded.get(i);
                if (o == null || !o.succeeded()) {
                    Candidate f = failed(
                            g,
                            iteration,
                            specs.get(i).name(),
                            o == null ? "evaluator returned no outcome" : o.failure(),
                            seconds);
                    done.add(new Candidate(
                            f.index(),
                            f.iteration(),
                            f.genotype(),
                            f.name(),
                            null,
                            f.failure(),
                            lats.get(i),
                            (long) m.params(),
                            (long) m.macs(),
                            0,
                            false,
                            seconds));
                } else {
                    done.add(new Candidate(
                            0,
                            iteration,
                            g.toString(),
                            specs.get(i).name(),
                            o.accuracy(),
                            null,
                            lats.get(i),
                            (long) m.params(),
                            (long) m.macs(),
                            reward.reward(o.accuracy(), m),
                            reward.feasible(m),
                            seconds));
                }
            }
        }
        for (Candidate c : done) {
            Candidate indexed = new Candidate(
                    cache.size(),
                    c.iteration(),
                    c.genotype(),
                    c.name(),
                    c.accuracy(),
                    c.failure(),
                    c.latencyMs(),
                    c.params(),
                    c.macs(),
                    c.reward(),
                    c.feasible(),
                    c.seconds());
            append(indexed);
            cache.put(indexed.genotype(), indexed);
        }
    }

    private static Candidate failed(Genotype g, int iteration, String name, String why, double seconds) {
        return new Candidate(0, iteration, g.toString(), name, null, why, null, 0, 0, 0, false, seconds);
    }

    // ---------------------------------------------------------------- journal

    private Map<String, Object> header() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("format", JOURNAL_FORMAT);
        h.put("version", 2);
        h.put("space", space.name());
        h.put("decisions", space.decisions().size());
        h.put("seed", seed);
        h.put("controller", controller.name() + " " + new java.util.TreeMap<>(controller.options()));
        h.put("latency", latency == null ? "none" : latency.name());
        h.put("batchSize", batchSize);
        return h;
    }

    private void loadJournal() {
        if (journal == null || !Files.exists(journal)) {
            return;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(journal, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read search journal " + journal + ": "
                            + e.getClass().getSimpleName() + ": " + e.getMessage(),
                    e);
        }
        Map<String, Candidate> read = new LinkedHashMap<>();
        StringBuilder good = new StringBuilder();
        boolean truncated = false;
        boolean needsRescore = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = LINES.readTree(line);
            } catch (JsonProcessingException e) {
                if (i == lines.size() - 1) {
                    truncated = true;
                    break;
                }
                throw new IllegalArgumentException(
                        "search journal " + journal + " line " + (i + 1) + " is not JSON: " + e.getOriginalMessage());
            }
            if (node.has("format")) {
                needsRescore = checkHeader(node, i + 1);
            } else {
                Candidate c;
                try {
                    JsonNode body = node;
                    if (node.has("candidate")) {
                        body = node.get("candidate");
                        if (!node.path("sha256").asText("").equals(sha(LINES.writeValueAsString(body)))) {
                            throw new IllegalArgumentException("checksum mismatch (the line was changed or damaged)");
                        }
                    }
                    c = LINES.treeToValue(body, Candidate.class);
                } catch (JsonProcessingException | IllegalArgumentException e) {
                    throw new IllegalArgumentException("search journal " + journal + " line " + (i + 1)
                            + " is not a candidate: " + e.getMessage());
                }
                space.validate(c.toGenotype());
                if (needsRescore && c.succeeded()) {
                    c = withLatency(c, latency.predictMs(space.decode(c.toGenotype())));
                }
                Candidate rescored = c.succeeded()
                        ? new Candidate(
                                read.size(),
                                c.iteration(),
                                c.genotype(),
                                c.name(),
                                c.accuracy(),
                                null,
                                c.latencyMs(),
                                c.params(),
                                c.macs(),
                                reward.reward(c.accuracy(), c.measures()),
                                reward.feasible(c.measures()),
                                c.seconds())
                        : new Candidate(
                                read.size(),
                                c.iteration(),
                                c.genotype(),
                                c.name(),
                                null,
                                c.failure(),
                                c.latencyMs(),
                                c.params(),
                                c.macs(),
                                0,
                                false,
                                c.seconds());
                read.putIfAbsent(rescored.genotype(), rescored);
            }
            good.append(line).append('\n');
        }
        if (needsRescore) {
            StringBuilder out = new StringBuilder();
            try {
                out.append(LINES.writeValueAsString(header())).append('\n');
                for (Candidate c : read.values()) {
                    out.append(line(c)).append('\n');
                }
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write search journal line: " + e.getOriginalMessage(), e);
            }
            org.mobilenas.core.io.AtomicFiles.writeString(journal, out.toString());
        } else if (truncated) {
            org.mobilenas.core.io.AtomicFiles.writeString(journal, good.toString());
        }
        cache.clear();
        cache.putAll(read);
    }

    private static Candidate withLatency(Candidate c, double ms) {
        return new Candidate(
                c.index(),
                c.iteration(),
                c.genotype(),
                c.name(),
                c.accuracy(),
                c.failure(),
                ms,
                c.params(),
                c.macs(),
                c.reward(),
                c.feasible(),
                c.seconds());
    }

    private static String sha(String text) {
        return org.mobilenas.core.io.Hashing.sha256Hex(text, 16);
    }

    private static String line(Candidate c) throws JsonProcessingException {
        String body = LINES.writeValueAsString(c);
        return "{\"sha256\":\"" + sha(body) + "\",\"candidate\":" + body + "}";
    }

    /**
     * Checks that the journal was written by a search of the same identity; returns whether its latencies must be
     * predicted again (another latency model, with {@link Builder#rescoreLatency}).
     */
    private boolean checkHeader(JsonNode node, int line) {
        Json.checkEnvelope(node, "search journal " + journal + " line " + line, JOURNAL_FORMAT, 1, 2);
        if (!space.name().equals(node.path("space").asText())
                || node.path("decisions").asInt() != space.decisions().size()) {
            throw new IllegalArgumentException("search journal " + journal + " belongs to space '"
                    + node.path("space").asText() + "' with "
                    + node.path("decisions").asInt()
                    + " decisions, not to '" + space.name() + "' with "
                    + space.decisions().size());
        }
        if (node.path("version").asInt() < 2) {
            return false;
        }
        Map<String, Object> mine = header();
        boolean rescore = false;
        for (String field : List.of("seed", "controller", "batchSize", "latency")) {
            String theirs = node.path(field).asText();
            String ours = String.valueOf(mine.get(field));
            if (!theirs.equals(ours)) {
                if (field.equals("latency") && rescoreLatency && latency != null) {
                    rescore = true;
                    continue;
                }
                throw new IllegalArgumentException("search journal " + journal + " was written with " + field + " '"
                        + theirs + "', but this search has " + field + " '" + ours + "'; expected the same "
                        + field + " to resume (use a new journal"
                        + (field.equals("latency")
                                ? ", or rescoreLatency(true) to predict the journaled candidates' latencies again)"
                                : ")"));
            }
        }
        return rescore;
    }

    private void append(Candidate c) {
        if (journal == null) {
            return;
        }
        try {
            if (journal.getParent() != null) {
                Files.createDirectories(journal.getParent());
            }
            boolean fresh = !Files.exists(journal) || Files.size(journal) == 0;
            try (BufferedWriter w = Files.newBufferedWriter(
                    journal, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                if (fresh) {
                    w.write(LINES.writeValueAsString(header()));
                    w.write('\n');
                }
                w.write(line(c));
                w.write('\n');
                w.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to search journal " + journal, e);
        }
    }

    // ---------------------------------------------------------------- result

    /** Every candidate evaluated (or replayed) so far, in evaluation order. */
    public List<Candidate> candidates() {
        return List.copyOf(cache.values());
    }

    /** The best feasible successful candidate so far by reward, or {@code null}. */
    public Candidate best() {
        return cache.values().stream()
                .filter(c -> c.succeeded() && c.feasible())
                .max(Comparator.comparingDouble(Candidate::reward).thenComparing(c -> -c.index()))
                .orElse(null);
    }

    /** The result so far, with provenance. */
    public SearchResult result() {
        List<Candidate> all = candidates();
        List<Candidate> ok = all.stream().filter(Candidate::succeeded).toList();
        List<Candidate> front = Pareto.front(ok, Candidate::accuracy, SearchResult::cost);
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("batchSize", batchSize);
        options.put("evaluationBatch", evaluationBatch);
        options.put("journal", journal == null ? "none" : journal.toString());
        Map<String, String> versions = new LinkedHashMap<>();
        String v = Search.class.getPackage().getImplementationVersion();
        versions.put("mobile-nas", v == null ? "development" : v);
        versions.put("java", System.getProperty("java.version"));
        versions.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        versions.put("processors", String.valueOf(Runtime.getRuntime().availableProcessors()));
        double target = reward.latencyTargetMs();
        return new SearchResult(
                space.name(),
                space.size().toString(),
                controller.name(),
                controller.options(),
                reward.toString(),
                Double.isNaN(target) ? null : target,
                latency == null ? null : latency.name(),
                seed,
                options,
                versions,
                iterations,
                all,
                best(),
                front);
    }
}
