package org.mobilenas.examples;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.mobilenas.core.experiment.ExperimentRunner;
import org.mobilenas.core.experiment.Provenance;
import org.mobilenas.core.experiment.ProxyData;
import org.mobilenas.core.experiment.ProxyTask;
import org.mobilenas.core.io.AtomicFiles;
import org.mobilenas.core.json.Json;
import org.mobilenas.core.search.Candidate;
import org.mobilenas.core.search.Evaluator;
import org.mobilenas.core.search.RegularizedEvolution;
import org.mobilenas.core.search.RewardFunction;
import org.mobilenas.core.search.Search;
import org.mobilenas.core.search.SearchResult;
import org.mobilenas.core.search.SearchSpace;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.latency.fidelity.FidelityReport;
import org.mobilenas.latency.measure.JvmLatencyMeasurer;
import org.mobilenas.latency.measure.LatencyMeasurer;
import org.mobilenas.latency.measure.Measurement;
import org.mobilenas.latency.table.Interpolation;
import org.mobilenas.latency.table.LatencyTable;
import org.mobilenas.latency.table.LatencyTableBuilder;
import org.mobilenas.latency.table.TableLatencyModel;
import org.mobilenas.onnx.OnnxRuntimeMeasurer;
import org.mobilenas.spaces.catalog.MobileNets;
import org.mobilenas.spaces.search.MnasNetSpace;
import org.mobilenas.spaces.search.MobileNetV2Space;
import org.mobilenas.spaces.search.Skeleton;

/**
 * ONNX Runtime as the latency source: (1) a lookup table measured in ONNX Runtime (CPU, one intra-op thread, all
 * graph optimizations) for the MobileNetV2 space, checked against end-to-end ONNX Runtime latency of held-out
 * random networks of the space; (2) the same latency-aware search (regularized evolution on the MnasNet space, soft
 * reward, the same seed and the same proxy training) run once with this JVM's table and once with ONNX Runtime's,
 * each with T = its own latency of the same reference network, to see whether the two devices lead to different
 * networks. Writes {@code report.json}, {@code results.md} and the fidelity plot.
 *
 * <pre>
 * scripts/run-example.sh OnnxRuntimeLatencyExperiment --preset full --out docs/results/onnxruntime
 * </pre>
 */
public final class OnnxRuntimeLatencyExperiment {
    private OnnxRuntimeLatencyExperiment() {}

    /**
     * Sizes of a run.
     *
     * @param name              preset name
     * @param task              the proxy task whose data score the search's candidates
     * @param resolution        input resolution of the spaces
     * @param networks          held-out networks for the fidelity check
     * @param tableSamples      sampled networks that collect the MobileNetV2 space's keys
     * @param samples           timed runs per ONNX Runtime measurement
     * @param iterations        search iterations
     * @param batchSize         proposals per iteration
     * @param searchTrainImages training images of each candidate's proxy training (1 epoch, batch 32, lr 0.05)
     * @param parallel          trainings at once
     */
    public record Preset(
            String name,
            ProxyTask task,
            int resolution,
            int networks,
            int tableSamples,
            int samples,
            int iterations,
            int batchSize,
            int searchTrainImages,
            int parallel) {
        public static Preset full(Path data, int parallel) {
            ProxyTask t = ProxyTask.fashionMnist();
            return new Preset("full", data == null ? t : t.withData(data), 28, 30, 600, 30, 4, 8, 5000, parallel);
        }

        public static Preset quick() {
            return new Preset("quick", ProxyTask.quick(), 16, 4, 12, 3, 2, 3, 256, 1);
        }
    }

    /**
     * How the two searches compare.
     *
     * @param device        latency source
     * @param targetMs      T: that source's latency of the reference network
     * @param best          best candidate's genotype
     * @param bestAccuracy  its proxy accuracy
     * @param bestMs        its latency under this source
     * @param candidates    distinct candidates trained
     */
    public record SearchOutcome(
            String device, double targetMs, String best, double bestAccuracy, double bestMs, int candidates) {}

    /** What a run produced. */
    public record Result(
            String preset,
            Provenance provenance,
            String device,
            int tableKeys,
            FidelityReport.ModelFidelity fidelity,
            FidelityReport.ModelFidelity repeatability,
            double jvmVsOrtSpearman,
            List<SearchOutcome> searches,
            boolean samePick,
            double paretoOverlap) {}

    public static void main(String[] args) {
        if (System.getProperty("mobilenas.threads") == null) {
            System.setProperty("mobilenas.threads", "1");
        }
        ExperimentArgs a = ExperimentArgs.parse("OnnxRuntimeLatencyExperiment", args);
        if (a.help()) {
            System.out.println(ExperimentArgs.usage("OnnxRuntimeLatencyExperiment"));
            return;
        }
        Preset p = a.preset().equals("quick") ? Preset.quick() : Preset.full(a.data(), a.parallel());
        run(p, a.out() != null ? a.out() : Path.of("target", "onnxruntime-" + p.name()), System.out);
    }

    /** Runs (or resumes: tables, journals) the experiment. */
    public static Result run(Preset p, Path out, PrintStream log) {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        int r = p.resolution();
        OnnxRuntimeMeasurer ort = OnnxRuntimeMeasurer.builder()
                .threads(1)
                .optimization("all")
                .samples(p.samples())
                .warmup(Math.max(2, p.samples() / 3))
                .build();
        if (!ort.isAvailable()) {
            throw new IllegalStateException(
                    "ONNX Runtime is not on the classpath (com.microsoft.onnxruntime:onnxruntime)");
        }
        LatencyMeasurer jvm = JvmLatencyMeasurer.forEngine(Math.max(3, p.samples() / 2));

        // (1) ONNX Runtime table of the MobileNetV2 space against end-to-end ONNX Runtime latency
        SearchSpace v2 = MobileNetV2Space.smallInput(r, 1, 10, List.of(0.5, 0.75, 1.0));
        SplittableRandom rng = new SplittableRandom(1042);
        List<NetworkSpec> heldOut = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int tries = 0; heldOut.size() < p.networks() && tries < 50 * p.networks(); tries++) {
            NetworkSpec s = v2.decode(v2.sample(rng));
            if (seen.add(s.toString())) {
                heldOut.add(s.withName("mobilenetv2-space-" + heldOut.size()));
            }
        }
        Path ortTableFile = out.resolve("ort-mobilenetv2-table.json");
        LatencyTableBuilder.with(ort)
                .space(v2, p.tableSamples(), 42)
                .file(ortTableFile)
                .progress(false)
                .build();
        // keys of held-out networks the sampling missed are measured in isolation first, as a search would
        LatencyTable ortTable = LatencyTableBuilder.with(ort)
                .specs(heldOut)
                .calibrationNetworks(0)
                .file(ortTableFile)
                .progress(false)
                .build();
        TableLatencyModel ortModel = TableLatencyModel.builder(ortTable)
                .interpolation(Interpolation.CHANNELS)
                .build();
        FidelityReport.Passes passes = FidelityReport.measurePasses(ort, heldOut, 1, 3);
        double[] ortMs =
                passes.median().stream().mapToDouble(Measurement::medianMs).toArray();
        FidelityReport fidelity =
                FidelityReport.evaluate(ort.device().name(), 1, heldOut, passes.median(), List.of(ortModel));
        fidelity.writeJson(out.resolve("fidelity.json"));
        fidelity.writePlot(out.resolve("fidelity.png"));
        // do the two devices rank networks alike? this JVM's end-to-end latency of the same networks
        double[] jvmMs = FidelityReport.measureAll(jvm, heldOut, 1).stream()
                .mapToDouble(Measurement::medianMs)
                .toArray();
        double rankAgreement = heldOut.size() >= 3 ? new SpearmansCorrelation().correlation(jvmMs, ortMs) : Double.NaN;
        log.printf(
                Locale.ROOT,
                "ONNX Runtime table: %d keys; within10 %.3f, Spearman %.4f (measurement repeats within10"
                        + " %.3f); JVM vs ONNX Runtime rank correlation %.3f%n",
                ortTable.size(),
                fidelity.model(ortModel.name()).within10(),
                fidelity.model(ortModel.name()).spearman(),
                passes.repeatability().within10(),
                rankAgreement);

        // (2) the same search under either device's table
        ProxyTask searchTask = p.task()
                .withTrainImages(p.searchTrainImages())
                .withEpochs(1)
                .withBatchSize(32)
                .withLearningRate(0.05, 0);
        ProxyData searchData = searchTask.load();
        int ch = searchTask.channels();
        MnasNetSpace mnas = MnasNetSpace.builder(
                        Skeleton.mobileNetV2(r, searchData.train().numClasses(), 2, 1)
                                .withInputChannels(ch)
                                .withWidth(0.25))
                .name("mnasnet_os16_0.25")
                .build();
        NetworkSpec reference = MobileNets.mobileNetV2(0.25, r, mnas.skeleton().numClasses(), 2, 1)
                .withInputChannels(ch);
        List<NetworkSpec> cover = new ArrayList<>(mnas.coveringNetworks());
        cover.add(reference);
        Map<String, TableLatencyModel> models = new LinkedHashMap<>();
        models.put(
                "jvm",
                TableLatencyModel.builder(LatencyTableBuilder.with(jvm)
                                .specs(cover)
                                .file(out.resolve("jvm-mnasnet-table.json"))
                                .progress(false)
                                .build())
                        .interpolation(Interpolation.NONE)
                        .build());
        models.put(
                "onnxruntime",
                TableLatencyModel.builder(LatencyTableBuilder.with(ort)
                                .specs(cover)
                                .file(out.resolve("ort-mnasnet-table.json"))
                                .progress(false)
                                .build())
                        .interpolation(Interpolation.NONE)
                        .build());
        Evaluator evaluator = ExperimentRunner.builder(searchData)
                .task(searchTask)
                .directory(out.resolve("search"))
                .parallelism(p.parallel())
                .progress(false)
                .build()
                .evaluator("candidate", 42);
        List<SearchOutcome> outcomes = new ArrayList<>();
        List<Set<String>> fronts = new ArrayList<>();
        for (Map.Entry<String, TableLatencyModel> e : models.entrySet()) {
            double t = e.getValue().predictMs(reference);
            SearchResult sr = Search.builder(mnas)
                    .controller(RegularizedEvolution.builder()
                            .population(Math.max(2, p.iterations() * p.batchSize() / 2))
                            .sampleSize(2)
                            .build())
                    .reward(RewardFunction.soft(t))
                    .latency(e.getValue())
                    .evaluator(evaluator)
                    .batchSize(p.batchSize())
                    .journal(out.resolve("search-" + e.getKey() + ".jsonl"))
                    .seed(42)
                    .build()
                    .run(p.iterations());
            sr.writeJson(out.resolve("search-" + e.getKey() + ".json"));
            Candidate best = sr.best();
            outcomes.add(new SearchOutcome(
                    e.getKey(),
                    t,
                    best == null ? "none" : best.genotype(),
                    best == null ? Double.NaN : best.accuracy(),
                    best == null ? Double.NaN : best.latencyMs(),
                    sr.candidates().size()));
            Set<String> front = new LinkedHashSet<>();
            sr.paretoFront().forEach(c -> front.add(c.genotype()));
            fronts.add(front);
            log.printf(
                    Locale.ROOT,
                    "search with the %s table (T = %.4f ms): best %s, proxy top-1 %.4f at %.4f ms%n",
                    e.getKey(),
                    t,
                    outcomes.get(outcomes.size() - 1).best(),
                    outcomes.get(outcomes.size() - 1).bestAccuracy(),
                    outcomes.get(outcomes.size() - 1).bestMs());
        }
        Set<String> union = new HashSet<>(fronts.get(0));
        union.addAll(fronts.get(1));
        Set<String> both = new HashSet<>(fronts.get(0));
        both.retainAll(fronts.get(1));
        double overlap = union.isEmpty() ? Double.NaN : (double) both.size() / union.size();
        boolean same = outcomes.get(0).best().equals(outcomes.get(1).best());

        Map<String, String> settings = new java.util.TreeMap<>(searchTask.settings());
        settings.put("ort", ort.settings());
        settings.put("networks", String.valueOf(p.networks()));
        Result result = new Result(
                p.name(),
                Provenance.of(
                        "onnxruntime-latency",
                        p.name(),
                        settings,
                        List.of(42L, 1042L),
                        started,
                        (System.nanoTime() - t0) / 1e9),
                ort.device().name() + " (" + ort.device().runtime() + ")",
                ortTable.size(),
                fidelity.model(ortModel.name()),
                passes.repeatability(),
                rankAgreement,
                outcomes,
                same,
                overlap);
        AtomicFiles.writeString(out.resolve("report.json"), Json.write(result));
        AtomicFiles.writeString(out.resolve("results.md"), markdown(result));
        log.print(markdown(result));
        return result;
    }

    static String markdown(Result r) {
        FidelityReport.ModelFidelity f = r.fidelity();
        StringBuilder sb = new StringBuilder("# ONNX Runtime as the latency source\n\n");
        sb.append(String.format(Locale.ROOT, "Preset `%s`, device `%s`, batch 1.%n%n", r.preset(), r.device()));
        sb.append("## Lookup table vs end-to-end ONNX Runtime latency (MobileNetV2 space)\n\n"
                + "| table keys | held-out nets | within ±10 % | within ±5 % | MAPE | Spearman | measurement repeats "
                + "within ±10 % | JVM vs ONNX Runtime rank correlation |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        sb.append(String.format(
                Locale.ROOT,
                "| %d | %d | %.1f %% | %.1f %% | %.1f %% | %.4f | %.1f %% | %.3f |%n%n",
                r.tableKeys(),
                f.n(),
                100 * f.within10(),
                100 * f.within5(),
                100 * f.mape(),
                f.spearman(),
                100 * r.repeatability().within10(),
                r.jvmVsOrtSpearman()));
        sb.append("![fidelity](fidelity.png)\n\n## The same search under either device's table\n\n"
                + "| latency table | T (ms) | best candidate | proxy top-1 | its latency (ms) | candidates |\n"
                + "|---|---:|---|---:|---:|---:|\n");
        for (SearchOutcome s : r.searches()) {
            sb.append(String.format(
                    Locale.ROOT,
                    "| %s | %.4f | `%s` | %.4f | %.4f | %d |%n",
                    s.device(),
                    s.targetMs(),
                    s.best(),
                    s.bestAccuracy(),
                    s.bestMs(),
                    s.candidates()));
        }
        sb.append(String.format(
                Locale.ROOT,
                "%nThe two searches %s; their Pareto fronts share %.0f %% of their " + "networks.%n",
                r.samePick() ? "pick the same network" : "pick different networks",
                100 * r.paretoOverlap()));
        return sb.toString();
    }
}
