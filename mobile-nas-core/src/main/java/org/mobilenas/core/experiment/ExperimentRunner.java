package org.mobilenas.core.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.mobilenas.core.cost.Costs;
import org.mobilenas.core.data.ImageDataset;
import org.mobilenas.core.engine.Model;
import org.mobilenas.core.engine.Network;
import org.mobilenas.core.io.Hashing;
import org.mobilenas.core.json.Json;
import org.mobilenas.core.json.SpecJson;
import org.mobilenas.core.search.Evaluator;
import org.mobilenas.core.search.Outcome;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.train.CheckpointMismatchException;
import org.mobilenas.core.train.Evaluation;
import org.mobilenas.core.train.Trainer;
import org.mobilenas.core.train.TrainingResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a list of (network, seed) jobs on a {@link ProxyTask}'s data, resumably. Every finished job is appended
 * to a journal ({@value #JOURNAL}, one checksummed JSON line per job); running again skips every job whose
 * identity is already there. A job's identity is a hash of its network's JSON, its seed, the task's settings, the
 * data's content fingerprint and the trainer's settings, so nothing stale is ever reused: change any of them and
 * the job trains again. A job killed half-way resumes from its last finished epoch (a trainer checkpoint under the
 * work directory, deleted when the job ends).
 *
 * <pre>{@code
 * ProxyData data = ProxyTask.fashionMnist().load();
 * ExperimentRunner runner = ExperimentRunner.builder(data).directory(Path.of("runs/tinynet")).build();
 * List<JobResult> results = runner.run(List.of(new Job("base", spec, 1), new Job("base", spec, 2)));
 * List<Summary> table = Summary.of(results);            // mean ± std per network
 * }</pre>
 */
public final class ExperimentRunner {
    /** Journal file name in the experiment directory. */
    public static final String JOURNAL = "jobs.jsonl";
    /** Format id of a journal line. */
    public static final String FORMAT = "mobile-nas/experiment-job";
    /** Format version of a journal line. */
    public static final int VERSION = 1;

    private static final Logger LOG = LoggerFactory.getLogger(ExperimentRunner.class);
    private static final ObjectWriter LINE = Json.mapper().writer().without(SerializationFeature.INDENT_OUTPUT);

    private final ProxyData data;
    private final ProxyTask task;
    private final Path directory;
    private final Path workDirectory;
    private final int parallelism;
    private final boolean progress;
    private final boolean saveNetworks;
    private final Evaluator.Realizer realizer;
    private final List<JobListener> listeners;

    private ExperimentRunner(Builder b) {
        this.data = b.data;
        this.task = b.task == null ? b.data.task() : b.task;
        this.directory = b.directory;
        this.workDirectory = b.workDirectory == null ? b.directory.resolve("work") : b.workDirectory;
        this.parallelism = b.parallelism;
        this.progress = b.progress;
        this.saveNetworks = b.saveNetworks;
        this.realizer = b.realizer;
        this.listeners = List.copyOf(b.listeners);
    }

    /** A runner over {@code data}, training with the data's task unless {@link Builder#task} says otherwise. */
    public static Builder builder(ProxyData data) {
        if (data == null) {
            throw new IllegalArgumentException("data is missing: expected ProxyTask.load()'s result");
        }
        return new Builder(data);
    }

    /** Called as jobs start and end; an exception thrown here stops the run (finished jobs stay journalled). */
    public interface JobListener {
        /** A job is about to train (not called for jobs found in the journal). */
        default void onJobStart(Job job, String key) {}

        /** A job ended and its result is in the journal. */
        default void onJobEnd(Job job, JobResult result) {}
    }

    /** Settings of an {@link ExperimentRunner}. */
    public static final class Builder {
        private final ProxyData data;
        private ProxyTask task;
        private Path directory;
        private Path workDirectory;
        private int parallelism = 1;
        private boolean progress = true;
        private boolean saveNetworks;
        private Evaluator.Realizer realizer = org.mobilenas.core.engine.Network::realize;
        private final List<JobListener> listeners = new ArrayList<>();

        private Builder(ProxyData data) {
            this.data = data;
        }

        /**
         * Trains with this task's schedule instead of the data's own (for example a shorter one for proxy
         * scores). Its data settings must equal the data's.
         */
        public Builder task(ProxyTask task) {
            if (task == null) {
                throw new IllegalArgumentException("task is missing");
            }
            ProxyTask own = data.task();
            if (task.source() != own.source()
                    || task.trainImages() != own.trainImages()
                    || task.heldOutImages() != own.heldOutImages()
                    || task.resolution() != own.resolution()
                    || task.channels() != own.channels()
                    || task.splitSeed() != own.splitSeed()) {
                throw new IllegalArgumentException("task '" + task.name() + "' describes other data than the loaded "
                        + "data (" + data + "); expected the same source, sizes, geometry and split seed");
            }
            this.task = task;
            return this;
        }

        /** Where the journal (and, unless set apart, the work directory) lives. Required. */
        public Builder directory(Path directory) {
            if (directory == null) {
                throw new IllegalArgumentException("directory is missing");
            }
            this.directory = directory;
            return this;
        }

        /** Where per-job training checkpoints live while a job runs (default: {@code directory/work}). */
        public Builder workDirectory(Path workDirectory) {
            if (workDirectory == null) {
                throw new IllegalArgumentException("workDirectory is missing");
            }
            this.workDirectory = workDirectory;
            return this;
        }

        /**
         * Jobs trained at once, 1..64 (default 1). Results do not depend on it. With more than one, run the JVM
         * with {@code -Dmobilenas.threads=1} so each job's kernels stay on one core.
         */
        public Builder parallelism(int parallelism) {
            if (parallelism < 1 || parallelism > 64) {
                throw new IllegalArgumentException("parallelism " + parallelism + ": expected 1..64");
            }
            this.parallelism = parallelism;
            return this;
        }

        /** Progress over the whole experiment: a bar on a terminal, plain log lines otherwise (default on). */
        /**
         * Whether each completed job's trained network is saved (under {@code networks/} in the directory, see
         * {@link #networkFile}), e.g. to fine-tune or adapt it later. Default off.
         */
        public Builder saveNetworks(boolean save) {
            this.saveNetworks = save;
            return this;
        }

        /** Whether to report progress of each job (see {@link org.mobilenas.core.progress.Progress}). */
        public Builder progress(boolean progress) {
            this.progress = progress;
            return this;
        }

        /** How a job's network is built (default {@code Network::realize}). */
        public Builder realizer(Evaluator.Realizer realizer) {
            if (realizer == null) {
                throw new IllegalArgumentException("realizer is missing");
            }
            this.realizer = realizer;
            return this;
        }

        /** Adds a listener. */
        public Builder listener(JobListener listener) {
            if (listener == null) {
                throw new IllegalArgumentException("listener is missing");
            }
            this.listeners.add(listener);
            return this;
        }

        /** The runner; fails when the directory cannot be created. */
        public ExperimentRunner build() {
            if (directory == null) {
                throw new IllegalArgumentException("directory is missing: expected where the journal goes");
            }
            try {
                Files.createDirectories(directory);
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "cannot create experiment directory " + directory + ": "
                                + e.getClass().getSimpleName() + ": " + e.getMessage(),
                        e);
            }
            if (!Files.isWritable(directory)) {
                throw new IllegalArgumentException("experiment directory " + directory + " is not writable");
            }
            return new ExperimentRunner(this);
        }
    }

    /** The task whose schedule trains the jobs. */
    public ProxyTask task() {
        return task;
    }

    /** The journal file. */
    public Path journal() {
        return directory.resolve(JOURNAL);
    }

    /** The identity of a job under this runner's task and data. */
    public String key(Job job) {
        String text = FORMAT + " v" + VERSION + "\n" + SpecJson.toJson(job.spec()) + "\nseed " + job.seed()
                + "\ntask " + task.settings() + "\ndata " + data.fingerprint() + "\ntrainer "
                + task.trainer(job.seed()).settings();
        if (job.initial() != null) {
            try {
                text += "\ninitial " + Hashing.sha256Hex(Files.readAllBytes(job.initial()), 64);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read job.initial " + job.initial() + ": " + e.getMessage(), e);
            }
        }
        return Hashing.sha256Hex(text, 24);
    }

    /**
     * Where the trained network of {@code job} is kept when {@link Builder#saveNetworks} is on (it exists once the
     * job has completed).
     */
    public Path networkFile(Job job) {
        return directory.resolve("networks").resolve(key(job) + ".mnas");
    }

    /**
     * Trains every job not yet in the journal and returns all results in the order of {@code jobs}. Jobs with the
     * same identity are trained once.
     */
    public List<JobResult> run(List<Job> jobs) {
        if (jobs == null) {
            throw new IllegalArgumentException("jobs is missing");
        }
        Map<String, JobResult> done = readJournal();
        List<String> keys = new ArrayList<>(jobs.size());
        Map<String, Job> todo = new LinkedHashMap<>();
        for (Job j : jobs) {
            if (j == null) {
                throw new IllegalArgumentException("jobs contains a missing job");
            }
            String k = key(j);
            keys.add(k);
            boolean networkLost = saveNetworks
                    && done.containsKey(k)
                    && done.get(k).completed()
                    && !Files.isRegularFile(networkFile(j));
            if (networkLost) {
                // journalled on a machine whose saved networks are not here (they are not results): train again
                LOG.info(
                        "job {} {} seed {}: its saved network {} is missing; training it again",
                        j.group(),
                        j.spec().name(),
                        j.seed(),
                        networkFile(j));
                done.remove(k);
            }
            if (!done.containsKey(k)) {
                todo.putIfAbsent(k, j);
            }
        }
        int total = keys.size();
        int skipped = (int) keys.stream().distinct().filter(done::containsKey).count();
        if (skipped > 0) {
            LOG.info("{}: {} of {} jobs already in {}", task.name(), skipped, total, journal());
        }
        try (ExperimentProgress bar = ExperimentProgress.open(progress, todo.size(), task.epochs())) {
            AtomicInteger finished = new AtomicInteger();
            if (parallelism == 1 || todo.size() <= 1) {
                for (Map.Entry<String, Job> e : todo.entrySet()) {
                    JobResult r = runOne(e.getValue(), e.getKey(), bar);
                    done.put(e.getKey(), r);
                    bar.jobDone(finished.incrementAndGet(), r);
                }
            } else {
                ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, todo.size()), r -> {
                    Thread t = new Thread(r, "mobilenas-experiment");
                    t.setDaemon(true);
                    return t;
                });
                try {
                    List<Future<JobResult>> futures = new ArrayList<>();
                    List<String> order = new ArrayList<>(todo.keySet());
                    for (String k : order) {
                        Job j = todo.get(k);
                        futures.add(pool.submit(() -> {
                            JobResult r = runOne(j, k, bar);
                            bar.jobDone(finished.incrementAndGet(), r);
                            return r;
                        }));
                    }
                    for (int i = 0; i < futures.size(); i++) {
                        done.put(order.get(i), await(futures.get(i)));
                    }
                } finally {
                    pool.shutdownNow();
                }
            }
        }
        List<JobResult> out = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            JobResult r = done.get(keys.get(i));
            out.add(new JobResult(
                    r.key(),
                    jobs.get(i).group(),
                    r.network(),
                    r.seed(),
                    r.status(),
                    r.failure(),
                    r.heldOutTop1(),
                    r.testTop1(),
                    r.macs(),
                    r.params(),
                    r.resolution(),
                    r.epochs(),
                    r.seconds()));
        }
        return List.copyOf(out);
    }

    private static JobResult await(Future<JobResult> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("experiment interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        }
    }

    /**
     * An {@link Evaluator} whose candidates are jobs of this runner (group {@code group}, seed {@code seed}): each
     * candidate is trained once, journalled, and scored by its held-out top-1 — so a search or a fit built on it
     * resumes after a kill without retraining anything.
     */
    public Evaluator evaluator(String group, long seed) {
        if (group == null || group.isBlank()) {
            throw new IllegalArgumentException("group is missing");
        }
        return candidates -> {
            if (candidates == null) {
                throw new IllegalArgumentException("candidates is missing; expected a list of network specs");
            }
            List<Job> jobs = new ArrayList<>();
            List<Integer> where = new ArrayList<>();
            Outcome[] out = new Outcome[candidates.size()];
            for (int i = 0; i < candidates.size(); i++) {
                NetworkSpec s = candidates.get(i);
                if (s == null) {
                    out[i] = Outcome.failure("candidate is missing (null)");
                } else if (s.inputChannels() != data.train().channels()) {
                    out[i] = Outcome.failure("'" + s.name() + "': network has " + s.inputChannels()
                            + " input channels, the task's images have "
                            + data.train().channels());
                } else {
                    jobs.add(new Job(group, s, seed));
                    where.add(i);
                }
            }
            List<JobResult> results = run(jobs);
            for (int k = 0; k < results.size(); k++) {
                JobResult r = results.get(k);
                out[where.get(k)] = r.completed()
                        ? Outcome.accuracy(r.heldOutTop1())
                        : Outcome.failure("'" + r.network() + "': " + r.status() + ": " + r.failure());
            }
            return List.of(out);
        };
    }

    private JobResult runOne(Job job, String key, ExperimentProgress bar) {
        for (JobListener l : listeners) {
            l.onJobStart(job, key);
        }
        NetworkSpec spec = job.spec();
        long t0 = System.nanoTime();
        Path ckpt = workDirectory.resolve(key);
        JobResult result;
        long macs = 0;
        long params = 0;
        try {
            Costs costs = Costs.of(spec);
            macs = costs.macs();
            params = costs.params();
            ImageDataset[] d = data.at(spec.resolution());
            Model model = start(job);
            Trainer trainer = task.trainerBuilder(job.seed())
                    .checkpointDir(ckpt)
                    .listener((stats, m) -> bar.epochDone(spec.name()))
                    .build();
            TrainingResult tr;
            try {
                tr = trainer.fit(model, d[0], d[1]);
            } catch (CheckpointMismatchException e) {
                // left by another version of this job (the key matched, the trainer's own check did not)
                LOG.warn(
                        "job {} {} seed {}: discarding a checkpoint of other settings ({})",
                        job.group(),
                        spec.name(),
                        job.seed(),
                        e.getMessage());
                deleteRecursively(ckpt);
                model = start(job);
                tr = trainer.fit(model, d[0], d[1]);
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            if (tr.status() == TrainingResult.Status.DIVERGED) {
                result = new JobResult(
                        key,
                        job.group(),
                        spec.name(),
                        job.seed(),
                        JobResult.DIVERGED,
                        String.valueOf(tr.divergence()),
                        Double.NaN,
                        Double.NaN,
                        macs,
                        params,
                        spec.resolution(),
                        tr.history().size(),
                        secs);
            } else {
                Evaluation test = trainer.evaluate(model, d[2]);
                if (saveNetworks) {
                    if (!(model instanceof Network n)) {
                        throw new IllegalStateException("saveNetworks needs a realizer that returns a Network, got "
                                + model.getClass().getSimpleName());
                    }
                    Path file = networkFile(job);
                    try {
                        Files.createDirectories(file.getParent());
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot create " + file.getParent() + ": " + e.getMessage(), e);
                    }
                    n.save(file);
                }
                secs = (System.nanoTime() - t0) / 1e9;
                result = new JobResult(
                        key,
                        job.group(),
                        spec.name(),
                        job.seed(),
                        JobResult.COMPLETED,
                        null,
                        tr.finalValidation().top1(),
                        test.top1(),
                        macs,
                        params,
                        spec.resolution(),
                        tr.history().size(),
                        secs);
            }
        } catch (RuntimeException e) {
            if (e instanceof UncheckedIOException) {
                throw e;
            }
            result = new JobResult(
                    key,
                    job.group(),
                    spec.name(),
                    job.seed(),
                    JobResult.FAILED,
                    e.getClass().getSimpleName() + ": " + e.getMessage(),
                    Double.NaN,
                    Double.NaN,
                    macs,
                    params,
                    spec.resolution(),
                    0,
                    (System.nanoTime() - t0) / 1e9);
        }
        append(result);
        deleteRecursively(ckpt);
        for (JobListener l : listeners) {
            l.onJobEnd(job, result);
        }
        return result;
    }

    private Model start(Job job) {
        if (job.initial() == null) {
            return realizer.realize(job.spec(), job.seed());
        }
        Network n = Network.load(job.initial());
        if (!n.spec().equals(job.spec())) {
            throw new IllegalArgumentException("job.initial " + job.initial() + " holds "
                    + n.spec().name() + ", not the job's network " + job.spec().name());
        }
        return n;
    }

    // ---------------------------------------------------------------- journal

    private synchronized void append(JobResult r) {
        try {
            String body = LINE.writeValueAsString(r);
            ObjectNode line = Json.mapper().createObjectNode();
            line.put("format", FORMAT);
            line.put("version", VERSION);
            line.put("sha256", sha(body));
            line.set("job", Json.mapper().readTree(body));
            Files.writeString(
                    journal(),
                    LINE.writeValueAsString(line) + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE,
                    StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot append to experiment journal " + journal() + ": "
                            + e.getClass().getSimpleName() + ": " + e.getMessage(),
                    e);
        }
    }

    /**
     * Reads the journal: every finished job by key. A final line cut short by a kill is ignored; any other line
     * that is not a valid, checksummed job record is refused with its line number.
     */
    public Map<String, JobResult> readJournal() {
        Map<String, JobResult> out = new LinkedHashMap<>();
        Path f = journal();
        if (!Files.exists(f)) {
            return out;
        }
        if (!Files.isRegularFile(f)) {
            throw new IllegalArgumentException("experiment journal " + f + " is not a regular file");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read experiment journal " + f + ": " + e.getClass().getSimpleName() + ": " + e.getMessage(),
                    e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String s = lines.get(i);
            if (s.isBlank()) {
                continue;
            }
            try {
                JobResult r = parseLine(s);
                out.put(r.key(), r);
            } catch (IllegalArgumentException | JsonProcessingException e) {
                if (i == lines.size() - 1) {
                    LOG.warn("experiment journal {}: ignoring an incomplete last line ({})", f, e.getMessage());
                    continue;
                }
                throw new IllegalArgumentException(
                        "experiment journal " + f + ", line " + (i + 1) + ": " + e.getMessage()
                                + "; expected one checksummed " + FORMAT + " record per line",
                        e);
            }
        }
        return out;
    }

    private static JobResult parseLine(String s) throws JsonProcessingException {
        JsonNode n = Json.mapper().readTree(s);
        Json.checkEnvelope(n, "journal line", FORMAT, VERSION, VERSION);
        JsonNode job = n.get("job");
        if (job == null || !job.isObject()) {
            throw new IllegalArgumentException("field 'job' is missing");
        }
        String body = LINE.writeValueAsString(job);
        String sum = n.path("sha256").asText("");
        if (!sum.equals(sha(body))) {
            throw new IllegalArgumentException("checksum mismatch (the line was changed or damaged)");
        }
        return Json.mapper().treeToValue(job, JobResult.class);
    }

    private static String sha(String s) {
        return Hashing.sha256Hex(s, 16);
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("cannot delete finished job's checkpoint {}: {}", dir, e.getMessage());
        }
    }
}
