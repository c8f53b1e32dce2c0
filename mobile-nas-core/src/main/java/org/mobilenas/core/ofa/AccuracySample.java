package org.mobilenas.core.ofa;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import org.mobilenas.core.data.ImageDataset;
import org.mobilenas.core.engine.Network;
import org.mobilenas.core.train.Evaluation;

/**
 * A measured subnet: its configuration and its top-1 accuracy on held-out data, the training data of an
 * {@link AccuracyPredictor}.
 *
 * <pre>{@code
 * List<AccuracySample> samples = AccuracySample.measure(supernet, 500, train, heldOut, 500, 7);
 * }</pre>
 *
 * @param config   the subnet
 * @param accuracy top-1 in [0, 1]
 */
public record AccuracySample(SubnetConfig config, double accuracy) {
    /** Checks the components (a bad one is an error naming it). */
    public AccuracySample {
        Objects.requireNonNull(config, "config");
        if (!(accuracy >= 0 && accuracy <= 1)) {
            throw new IllegalArgumentException("accuracy = " + accuracy + ", expected in [0, 1]");
        }
    }

    /**
     * Samples {@code count} distinct random subnets of {@code supernet}, extracts each, recalibrates its BN
     * statistics on {@code calibrationImages} images of {@code train} and measures top-1 on {@code heldOut}
     * (resized to the subnet's resolution).
     */
    public static List<AccuracySample> measure(
            ElasticSupernet supernet,
            int count,
            ImageDataset train,
            ImageDataset heldOut,
            int calibrationImages,
            long seed) {
        if (count < 1) {
            throw new IllegalArgumentException("count = " + count + ", expected >= 1");
        }
        ElasticSpace space = supernet.space();
        SplittableRandom rng = new SplittableRandom(seed);
        Set<String> seen = new HashSet<>();
        List<AccuracySample> out = new ArrayList<>();
        int attempts = 0;
        while (out.size() < count && attempts++ < 100 * count) {
            SubnetConfig c = space.sample(rng);
            if (!seen.add(c.key())) {
                continue;
            }
            out.add(new AccuracySample(c, measure(supernet, c, train, heldOut, calibrationImages, seed)));
        }
        return out;
    }

    /** Top-1 of one subnet after BN recalibration. */
    public static double measure(
            ElasticSupernet supernet,
            SubnetConfig c,
            ImageDataset train,
            ImageDataset heldOut,
            int calibrationImages,
            long seed) {
        Network net = supernet.extractCalibrated(c, train, calibrationImages, seed);
        return Evaluation.of(net, ElasticSupernet.atResolution(heldOut, c.resolution()), 250)
                .top1();
    }
}
