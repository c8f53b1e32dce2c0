package org.mobilenas.core.experiment;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mobilenas.core.io.AtomicFiles;
import org.mobilenas.core.json.Json;

/**
 * The published form of an experiment: provenance, every job's result, the mean ± std table and any findings
 * the experiment adds (fitted curves, correlations, verdicts). Written as {@value #JSON} (for tools) and
 * {@value #MARKDOWN} (for people).
 *
 * <pre>{@code
 * ExperimentReport report = new ExperimentReport(format, provenance, results, Summary.of(results), findings, notes);
 * report.write(Path.of("docs/results/tinynet"));
 * }</pre>
 *
 * @param format     {@code mobile-nas/experiment-report}
 * @param provenance where the result came from
 * @param jobs       every job's result
 * @param summary    mean ± std per network
 * @param findings   experiment-specific values (JSON-serialisable)
 * @param verdicts   plain sentences stating what the numbers say
 */
public record ExperimentReport(
        String format,
        Provenance provenance,
        List<JobResult> jobs,
        List<Summary> summary,
        Map<String, Object> findings,
        List<String> verdicts) {
    /** Format id. */
    public static final String FORMAT = "mobile-nas/experiment-report";
    /** Report file name. */
    public static final String JSON = "report.json";
    /** Table file name. */
    public static final String MARKDOWN = "results.md";

    /** Checks the components (a bad one is an error naming it). */
    public ExperimentReport {
        if (provenance == null) {
            throw new IllegalArgumentException("report.provenance is missing");
        }
        jobs = List.copyOf(jobs);
        summary = List.copyOf(summary);
        findings = findings == null ? Map.of() : new LinkedHashMap<>(findings);
        verdicts = List.copyOf(verdicts);
    }

    /** A report from the runner's results. */
    public static ExperimentReport of(
            Provenance provenance, List<JobResult> jobs, Map<String, Object> findings, List<String> verdicts) {
        return new ExperimentReport(FORMAT, provenance, jobs, Summary.of(jobs), findings, verdicts);
    }

    /** The mean ± std table in Markdown. */
    public String markdownTable() {
        StringBuilder sb = new StringBuilder();
        sb.append("| group | network | px | MMACs | params (k) | seeds | held-out top-1 | test top-1 |\n");
        sb.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (Summary s : summary) {
            sb.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %d | %.2f | %.1f | %d%s | %s | %s |%n",
                    s.group(),
                    s.network(),
                    s.resolution(),
                    s.macs() / 1e6,
                    s.params() / 1e3,
                    s.seeds(),
                    s.failed() > 0 ? " (+" + s.failed() + " failed)" : "",
                    s.heldOutText(),
                    s.testText()));
        }
        return sb.toString();
    }

    /** Writes {@value #JSON} and {@value #MARKDOWN} into {@code dir}; returns the Markdown. */
    public String write(Path dir, String title, String extraMarkdown) {
        AtomicFiles.writeString(dir.resolve(JSON), Json.write(this));
        StringBuilder md = new StringBuilder();
        md.append("# ").append(title).append("\n\n");
        double jobSeconds = jobs.stream().mapToDouble(JobResult::seconds).sum();
        md.append(String.format(
                Locale.ROOT,
                "Preset `%s`, %d jobs taking %.1f min of training in all (each job's "
                        + "own wall time, summed; jobs may run side by side), this run's wall time %.1f min, on %d "
                        + "cores (%s), library %s, Java %s.%n%n",
                provenance.preset(),
                jobs.size(),
                jobSeconds / 60,
                provenance.wallSeconds() / 60,
                provenance.cores(),
                provenance.os(),
                provenance.library(),
                provenance.java()));
        md.append("Mean ± sample standard deviation over seeds ")
                .append(provenance.seeds())
                .append(".\n\n");
        md.append(markdownTable()).append('\n');
        if (extraMarkdown != null && !extraMarkdown.isBlank()) {
            md.append(extraMarkdown).append("\n\n");
        }
        if (!verdicts.isEmpty()) {
            md.append("## What the numbers say\n\n");
            for (String v : verdicts) {
                md.append("- ").append(v).append('\n');
            }
            md.append('\n');
        }
        md.append("Task: `").append(new java.util.TreeMap<>(provenance.task())).append("`\n");
        String text = md.toString();
        AtomicFiles.writeString(dir.resolve(MARKDOWN), text);
        return text;
    }
}
