package org.mobilenas.core.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.mobilenas.core.data.ImageDataset;
import org.mobilenas.core.engine.Model;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.train.Trainer;
import org.mobilenas.core.train.TrainingResult;

/**
 * Scores candidate networks. An evaluator receives a batch, so an implementation may train the candidates
 * in parallel, on a pool or a cluster; it returns one {@link Outcome} per candidate, in order, and records a
 * failing candidate as {@link Outcome#failure(String)} instead of throwing.
 *
 * <pre>{@code
 * Evaluator byParams = Evaluator.of(spec -> 1.0 / (1 + Costs.of(spec).params() / 1e6));
 * List<Outcome> outcomes = byParams.evaluate(List.of(a, b, c));
 *
 * Evaluator proxy = Evaluator.training(trainer, split.train(), split.validation(), Network::realize, 42);
 * }</pre>
 */
@FunctionalInterface
public interface Evaluator {

    /**
     * Evaluates every candidate; the result has the same size and order as {@code candidates}. Only a problem
     * with the whole batch (e.g. a {@code null} list) may throw.
     */
    List<Outcome> evaluate(List<NetworkSpec> candidates);

    /** Evaluates one candidate. */
    default Outcome evaluate(NetworkSpec candidate) {
        List<Outcome> out = evaluate(List.of(candidate));
        if (out.size() != 1) {
            throw new IllegalStateException("evaluator returned " + out.size() + " outcomes for 1 candidate");
        }
        return out.get(0);
    }

    /**
     * An evaluator from a per-candidate accuracy function. An exception, a {@code null} candidate or a value
     * outside [0, 1] becomes a failure naming the candidate and the cause.
     */
    static Evaluator of(ToDoubleFunction<NetworkSpec> accuracy) {
        if (accuracy == null) {
            throw new IllegalArgumentException("accuracy function is missing");
        }
        return candidates -> {
            if (candidates == null) {
                throw new IllegalArgumentException("candidates is missing; expected a list of network specs");
            }
            List<Outcome> out = new ArrayList<>(candidates.size());
            for (NetworkSpec spec : candidates) {
                out.add(evaluateOne(accuracy, spec));
            }
            return List.copyOf(out);
        };
    }

    /** Builds a trainable model of a spec from a seed (e.g. {@code Network::realize}). */
    @FunctionalInterface
    interface Realizer {
        /** A network of {@code spec} with weights initialised from {@code seed}. */
        Model realize(NetworkSpec spec, long seed);
    }

    /**
     * Proxy training: each candidate is realized with {@code seed}, trained by {@code trainer} on {@code train}
     * and scored by its top-1 accuracy on {@code validation} after the last epoch. Both sets are resized
     * (bilinear) to the candidate's input resolution, once per resolution. A candidate whose realization or
     * training throws, or whose training diverges, becomes a failure with the reason.
     */
    static Evaluator training(
            Trainer trainer, ImageDataset train, ImageDataset validation, Realizer realizer, long seed) {
        if (trainer == null || train == null || validation == null || realizer == null) {
            throw new IllegalArgumentException("training evaluator needs a trainer, train and validation sets and a "
                    + "realizer; missing: " + (trainer == null ? "trainer " : "") + (train == null ? "train " : "")
                    + (validation == null ? "validation " : "") + (realizer == null ? "realizer" : ""));
        }
        Map<Integer, ImageDataset[]> resized = new ConcurrentHashMap<>();
        return of(spec -> {
            if (spec.inputChannels() != train.channels()) {
                throw new IllegalArgumentException("network has " + spec.inputChannels() + " input channels but the "
                        + "images have " + train.channels());
            }
            int r = spec.resolution();
            ImageDataset[] data =
                    resized.computeIfAbsent(r, k -> new ImageDataset[] {train.resize(k, k), validation.resize(k, k)});
            Model model = realizer.realize(spec, seed);
            TrainingResult result = trainer.fit(model, data[0], data[1]);
            if (result.status() == TrainingResult.Status.DIVERGED) {
                throw new IllegalStateException("training diverged: " + result.divergence());
            }
            if (result.finalValidation() == null) {
                throw new IllegalStateException("training finished without a validation result");
            }
            return result.finalValidation().top1();
        });
    }

    private static Outcome evaluateOne(ToDoubleFunction<NetworkSpec> accuracy, NetworkSpec spec) {
        if (spec == null) {
            return Outcome.failure("candidate is missing (null)");
        }
        double a;
        try {
            a = accuracy.applyAsDouble(spec);
        } catch (RuntimeException e) {
            return Outcome.failure("'" + spec.name() + "': " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
        if (!(a >= 0 && a <= 1)) {
            return Outcome.failure("'" + spec.name() + "': accuracy " + a + " not in [0, 1]");
        }
        return Outcome.accuracy(a);
    }
}
