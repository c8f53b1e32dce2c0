package org.mobilenas.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.mobilenas.core.cost.Costs;
import org.mobilenas.core.engine.Network;
import org.mobilenas.core.experiment.ProxyData;
import org.mobilenas.core.experiment.ProxyTask;
import org.mobilenas.core.io.AtomicFiles;
import org.mobilenas.core.json.Json;
import org.mobilenas.core.latency.LatencyModel;
import org.mobilenas.core.search.Candidate;
import org.mobilenas.core.search.Evaluator;
import org.mobilenas.core.search.RewardFunction;
import org.mobilenas.core.search.RlController;
import org.mobilenas.core.search.Search;
import org.mobilenas.core.search.SearchResult;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.spaces.catalog.MobileNets;
import org.mobilenas.spaces.search.MnasNetSpace;
import org.mobilenas.spaces.search.Skeleton;

/**
 * A MnasNet search whose candidates train on Spark (or, for comparison, on this machine): the factorized space
 * on MobileNetV2's skeleton at width 0.25 (28 px, output stride 16), the RL controller, the soft reward on a
 * MACs proxy whose target is MobileNetV2-0.25's, candidates scored by proxy training (Fashion-MNIST's train
 * split, held-out top-1). Writes the search journal and a small report with the wall time.
 *
 * <pre>
 * # embedded local Spark, two task slots
 * java $SPARK_OPENS -cp ... org.mobilenas.spark.SparkSearch --master local[2] --out out/spark-search
 * # a cluster: spark-submit sets the master; the data directory must be readable on every executor
 * spark-submit --class org.mobilenas.spark.SparkSearch --master spark://host:7077 --jars deps.jar \
 *     mobile-nas-spark.jar --data /shared/fashion-mnist --out out/spark-search
 * </pre>
 */
public final class SparkSearch {

    private SparkSearch() {}

    static final String USAGE = """
            usage: SparkSearch [--evaluator spark|local] [--master M] [--data DIR] [--synthetic]
                               [--candidates N] [--iterations N] [--train-images N] [--epochs N] [--batch N]
                               [--seed S] [--out DIR] [--help]
              --evaluator     spark (default): candidates train on Spark executors; local: on this machine, one
                              after another (the same numbers, for comparison)
              --master        Spark master of an embedded context (default: the one spark-submit set, else
                              local[*])
              --data          data directory every executor can read (Fashion-MNIST, CIFAR-10 or a folder of
                              images per class; executors load it there); without it the data is loaded
                              here and shipped to the executors in a broadcast
              --synthetic     the small synthetic task instead of Fashion-MNIST (smoke runs)
              --candidates    candidates in all (default 16), over --iterations controller updates (default 2)
              --train-images  training images per candidate (default 5000), --epochs (1), --batch (32)
              --seed          seed of the controller and of every candidate's training (default 1)
              --out           directory of search.jsonl and report.json (default out/spark-search)
            """;

    /** Parsed options. */
    record Options(
            String evaluator,
            String master,
            Path data,
            boolean synthetic,
            int candidates,
            int iterations,
            int trainImages,
            int epochs,
            int batch,
            long seed,
            Path out) {

        static Options parse(String[] args) {
            Map<String, String> m = new LinkedHashMap<>();
            boolean synthetic = false;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--synthetic")) {
                    synthetic = true;
                    continue;
                }
                if (!List.of(
                                "--evaluator",
                                "--master",
                                "--data",
                                "--candidates",
                                "--iterations",
                                "--train-images",
                                "--epochs",
                                "--batch",
                                "--seed",
                                "--out")
                        .contains(a)) {
                    throw new IllegalArgumentException("unknown option '" + a + "'\n" + USAGE);
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value\n" + USAGE);
                }
                m.put(a, args[++i]);
            }
            String evaluator = m.getOrDefault("--evaluator", "spark");
            if (!evaluator.equals("spark") && !evaluator.equals("local")) {
                throw new IllegalArgumentException("--evaluator '" + evaluator + "': expected spark or local");
            }
            Options o = new Options(
                    evaluator,
                    m.get("--master"),
                    m.containsKey("--data") ? Path.of(m.get("--data")) : null,
                    synthetic,
                    positive(m, "--candidates", 16),
                    positive(m, "--iterations", 2),
                    positive(m, "--train-images", 5000),
                    positive(m, "--epochs", 1),
                    positive(m, "--batch", 32),
                    Long.parseLong(m.getOrDefault("--seed", "1")),
                    Path.of(m.getOrDefault("--out", "out/spark-search")));
            if (o.candidates % o.iterations != 0) {
                throw new IllegalArgumentException(
                        "--candidates " + o.candidates + ": expected a multiple of " + "--iterations " + o.iterations);
            }
            return o;
        }

        private static int positive(Map<String, String> m, String key, int def) {
            String v = m.get(key);
            if (v == null) {
                return def;
            }
            try {
                int n = Integer.parseInt(v);
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(key + " '" + v + "': expected a whole number >= 1");
        }

        ProxyTask task() {
            ProxyTask t = synthetic ? ProxyTask.quick() : ProxyTask.fashionMnist();
            if (data != null) {
                t = t.withData(data);
            }
            return t.withTrainImages(trainImages).withEpochs(epochs).withBatchSize(batch);
        }
    }

    /** Runs the search from the command line ({@code --help} prints the options). */
    public static void main(String[] args) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(USAGE);
            return;
        }
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Map<String, Object> report = run(o);
        System.out.println(Json.write(report));
    }

    /** Runs the search of {@code o}; returns the report it also writes to {@code out/report.json}. */
    static Map<String, Object> run(Options o) {
        long t0 = System.nanoTime();
        ProxyTask task = o.task();
        ProxyData data = task.load();
        int res = task.resolution();
        int classes = data.train().numClasses();
        Skeleton skeleton = Skeleton.mobileNetV2(res, classes, 2, 1)
                .withInputChannels(task.channels())
                .withWidth(0.25);
        MnasNetSpace space =
                MnasNetSpace.builder(skeleton).name("mnasnet_os16_0.25").build();
        NetworkSpec reference = MobileNets.mobileNetV2(0.25, res, classes, 2, 1).withInputChannels(task.channels());
        LatencyModel macs = LatencyModel.of("macs-proxy", s -> Costs.of(s).macs() / 1e6);
        double target = macs.predictMs(reference);
        double loaded = (System.nanoTime() - t0) / 1e9;

        Evaluator evaluator;
        SparkEvaluator spark = null;
        if (o.evaluator().equals("local")) {
            evaluator = Evaluator.training(
                    task.trainer(o.seed()), data.train(), data.heldOut(), Network::realize, o.seed());
        } else {
            SparkEvaluator.Builder b = SparkEvaluator.builder();
            SparkConf conf = new SparkConf();
            if (o.master() != null) {
                b.master(o.master());
            } else if (conf.contains("spark.master")) {
                b.context(SparkContext.getOrCreate(conf));
            }
            b = o.data() != null ? b.training(task, data.fingerprint(), o.seed()) : b.training(data, o.seed());
            spark = b.build();
            evaluator = spark;
        }
        String master = spark == null ? "none" : spark.jobs().context().master();
        int slots = spark == null ? 1 : spark.jobs().slots();
        long t1 = System.nanoTime();
        SearchResult r;
        try {
            Path journal = o.out().resolve("search.jsonl");
            Files.createDirectories(o.out());
            Files.deleteIfExists(journal);
            Search search = Search.builder(space)
                    .controller(RlController.builder().learningRate(0.02).build())
                    .reward(RewardFunction.soft(target))
                    .latency(macs)
                    .evaluator(evaluator)
                    .batchSize(o.candidates() / o.iterations())
                    .journal(journal)
                    .seed(o.seed())
                    .build();
            r = search.run(o.iterations());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write under " + o.out() + ": " + e.getMessage(), e);
        } finally {
            if (spark != null) {
                spark.close();
            }
        }
        double searchSeconds = (System.nanoTime() - t1) / 1e9;
        List<Double> accuracies = new ArrayList<>();
        for (Candidate c : r.candidates()) {
            accuracies.add(c.accuracy());
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("evaluator", o.evaluator());
        report.put("master", master);
        report.put("slots", slots);
        report.put("engineThreads", org.mobilenas.core.engine.kernels.Parallel.threads());
        report.put("task", task.settings());
        report.put("candidates", r.candidates().size());
        report.put("failures", r.failures());
        report.put("accuracies", accuracies);
        report.put("loadSeconds", loaded);
        report.put("searchSeconds", searchSeconds);
        report.put(
                "secondsPerCandidate",
                searchSeconds / Math.max(1, r.candidates().size()));
        AtomicFiles.writeString(o.out().resolve("report.json"), Json.write(report));
        System.err.printf(
                Locale.ROOT,
                "%s: %d candidates (%d failed) in %.1f s%n",
                o.evaluator(),
                r.candidates().size(),
                r.failures(),
                searchSeconds);
        return report;
    }
}
