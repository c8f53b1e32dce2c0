package org.mobilenas.spark;

import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.broadcast.Broadcast;
import org.mobilenas.core.data.Augmentation;
import org.mobilenas.core.data.ImageDataset;
import org.mobilenas.core.engine.Network;
import org.mobilenas.core.experiment.ProxyData;
import org.mobilenas.core.experiment.ProxyTask;
import org.mobilenas.core.search.Evaluator;
import org.mobilenas.core.search.Outcome;
import org.mobilenas.core.spec.NetworkSpec;

/**
 * The proxy-training scorer: on an executor, a candidate is realized with the seed, trained with the task's
 * schedule on the train split and scored by its held-out top-1 — exactly what
 * {@code Evaluator.training(task.trainer(seed), data.train(), data.heldOut(), Network::realize, seed)} does on one
 * machine. A candidate that cannot be built or diverges is a failed outcome (not retried); an exception of the
 * worker itself fails the task, which Spark retries.
 *
 * <p>The data either travels in a broadcast (read once per executor) or is loaded on each executor from the
 * task's data directory, which every executor must reach; its fingerprint is then checked against the driver's,
 * so an executor with other files refuses to score.
 */
final class ProxyTraining implements SparkEvaluator.Scorer {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Per executor JVM: the evaluator of each (data, task, seed), sharing resized copies across candidates. */
    private static final Map<String, Evaluator> EVALUATORS = new ConcurrentHashMap<>();

    private final TaskWire task;
    private final Broadcast<ShippedData> shipped;
    private final String fingerprint;
    private final long seed;

    ProxyTraining(ProxyTask task, Broadcast<ShippedData> shipped, String fingerprint, long seed) {
        this.task = TaskWire.of(task);
        this.shipped = shipped;
        this.fingerprint = fingerprint;
        this.seed = seed;
    }

    @Override
    public Outcome score(NetworkSpec spec) {
        String key = (shipped == null ? "path:" + fingerprint : "broadcast:" + shipped.id()) + "|" + task + "|" + seed;
        Evaluator evaluator = EVALUATORS.computeIfAbsent(key, k -> {
            ProxyTask t = task.toTask();
            ImageDataset train;
            ImageDataset heldOut;
            if (shipped != null) {
                ShippedData d = shipped.value();
                train = d.train();
                heldOut = d.heldOut();
            } else {
                ProxyData data = t.load();
                if (fingerprint != null && !fingerprint.equals(data.fingerprint())) {
                    throw new IllegalStateException("the data under " + t.dataDir() + " on this executor has "
                            + "fingerprint " + data.fingerprint() + ", the driver's is " + fingerprint
                            + ": every executor must read the same files");
                }
                train = data.train();
                heldOut = data.heldOut();
            }
            return Evaluator.training(t.trainer(seed), train, heldOut, Network::realize, seed);
        });
        return evaluator.evaluate(spec);
    }

    /** A {@link ProxyTask} as plain serializable values (its data directory as a string). */
    record TaskWire(
            String name,
            ProxyTask.Source source,
            String dataDir,
            int trainImages,
            int heldOutImages,
            int resolution,
            int channels,
            int epochs,
            int batchSize,
            double learningRate,
            double warmupEpochs,
            double weightDecay,
            double labelSmoothing,
            int padding,
            boolean horizontalFlip,
            long splitSeed)
            implements Serializable {

        static TaskWire of(ProxyTask t) {
            return new TaskWire(
                    t.name(),
                    t.source(),
                    t.dataDir() == null ? null : t.dataDir().toString(),
                    t.trainImages(),
                    t.heldOutImages(),
                    t.resolution(),
                    t.channels(),
                    t.epochs(),
                    t.batchSize(),
                    t.learningRate(),
                    t.warmupEpochs(),
                    t.weightDecay(),
                    t.labelSmoothing(),
                    t.augmentation().padding(),
                    t.augmentation().horizontalFlip(),
                    t.splitSeed());
        }

        ProxyTask toTask() {
            return new ProxyTask(
                    name,
                    source,
                    dataDir == null ? null : Path.of(dataDir),
                    trainImages,
                    heldOutImages,
                    resolution,
                    channels,
                    epochs,
                    batchSize,
                    learningRate,
                    warmupEpochs,
                    weightDecay,
                    labelSmoothing,
                    new Augmentation(padding, horizontalFlip),
                    splitSeed);
        }
    }

    /** The train and held-out sets, for a broadcast. */
    record ShippedData(ImageDataset train, ImageDataset heldOut) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        static ShippedData of(ProxyData data) {
            return new ShippedData(data.train(), data.heldOut());
        }
    }
}
