package org.mobilenas.examples;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mobilenas.core.experiment.ExperimentReport;
import org.mobilenas.core.experiment.ExperimentRunner;
import org.mobilenas.core.experiment.Job;
import org.mobilenas.core.experiment.JobResult;
import org.mobilenas.core.experiment.Provenance;
import org.mobilenas.core.experiment.ProxyData;
import org.mobilenas.core.experiment.ProxyTask;
import org.mobilenas.core.experiment.Summary;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.spaces.tiny.TinyNetSetup;

/**
 * The proxy task's reference run: the reference network (the small EfficientNet-like base that the TinyNet
 * experiment scales, 1.9 M MACs at 28 px) trained with the task's full schedule on the 50k train split, evaluated
 * on the held-out split and on the test set. Establishes that the shared schedule trains a mobile network well
 * (≥ 0.90 test top-1 on Fashion-MNIST), so comparisons made on it mean something.
 *
 * <pre>{@code
 * ProxyTaskExperiment.Result r = ProxyTaskExperiment.run(ProxyTaskExperiment.Config.full(Path.of("out"), null, 1));
 * System.out.println(r.summary().testText());
 * }</pre>
 */
public final class ProxyTaskExperiment {
    private ProxyTaskExperiment() {}

    /**
     * Settings of a run.
     *
     * @param preset   {@code quick} or {@code full}
     * @param task     the proxy task
     * @param seeds    seeds of the reference network
     * @param out      output directory
     * @param parallel jobs trained at once
     */
    public record Config(String preset, ProxyTask task, List<Long> seeds, Path out, int parallel) {
        public Config {
            if (task == null || out == null || seeds == null || seeds.isEmpty()) {
                throw new IllegalArgumentException("config.task, config.out and a non-empty config.seeds are required");
            }
            seeds = List.copyOf(seeds);
        }

        /** The published run: Fashion-MNIST, the full schedule, seeds 1 and 2. */
        public static Config full(Path out, Path data, int parallel) {
            ProxyTask t = ProxyTask.fashionMnist();
            return new Config("full", data == null ? t : t.withData(data), List.of(1L, 2L), out, parallel);
        }

        /** Seconds: synthetic images, one epoch, two seeds. */
        public static Config quick(Path out) {
            return new Config("quick", ProxyTask.quick(), List.of(1L, 2L), out, 1);
        }
    }

    /** What a run produced. */
    public record Result(Summary summary, List<JobResult> jobs, ExperimentReport report) {}

    /** The reference network of a task (its resolution and channels, 10 classes or the task's). */
    public static NetworkSpec reference(ProxyTask task, int classes) {
        return TinyNetSetup.smallBase(classes, task.channels(), task.resolution())
                .withName("reference_" + task.resolution());
    }

    /** Runs (or resumes) the experiment and writes its report. */
    public static Result run(Config config) {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        ProxyData data = config.task().load();
        NetworkSpec spec = reference(config.task(), data.train().numClasses());
        ExperimentRunner runner = ExperimentRunner.builder(data)
                .directory(config.out())
                .parallelism(config.parallel())
                .progress(true)
                .build();
        List<Job> jobs = new ArrayList<>();
        for (long s : config.seeds()) {
            jobs.add(new Job("reference", spec, s));
        }
        List<JobResult> results = runner.run(jobs);
        Summary sum = Summary.of(results).get(0);
        double wall = (System.nanoTime() - t0) / 1e9;
        double trainSeconds = results.stream().mapToDouble(JobResult::seconds).sum();
        Map<String, Object> findings = new LinkedHashMap<>();
        findings.put("referenceNetwork", spec.name());
        findings.put("trainingSecondsPerSeed", trainSeconds / results.size());
        List<String> verdicts = new ArrayList<>();
        verdicts.add(String.format(
                Locale.ROOT,
                "The reference network reaches %s test top-1 with the full schedule "
                        + "(%d epochs on %d images), %s the 0.90 target; one training took %.1f min of wall time here "
                        + "(%d trainings at once, %d kernel thread(s) each).",
                sum.testText(),
                config.task().epochs(),
                data.train().size(),
                sum.testMean() >= 0.90 ? "meeting" : "missing",
                trainSeconds / results.size() / 60,
                config.parallel(),
                org.mobilenas.core.engine.kernels.Parallel.threads()));
        ExperimentReport report = ExperimentReport.of(
                Provenance.of("proxy-task", config.preset(), config.task(), config.seeds(), started, wall),
                results,
                findings,
                verdicts);
        report.write(config.out(), "Proxy task: reference network", null);
        return new Result(sum, results, report);
    }

    /** {@code --preset quick|full --out DIR --data DIR --parallel N}. */
    public static void main(String[] args) {
        ExperimentArgs.main(
                "ProxyTaskExperiment",
                args,
                Path.of("docs/results/proxy-task"),
                (a, out) -> run(a.preset().equals("quick")
                                ? Config.quick(out)
                                : Config.full(out, a.data(), a.parallel()))
                        .report());
    }
}
