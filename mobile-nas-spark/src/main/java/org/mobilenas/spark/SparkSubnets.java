package org.mobilenas.spark;

import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.broadcast.Broadcast;
import org.mobilenas.core.data.ImageDataset;
import org.mobilenas.core.json.Json;
import org.mobilenas.core.ofa.AccuracySample;
import org.mobilenas.core.ofa.ElasticSpace;
import org.mobilenas.core.ofa.ElasticSupernet;
import org.mobilenas.core.ofa.SubnetConfig;

/**
 * Once-for-All's predictor samples on Spark: the trained supernet's weights and the images are broadcast once,
 * each subnet is one task (extracted, BN recalibrated, top-1 on the held-out images) — the same numbers
 * {@link AccuracySample#measure(ElasticSupernet, SubnetConfig, ImageDataset, ImageDataset, int, long)} gives on
 * one machine. Each executor thread measures on its own copy of the supernet.
 *
 * <pre>{@code
 * try (SparkJobs jobs = SparkJobs.local()) {
 *     List<AccuracySample> samples = SparkSubnets.measure(jobs, supernet, configs, train, heldOut, 2000, 1);
 * }
 * }</pre>
 */
public final class SparkSubnets {

    /** Per executor JVM: the images of each broadcast. */
    private static final Map<Long, ImageDataset[]> DATA = new ConcurrentHashMap<>();
    /** Per executor thread: its supernet copy, for the latest broadcast it served. */
    private static final ThreadLocal<Object[]> SUPERNET = new ThreadLocal<>();

    private SparkSubnets() {}

    /**
     * Measures every subnet in {@code configs}; results in order. A subnet whose task fails after Spark's retries
     * makes the call fail, naming the subnet and the reason (a predictor needs every sample it asked for).
     *
     * @param calibrationImages images of {@code train} for BN recalibration
     * @param seed              seed of the calibration subset
     */
    public static List<AccuracySample> measure(
            SparkJobs jobs,
            ElasticSupernet supernet,
            List<SubnetConfig> configs,
            ImageDataset train,
            ImageDataset heldOut,
            int calibrationImages,
            long seed) {
        if (jobs == null || supernet == null || configs == null || train == null || heldOut == null) {
            throw new IllegalArgumentException("measure needs jobs, a supernet, configs, train and held-out images; "
                    + "missing: " + (jobs == null ? "jobs " : "") + (supernet == null ? "supernet " : "")
                    + (configs == null ? "configs " : "") + (train == null ? "train " : "")
                    + (heldOut == null ? "heldOut" : ""));
        }
        if (calibrationImages < 1) {
            throw new IllegalArgumentException("calibrationImages " + calibrationImages + ": expected >= 1");
        }
        List<String> tasks = new ArrayList<>(configs.size());
        for (int i = 0; i < configs.size(); i++) {
            SubnetConfig c = configs.get(i);
            if (c == null) {
                throw new IllegalArgumentException("configs[" + i + "] is missing");
            }
            supernet.space().validate(c);
            tasks.add(Json.write(c));
        }
        if (tasks.isEmpty()) {
            return List.of();
        }
        Broadcast<Payload> payload = jobs.broadcast(
                new Payload(Json.write(supernet.space()), weights(supernet), train, heldOut, calibrationImages, seed));
        try {
            List<SparkJobs.Result<Double>> r = jobs.map(tasks, json -> measureOne(payload, json));
            List<AccuracySample> out = new ArrayList<>(r.size());
            for (int i = 0; i < r.size(); i++) {
                if (!r.get(i).succeeded()) {
                    throw new IllegalStateException("subnet " + configs.get(i).key() + " could not be measured: "
                            + r.get(i).failure());
                }
                out.add(new AccuracySample(configs.get(i), r.get(i).value()));
            }
            return out;
        } finally {
            payload.destroy();
        }
    }

    private static byte[] weights(ElasticSupernet supernet) {
        try {
            Path tmp = Files.createTempFile("mobilenas-supernet", ".params");
            try {
                supernet.save(tmp);
                return Files.readAllBytes(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot write the supernet's weights for the executors: " + e.getMessage(), e);
        }
    }

    private static double measureOne(Broadcast<Payload> payload, String configJson) throws IOException {
        Payload p = payload.value();
        ImageDataset[] data = DATA.computeIfAbsent(payload.id(), k -> {
            DATA.keySet().removeIf(id -> id < k);
            return new ImageDataset[] {p.train(), p.heldOut()};
        });
        Object[] mine = SUPERNET.get();
        ElasticSupernet supernet;
        if (mine != null && (long) mine[0] == payload.id()) {
            supernet = (ElasticSupernet) mine[1];
        } else {
            ElasticSpace space = Json.mapper().readValue(p.spaceJson(), ElasticSpace.class);
            supernet = ElasticSupernet.create(space, p.seed());
            Path tmp = Files.createTempFile("mobilenas-supernet", ".params");
            try {
                Files.write(tmp, p.weights());
                supernet.load(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
            SUPERNET.set(new Object[] {payload.id(), supernet});
        }
        SubnetConfig c = Json.mapper().readValue(configJson, SubnetConfig.class);
        return AccuracySample.measure(supernet, c, data[0], data[1], p.calibrationImages(), p.seed());
    }

    /** What every executor receives once. */
    record Payload(
            String spaceJson,
            byte[] weights,
            ImageDataset train,
            ImageDataset heldOut,
            int calibrationImages,
            long seed)
            implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }
}
