package org.mobilenas.core.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.mobilenas.core.experiment.Plot;
import org.mobilenas.core.json.Json;

/**
 * What a {@link Search} found, with its provenance: every candidate, the best feasible one and the Pareto front
 * (accuracy vs latency, or vs MACs without a latency model).
 *
 * <pre>{@code
 * SearchResult r = search.run(50);
 * r.writeJson(Path.of("search.json"));
 * r.writeParetoPlot(Path.of("pareto.png"));
 * }</pre>
 *
 * @param space          search space name
 * @param spaceSize      number of points of the space (decimal)
 * @param controller     controller name
 * @param controllerOptions controller settings
 * @param reward         reward formula
 * @param latencyTargetMs latency target, or {@code null}
 * @param latencyModel   latency model name (the provider and its device), or {@code null}
 * @param seed           search seed
 * @param options        search options (batch size, evaluation batch, journal)
 * @param versions       library, Java and OS versions
 * @param iterations     iterations run
 * @param candidates     every evaluated candidate, in evaluation order
 * @param best           best feasible successful candidate by reward, or {@code null}
 * @param paretoFront    successful candidates no other dominates in (accuracy, latency)
 */
public record SearchResult(
        String space,
        String spaceSize,
        String controller,
        Map<String, Object> controllerOptions,
        String reward,
        Double latencyTargetMs,
        String latencyModel,
        long seed,
        Map<String, Object> options,
        Map<String, String> versions,
        int iterations,
        List<Candidate> candidates,
        Candidate best,
        List<Candidate> paretoFront) {
    /** Checks the components (a bad one is an error naming it). */
    public SearchResult {
        candidates = List.copyOf(candidates);
        paretoFront = List.copyOf(paretoFront);
        controllerOptions = Map.copyOf(controllerOptions);
        options = Map.copyOf(options);
        versions = Map.copyOf(versions);
    }

    /** Number of failed candidates. */
    public long failures() {
        return candidates.stream().filter(c -> !c.succeeded()).count();
    }

    /** The cost axis of the front and the plot: latency when known, otherwise millions of MACs. */
    static double cost(Candidate c) {
        return c.latencyMs() != null ? c.latencyMs() : c.macs() / 1e6;
    }

    /** Writes this result as pretty-printed JSON. */
    public void writeJson(Path file) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, Json.write(this));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write search result to " + file, e);
        }
    }

    /** Writes a PNG scatter plot of accuracy vs latency with the Pareto front, the best and the target. */
    public void writeParetoPlot(Path file) {
        boolean latency = candidates.stream().anyMatch(c -> c.latencyMs() != null);
        List<Candidate> ok = candidates.stream().filter(Candidate::succeeded).toList();
        Plot plot = Plot.of(
                space + " / " + controller + " (" + candidates.size() + " candidates)",
                latency ? "latency (ms)" : "MMACs",
                "accuracy");
        plot.series(
                "candidates",
                ok.stream().mapToDouble(SearchResult::cost).toArray(),
                ok.stream().mapToDouble(Candidate::accuracy).toArray(),
                null,
                false);
        if (!paretoFront.isEmpty()) {
            plot.series(
                    "Pareto front",
                    paretoFront.stream().mapToDouble(SearchResult::cost).toArray(),
                    paretoFront.stream().mapToDouble(Candidate::accuracy).toArray(),
                    null,
                    true);
        }
        if (best != null) {
            plot.series("best", new double[] {cost(best)}, new double[] {best.accuracy()}, null, false);
        }
        if (latency && latencyTargetMs != null && !ok.isEmpty()) {
            double lo = ok.stream().mapToDouble(Candidate::accuracy).min().orElse(0);
            double hi = ok.stream().mapToDouble(Candidate::accuracy).max().orElse(1);
            plot.reference("target", new double[] {latencyTargetMs, latencyTargetMs}, new double[] {lo, hi});
        }
        plot.write(file);
    }
}
