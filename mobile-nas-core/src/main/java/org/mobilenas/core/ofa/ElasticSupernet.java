package org.mobilenas.core.ofa;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.mobilenas.core.data.ImageDataset;
import org.mobilenas.core.engine.Model;
import org.mobilenas.core.engine.Network;
import org.mobilenas.core.engine.Param;
import org.mobilenas.core.engine.ParameterStore;
import org.mobilenas.core.engine.Tensor;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.train.BatchNormCalibration;

/**
 * A Once-for-All supernet over an {@link ElasticSpace}: one {@link ParameterStore} holds the full-size tensors
 * (largest kernel, widest expansion, deepest stages) and, per depthwise layer, the kernel transform matrices
 * (identity-initialised). The active subnet runs as a {@link Network} realized from its spec whose parameters are
 * gathered from the shared store before every forward pass (first channels, first blocks, centre kernels through
 * the transforms) and whose gradients are scattered back after every backward pass, so a subnet's gradients land
 * in the shared tensors. BN running statistics are written back to the shared slices after TRAIN and CALIBRATE
 * passes.
 *
 * <pre>{@code
 * ElasticSupernet net = ElasticSupernet.create(space, 42);
 * net.setActiveSubnet(28, 5, 4, 3);                  // resolution, kernel, expand, depth for every block
 * Tensor logits = net.forward(batch, Model.Mode.EVAL);
 * Network standalone = net.extractActiveSubnet();    // copied weights, same outputs
 * }</pre>
 */
public final class ElasticSupernet implements Model {
    private static final int CACHED_NETWORKS = 3;

    private final ElasticSpace space;
    private final ParameterStore store;
    private final long seed;
    /** Gathers the active subnet's weights from the shared ones and scatters its gradients back. */
    private final SharedWeights shared;

    private final Map<String, Network> cache = new LinkedHashMap<>(16, 0.75f, true);
    private SubnetConfig active;
    private Network activeNet;
    private long dropoutSeed;

    private ElasticSupernet(ElasticSpace space, ParameterStore store, long seed) {
        this.space = space;
        this.store = store;
        this.seed = seed;
        List<Integer> k = new ArrayList<>(space.kernels());
        Collections.reverse(k);
        this.shared = new SharedWeights(store, k);
        this.dropoutSeed = seed;
        setActiveSubnet(space.maxConfig());
    }

    /** A supernet with the engine's initialisation of the full network (seeded) and identity transforms. */
    public static ElasticSupernet create(ElasticSpace space, long seed) {
        Objects.requireNonNull(space, "space");
        ParameterStore store =
                Network.realize(space.spec(space.maxConfig()), seed).parameters();
        List<Integer> k = new ArrayList<>(space.kernels());
        Collections.reverse(k);
        for (int s = 0; s < space.stages().size(); s++) {
            for (int b = 0; b < space.maxDepth(); b++) {
                String conv = dwPrefix(s, b);
                for (int i = 0; i + 1 < k.size(); i++) {
                    int n = k.get(i + 1) * k.get(i + 1);
                    float[] eye = new float[n * n];
                    for (int j = 0; j < n; j++) {
                        eye[j * n + j] = 1f;
                    }
                    store.add(new Param(
                            transformName(conv, k.get(i), k.get(i + 1)), Param.Role.TRANSFORM, new int[] {n, n}, eye));
                }
            }
        }
        return new ElasticSupernet(space, store, seed);
    }

    /** Name prefix of the depthwise conv of elastic block {@code b} of stage {@code s}. */
    static String dwPrefix(int s, int b) {
        return blockPrefix(s, b) + ".dw.conv";
    }

    static String blockPrefix(int s, int b) {
        return "stages[" + ElasticSpace.specStage(s) + "].blocks[" + b + "]";
    }

    /** Name of the transform matrix from kernel {@code from} to {@code to} of a depthwise conv. */
    public static String transformName(String convPrefix, int from, int to) {
        return convPrefix + ".transform_" + from + "to" + to;
    }

    /** The elastic space this supernet covers. */
    public ElasticSpace space() {
        return space;
    }

    /** The shared parameters (full-size tensors and transform matrices). */
    @Override
    public ParameterStore parameters() {
        return store;
    }

    // ------------------------------------------------------------------ active subnet

    /** Sets the active subnet. */
    public void setActiveSubnet(SubnetConfig config) {
        space.validate(config);
        this.active = config;
        this.activeNet = network(config);
    }

    /** Sets the active subnet with one kernel, expand ratio and depth for every block and stage. */
    public void setActiveSubnet(int resolution, int kernel, int expand, int depth) {
        setActiveSubnet(space.uniform(resolution, depth, kernel, expand));
    }

    /**
     * Sets the active subnet from per-block kernel and expand lists ({@code stages x maxDepth} entries) and
     * per-stage depths.
     */
    public void setActiveSubnet(int resolution, List<Integer> kernels, List<Integer> expands, List<Integer> depths) {
        setActiveSubnet(new SubnetConfig(resolution, depths, kernels, expands));
    }

    /** Samples a uniformly random subnet, makes it active and returns it. */
    public SubnetConfig sampleActiveSubnet(SplittableRandom rng) {
        SubnetConfig c = space.sample(rng);
        setActiveSubnet(c);
        return c;
    }

    /** The subnet the supernet currently runs. */
    public SubnetConfig activeSubnet() {
        return active;
    }

    /** The active subnet's spec. */
    @Override
    public NetworkSpec spec() {
        return activeNet.spec();
    }

    /** The active subnet as a standalone network with copied (sliced, transformed) weights. */
    public Network extractActiveSubnet() {
        return extract(active);
    }

    /** A subnet as a standalone network with copied (sliced, transformed) weights and statistics. */
    public Network extract(SubnetConfig config) {
        Network net = Network.realize(space.spec(config), seed);
        shared.gather(net);
        return net;
    }

    /**
     * A subnet extracted with copied weights whose BN running statistics are re-estimated on {@code images}
     * images of {@code data} (resized to the subnet's resolution when needed), as Once-for-All does before
     * evaluating a subnet.
     */
    public Network extractCalibrated(SubnetConfig config, ImageDataset data, int images, long calibrationSeed) {
        Network net = extract(config);
        ImageDataset sample = images >= data.size() ? data : data.subset(images, calibrationSeed);
        BatchNormCalibration.recalibrate(
                net, atResolution(sample, config.resolution()), images, Math.min(100, images), calibrationSeed);
        return net;
    }

    /** {@code data} resized (bilinear) to {@code r x r} unless it already has that size. */
    public static ImageDataset atResolution(ImageDataset data, int r) {
        return data.height() == r && data.width() == r ? data : data.resize(r, r);
    }

    private Network network(SubnetConfig c) {
        String key = c.key();
        Network net = cache.get(key);
        if (net == null) {
            if (cache.size() >= CACHED_NETWORKS) {
                cache.remove(cache.keySet().iterator().next());
            }
            net = Network.realize(space.spec(c), seed);
            cache.put(key, net);
        }
        net.seed(dropoutSeed++);
        return net;
    }

    // ------------------------------------------------------------------ Model

    @Override
    public Tensor forward(Tensor input, Mode mode) {
        shared.gather(activeNet);
        Tensor out = activeNet.forward(input, mode);
        if (mode != Mode.EVAL) {
            shared.scatterStatistics(activeNet);
        }
        return out;
    }

    @Override
    public void backward(Tensor gradLogits) {
        activeNet.backward(gradLogits);
        shared.scatterGradients(activeNet);
    }

    @Override
    public void resetBatchNormStatistics() {
        activeNet.resetBatchNormStatistics();
        shared.scatterStatistics(activeNet);
    }

    @Override
    public void seed(long s) {
        dropoutSeed = s;
        activeNet.seed(s);
    }

    // ------------------------------------------------------------------ channel sorting

    /**
     * Sorts every elastic block's expanded channels by importance (L1 norm of the projection weights reading
     * each channel, descending) and permutes the expand conv, its BN, the depthwise conv, its BN, the SE convs and
     * the projection consistently; the SE's squeezed channels are sorted the same way by the SE expand weights.
     * The full network computes the same function afterwards; smaller expand ratios keep the most important
     * channels. The same as {@link #sortChannels(List)} with no trained ratios below the largest.
     */
    public void sortChannels() {
        sortChannels(List.of());
    }

    /**
     * Sorts the expanded channels as {@link #sortChannels()} does, but keeps the channels that smaller expand
     * ratios already trained use where they are: the channels are cut into bands at the expanded widths of
     * {@code trainedExpands} (ratios below the largest, e.g. the previous expand phase's), and sorted by importance
     * only within each band, so a subnet at a trained ratio keeps exactly its channels (in another order) and
     * only the new, smaller ratio picks its channels by importance. This is how Once-for-All's second expand
     * phase re-sorts.
     */
    public void sortChannels(List<Integer> trainedExpands) {
        Objects.requireNonNull(trainedExpands, "trainedExpands");
        for (int e : trainedExpands) {
            if (!space.expands().contains(e)) {
                throw new IllegalArgumentException(
                        "trainedExpands contains " + e + ", expected values from " + space.expands());
            }
        }
        for (int s = 0; s < space.stages().size(); s++) {
            for (int b = 0; b < space.maxDepth(); b++) {
                String p = blockPrefix(s, b);
                int in = space.blockInput(s, b);
                java.util.TreeSet<Integer> cuts = new java.util.TreeSet<>();
                for (int e : trainedExpands) {
                    cuts.add(ElasticSpace.expanded(in, e));
                }
                Param project = store.get(p + ".project.conv.weight");
                int[] order = importanceOrder(project, cuts);
                permute(p + ".expand.conv.weight", order, false);
                permuteBn(p + ".expand.bn", order);
                permute(p + ".dw.conv.weight", order, false);
                permuteBn(p + ".dw.bn", order);
                if (space.stages().get(s).se()) {
                    permute(p + ".se.reduce.conv.weight", order, true);
                    permute(p + ".se.expand.conv.weight", order, false);
                    permute(p + ".se.expand.conv.bias", order, false);
                    int[] squeeze = importanceOrder(store.get(p + ".se.expand.conv.weight"), new java.util.TreeSet<>());
                    permute(p + ".se.reduce.conv.weight", squeeze, false);
                    permute(p + ".se.reduce.conv.bias", squeeze, false);
                    permute(p + ".se.expand.conv.weight", squeeze, true);
                }
                permute(p + ".project.conv.weight", order, true);
            }
        }
    }

    /**
     * Input-channel order of a 1x1 conv weight {@code [out, 1, 1, in]} by descending column L1 norm within each
     * band {@code [0, c1), [c1, c2), ..., [ck, in)} of the {@code cuts}.
     */
    private static int[] importanceOrder(Param w, java.util.SortedSet<Integer> cuts) {
        int out = w.dim(0);
        int in = w.dim(3);
        double[] imp = new double[in];
        float[] v = w.value();
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                imp[i] += Math.abs(v[o * in + i]);
            }
        }
        Integer[] idx = new Integer[in];
        for (int i = 0; i < in; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (a, c) -> {
            int band = Integer.compare(
                    cuts.headSet(a + 1).size(), cuts.headSet(c + 1).size());
            return band != 0 ? band : Double.compare(imp[c], imp[a]);
        });
        int[] order = new int[in];
        for (int i = 0; i < in; i++) {
            order[i] = idx[i];
        }
        return order;
    }

    private void permuteBn(String prefix, int[] order) {
        for (String suffix : List.of(".gamma", ".beta", ".running_mean", ".running_var")) {
            permute(prefix + suffix, order, false);
        }
    }

    /** Reorders dimension 0 ({@code inner == false}) or the last dimension ({@code inner == true}). */
    private void permute(String name, int[] order, boolean inner) {
        Param p = store.get(name);
        float[] v = p.value();
        float[] old = v.clone();
        if (!inner) {
            int row = v.length / p.dim(0);
            for (int i = 0; i < order.length; i++) {
                System.arraycopy(old, order[i] * row, v, i * row, row);
            }
        } else {
            int[] shape = p.shape();
            int last = shape[shape.length - 1];
            int rows = v.length / last;
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < order.length; i++) {
                    v[r * last + i] = old[r * last + order[i]];
                }
            }
        }
        p.zeroGrad();
    }

    // ------------------------------------------------------------------ persistence

    /** Writes the shared parameters (values and statistics) to {@code file} (atomically, creating directories). */
    public void save(Path file) {
        org.mobilenas.core.io.AtomicFiles.write(file, store::write);
    }

    /** Loads shared parameters written by {@link #save(Path)} for the same space (names and shapes checked). */
    public void load(Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            store.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("loading supernet from " + file, e);
        }
    }

    @Override
    public String toString() {
        return "ElasticSupernet[" + space.name() + ", " + store.trainableCount() + " shared parameters, active "
                + active.key() + "]";
    }
}
