package org.mobilenas.core.experiment;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.mobilenas.core.data.ImageDataset;

/**
 * The loaded data of a {@link ProxyTask}: train, held-out and test sets, normalised with the train part's
 * statistics. Networks at another input resolution get bilinearly resized copies, made once per resolution.
 *
 * <pre>{@code
 * ProxyData data = ProxyTask.fashionMnist().load();
 * ImageDataset[] at20 = data.at(20);        // train, held-out, test at 20 px
 * String id = data.fingerprint();           // changes with any pixel or label
 * }</pre>
 */
public final class ProxyData {
    private final ProxyTask task;
    private final ImageDataset train;
    private final ImageDataset heldOut;
    private final ImageDataset test;
    private final String fingerprint;
    private final Map<Integer, ImageDataset[]> resized = new ConcurrentHashMap<>();

    /**
     * Data of {@code task}.
     *
     * @param task    the task that describes it
     * @param train   images the networks train on
     * @param heldOut images searches and adaptation choose on
     * @param test    images for the final report only
     */
    public ProxyData(ProxyTask task, ImageDataset train, ImageDataset heldOut, ImageDataset test) {
        if (task == null || train == null || heldOut == null || test == null) {
            throw new IllegalArgumentException("proxyData needs a task and train, held-out and test sets; missing: "
                    + (task == null ? "task " : "") + (train == null ? "train " : "")
                    + (heldOut == null ? "heldOut " : "") + (test == null ? "test" : ""));
        }
        this.task = task;
        this.train = train;
        this.heldOut = heldOut;
        this.test = test;
        this.fingerprint = train.fingerprint() + "-" + heldOut.fingerprint() + "-" + test.fingerprint();
        resized.put(train.height(), new ImageDataset[] {train, heldOut, test});
    }

    /** The task this data was loaded for. */
    public ProxyTask task() {
        return task;
    }

    /** The training images (normalised with their own statistics). */
    public ImageDataset train() {
        return train;
    }

    /** The held-out images, for choices during searches and adaptation. */
    public ImageDataset heldOut() {
        return heldOut;
    }

    /** The test images, for final reports only. */
    public ImageDataset test() {
        return test;
    }

    /** Content fingerprints of the three parts, joined: part of every job's identity. */
    public String fingerprint() {
        return fingerprint;
    }

    /** Train, held-out and test sets at {@code px} × {@code px} (bilinear resize, cached). */
    public ImageDataset[] at(int px) {
        if (px < 1) {
            throw new IllegalArgumentException("resolution " + px + ": expected a positive size");
        }
        return resized.computeIfAbsent(
                        px, k -> new ImageDataset[] {train.resize(k, k), heldOut.resize(k, k), test.resize(k, k)})
                .clone();
    }

    @Override
    public String toString() {
        return "ProxyData[" + task.name() + ": train " + train.size() + ", held-out " + heldOut.size() + ", test "
                + test.size() + ", " + train.height() + "x" + train.width() + "x" + train.channels() + "]";
    }
}
