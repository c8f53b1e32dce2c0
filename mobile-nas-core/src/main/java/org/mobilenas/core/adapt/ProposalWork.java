package org.mobilenas.core.adapt;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.util.List;
import org.mobilenas.core.data.ImageDataset;
import org.mobilenas.core.engine.Network;
import org.mobilenas.core.train.BatchNormCalibration;
import org.mobilenas.core.train.Evaluation;
import org.mobilenas.core.train.Trainer;

/**
 * One NetAdapt iteration's proposals as self-contained, serializable work: the current network's bytes, the cuts
 * (one layer each, to a width), and how each pruned network is short-term fine-tuned, BN recalibrated and scored.
 * A {@link ProposalTuner} runs {@link #tune(int, Network)} for every cut, on a local pool or on a cluster.
 *
 * @param network           the current network, as {@link Network#save(java.io.OutputStream)} wrote it
 * @param cuts              the proposals: layer name and its new width
 * @param shortTerm         the short-term fine-tuning schedule
 * @param fineTune          the images of the short-term fine-tune
 * @param calibration       images for BN recalibration
 * @param calibrationImages how many of them (0: none)
 * @param heldOut           images the proposals are scored on (top-1)
 * @param evalBatchSize     batch size of the scoring
 * @param pruneSeed         seed of the channel selection
 * @param calibrationSeed   seed of the calibration subset
 */
public record ProposalWork(
        byte[] network,
        List<Cut> cuts,
        Trainer shortTerm,
        ImageDataset fineTune,
        ImageDataset calibration,
        int calibrationImages,
        ImageDataset heldOut,
        int evalBatchSize,
        long pruneSeed,
        long calibrationSeed)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** One proposal: layer {@code layer} cut to {@code width} channels. */
    public record Cut(String layer, int width) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }

    /** A tuned proposal: its held-out top-1 and the fine-tuned network's bytes. */
    public record Tuned(double accuracy, byte[] network) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        /** The fine-tuned network. */
        public Network load() {
            return Network.load(new ByteArrayInputStream(network));
        }
    }

    /** Checks the components (a bad one is an error naming it). */
    public ProposalWork {
        if (network == null
                || cuts == null
                || shortTerm == null
                || fineTune == null
                || calibration == null
                || heldOut == null) {
            throw new IllegalArgumentException("proposalWork needs network bytes, cuts, a trainer and the fineTune, "
                    + "calibration and heldOut images");
        }
        cuts = List.copyOf(cuts);
        if (calibrationImages < 0 || evalBatchSize < 1) {
            throw new IllegalArgumentException("proposalWork.calibrationImages " + calibrationImages
                    + " (expected >= 0) / evalBatchSize " + evalBatchSize + " (expected >= 1)");
        }
    }

    /** The current network, read from {@link #network()}. */
    public Network current() {
        return Network.load(new ByteArrayInputStream(network));
    }

    /**
     * Cuts proposal {@code k} from {@code current} (the network of {@link #current()}, shared read-only between
     * threads), fine-tunes, recalibrates and scores it.
     */
    public Tuned tune(int k, Network current) {
        Cut cut = cuts.get(k);
        PrunableLayer layer = NetworkSurgery.layers(current.spec()).stream()
                .filter(l -> l.name().equals(cut.layer()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("proposal " + k + ": no prunable layer '" + cut.layer()
                        + "' in " + current.spec().name()));
        Network n = NetworkSurgery.prune(current, layer, cut.width(), pruneSeed).network();
        shortTerm.fit(n, fineTune);
        if (calibrationImages > 0) {
            BatchNormCalibration.recalibrate(
                    n, calibration, Math.min(calibrationImages, calibration.size()), evalBatchSize, calibrationSeed);
        }
        double acc = Evaluation.of(n, heldOut, evalBatchSize).top1();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        n.save(b);
        return new Tuned(acc, b.toByteArray());
    }

    /** A short description for messages: the layer and widths of proposal {@code k}. */
    public String describe(int k) {
        return cuts.get(k).layer() + " -> " + cuts.get(k).width();
    }
}
