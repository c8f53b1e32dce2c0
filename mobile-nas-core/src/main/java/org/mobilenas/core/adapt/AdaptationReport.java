package org.mobilenas.core.adapt;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mobilenas.core.experiment.Plot;
import org.mobilenas.core.json.Json;

/**
 * What an adaptation did: the constraints with their initial values and budgets, one entry per iteration (the
 * chosen layer and width, the network's resources and held-out accuracy, and every proposal), and the long-term
 * fine-tuned accuracy when requested. Also the resumable state of a checkpointed adaptation.
 *
 * <pre>{@code
 * AdaptationReport r = result.report();
 * r.writeJson(Path.of("netadapt.json"));
 * r.plot(Path.of("netadapt.png"), r.constraints().get(0).name());
 * }</pre>
 *
 * @param network        name of the initial network
 * @param fingerprint    the settings that must match to resume
 * @param constraints    the constraints
 * @param initialAccuracy held-out top-1 of the initial network
 * @param iterations     the iterations so far
 * @param complete       whether every constraint is met
 * @param longTermAccuracy held-out top-1 of the final network after the long-term fine-tune, or null
 */
public record AdaptationReport(
        String network,
        String fingerprint,
        List<Constraint> constraints,
        double initialAccuracy,
        List<Iteration> iterations,
        boolean complete,
        Double longTermAccuracy) {
    /** Checks the components (a bad one is an error naming it). */
    public AdaptationReport {
        constraints = List.copyOf(constraints);
        iterations = List.copyOf(iterations);
    }

    /** One constraint: its initial value and absolute budget. */
    public record Constraint(String name, double initial, double budget) {}

    /** One proposal: a layer pruned to a width, its resources and its accuracy after the short-term fine-tune. */
    public record Proposal(
            String layer, int fromChannels, int toChannels, Map<String, Double> resources, double accuracy) {
        /** Checks the components (a bad one is an error naming it). */
        public Proposal {
            resources = new LinkedHashMap<>(resources);
        }
    }

    /**
     * One iteration: targets, the chosen proposal (layer, width, resources, accuracy), all proposals, and the file
     * of the network (relative to the checkpoint directory, or null without one).
     */
    public record Iteration(
            int index,
            Map<String, Double> targets,
            String layer,
            int fromChannels,
            int toChannels,
            Map<String, Double> resources,
            double accuracy,
            List<Proposal> proposals,
            String networkFile) {
        /** Checks the components (a bad one is an error naming it). */
        public Iteration {
            targets = new LinkedHashMap<>(targets);
            resources = new LinkedHashMap<>(resources);
            proposals = List.copyOf(proposals);
        }
    }

    /** Resources of the last network (the initial values when there are no iterations). */
    public Map<String, Double> finalResources() {
        if (!iterations.isEmpty()) {
            return iterations.get(iterations.size() - 1).resources();
        }
        Map<String, Double> m = new LinkedHashMap<>();
        for (Constraint c : constraints) {
            m.put(c.name(), c.initial());
        }
        return m;
    }

    /** Held-out accuracy of the last network after its short-term fine-tune. */
    public double finalAccuracy() {
        return iterations.isEmpty()
                ? initialAccuracy
                : iterations.get(iterations.size() - 1).accuracy();
    }

    AdaptationReport with(List<Iteration> its, boolean done, Double longTerm) {
        return new AdaptationReport(network, fingerprint, constraints, initialAccuracy, its, done, longTerm);
    }

    /** Pretty-printed JSON. */
    public String toJson() {
        return Json.write(this);
    }

    /** Writes {@link #toJson()} to {@code file} (atomically: a reader never sees half a file). */
    public void writeJson(Path file) {
        org.mobilenas.core.io.AtomicFiles.writeString(file, toJson());
    }

    /** Parses the output of {@link #toJson()}. */
    public static AdaptationReport fromJson(String json) {
        try {
            return Json.mapper().readValue(json, AdaptationReport.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not an adaptation report: " + e.getOriginalMessage(), e);
        }
    }

    /** A table of the iterations as text. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-4s %-32s %9s", "it", "layer", "channels"));
        for (Constraint c : constraints) {
            sb.append(String.format(Locale.ROOT, " %16s", shorten(c.name(), 16)));
        }
        sb.append(String.format(Locale.ROOT, " %8s%n", "top-1"));
        sb.append(String.format(Locale.ROOT, "%-4d %-32s %9s", 0, network, ""));
        for (Constraint c : constraints) {
            sb.append(String.format(Locale.ROOT, " %16.4g", c.initial()));
        }
        sb.append(String.format(Locale.ROOT, " %8.4f%n", initialAccuracy));
        for (Iteration it : iterations) {
            sb.append(String.format(
                    Locale.ROOT,
                    "%-4d %-32s %4d->%-4d",
                    it.index(),
                    shorten(it.layer(), 32),
                    it.fromChannels(),
                    it.toChannels()));
            for (Constraint c : constraints) {
                sb.append(String.format(Locale.ROOT, " %16.4g", it.resources().get(c.name())));
            }
            sb.append(String.format(Locale.ROOT, " %8.4f%n", it.accuracy()));
        }
        return sb.toString();
    }

    private static String shorten(String s, int n) {
        return s.length() <= n ? s : "…" + s.substring(s.length() - n + 1);
    }

    /** A PNG plot of held-out accuracy against the resource {@code constraint} across iterations. */
    public void plot(Path file, String constraint) {
        if (constraints.stream().noneMatch(c -> c.name().equals(constraint))) {
            throw new IllegalArgumentException("no constraint named '" + constraint + "'; expected one of "
                    + constraints.stream().map(Constraint::name).toList());
        }
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        x.add(constraints.stream()
                .filter(c -> c.name().equals(constraint))
                .findFirst()
                .orElseThrow()
                .initial());
        y.add(initialAccuracy);
        for (Iteration it : iterations) {
            x.add(it.resources().get(constraint));
            y.add(it.accuracy());
        }
        Plot.of("NetAdapt: " + network, constraint, "held-out top-1")
                .series(
                        "iterations (short-term fine-tuned)",
                        x.stream().mapToDouble(Double::doubleValue).toArray(),
                        y.stream().mapToDouble(Double::doubleValue).toArray(),
                        null,
                        true)
                .write(file);
    }
}
