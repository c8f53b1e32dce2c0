package org.mobilenas.core.engine;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.mobilenas.core.engine.kernels.BatchNormKernel;
import org.mobilenas.core.engine.kernels.Gemm;
import org.mobilenas.core.graph.Graph;
import org.mobilenas.core.graph.Node;
import org.mobilenas.core.graph.Op;
import org.mobilenas.core.json.SpecJson;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.spec.Shape;

/**
 * A trainable network realized from a {@link NetworkSpec}: it interprets the spec's lowered {@link Graph} node by
 * node with explicit forward and backward kernels over NHWC float arrays. Parameters live in a named
 * {@link ParameterStore} (torchvision's initialisation, deterministic for a seed); activation and gradient buffers
 * are cached per batch size and reused across steps. With {@link Builder#fuse(boolean)} a batch norm whose only
 * consumer is a ReLU or ReLU6 is fused with it (one pass forward, one backward; the two nodes share their
 * activation and gradient buffers, so {@link #activation(String)} of such a batch norm shows the activated values).
 * Fusion is off by default: on JDK 17 the separate, simpler loops were measured faster. Not thread-safe: use one
 * instance per thread.
 *
 * <p>Inference ({@link Model.Mode#EVAL}) runs on lean buffers: a node's output buffer is returned to a pool as soon
 * as its last consumer has run, so peak memory follows the live activations (what {@link
 * org.mobilenas.core.cost.Costs#peakActivationBytes()} counts) rather than the sum of all of them, and no gradient
 * buffers exist; a batch norm whose only consumer is an activation (any kind) applies it in the same pass over
 * memory. {@link #keepActivations(boolean)} keeps every node's output of an inference pass for
 * {@link #activation(String)}; training passes always keep them.
 *
 * <pre>{@code
 * Network net = Network.realize(spec, 42);
 * Tensor logits = net.forward(batch, Model.Mode.TRAIN);
 * net.parameters().zeroGrad();
 * net.backward(gradOfLossWrtLogits);
 * net.save(Path.of("model.mnas"));
 * Network again = Network.load(Path.of("model.mnas"));
 * }</pre>
 */
public final class Network implements Model {
    /** File name extension of a saved network ({@code model.mnas}). */
    public static final String FILE_EXTENSION = ".mnas";
    /** {@code "MNNW"}: magic of a saved network file. */
    public static final int FILE_MAGIC = 0x4D4E4E57;
    /** Version of the saved network format. */
    public static final int FILE_VERSION = 2;
    /** How many batch sizes keep their buffers at once. */
    private static final int CACHED_BATCH_SIZES = 3;

    private final NetworkSpec spec;
    private final Graph graph;
    private final ParameterStore parameters = new ParameterStore();
    private final Layer[] layers;
    private final int[][] inputs;
    private final boolean[] needsGrad;
    private final Gemm gemm;
    /** For a fused activation node, the batch norm node it is folded into; -1 otherwise. */
    private final int[] fusedInto;
    /**
     * Inference only: for an activation node (any activation) whose input is a batch norm consumed by it alone,
     * that batch norm, which then applies the activation in its own pass and shares its buffer; -1 otherwise.
     */
    private final int[] inferenceFusedInto;
    /** Inference only: for a batch norm node, the activation it applies ({@link #inferenceFusedInto}); else null. */
    private final org.mobilenas.core.spec.Activation[] inferenceAct;

    private final Map<Integer, Buffers> buffers = new LinkedHashMap<>(8, 0.75f, true);
    private SplittableRandom dropout;
    private boolean profiling;
    private long[] forwardNanos;
    private long[] backwardNanos;
    private long profiledCalls;
    private Buffers last;
    private Mode lastMode;
    private final Map<Integer, EvalBuffers> evalBuffers = new LinkedHashMap<>(4, 0.75f, true);
    private boolean keepActivations;

    private Network(NetworkSpec spec, long seed, Gemm gemm, boolean fuse) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.gemm = Objects.requireNonNull(gemm, "gemm");
        this.graph = spec.graph();
        int n = graph.size();
        layers = new Layer[n];
        inputs = new int[n][];
        needsGrad = new boolean[n];
        fusedInto = new int[n];
        Arrays.fill(fusedInto, -1);
        for (Node node : graph.nodes()) {
            int i = node.id();
            inputs[i] = node.inputs().stream().mapToInt(Integer::intValue).toArray();
            layers[i] = layer(node, seed);
            boolean need = layers[i] != null && layers[i].hasParameters();
            for (int in : inputs[i]) {
                need |= needsGrad[in];
            }
            needsGrad[i] = need;
        }
        if (fuse) {
            for (Node node : graph.nodes()) {
                if (node.op() instanceof Op.Act a && BatchNormKernel.fusable(a.activation())) {
                    int bn = node.inputs().get(0);
                    if (graph.node(bn).op() instanceof Op.BatchNorm
                            && graph.consumers(bn).size() == 1) {
                        fusedInto[node.id()] = bn;
                        ((Layer.BatchNorm) layers[bn]).fuse(a.activation());
                        ((Layer.Act) layers[node.id()]).fused();
                    }
                }
            }
        }
        inferenceFusedInto = fusedInto.clone();
        inferenceAct = new org.mobilenas.core.spec.Activation[n];
        for (Node node : graph.nodes()) {
            if (node.op() instanceof Op.Act a) {
                int bn = node.inputs().get(0);
                if (graph.node(bn).op() instanceof Op.BatchNorm
                        && graph.consumers(bn).size() == 1) {
                    inferenceFusedInto[node.id()] = bn;
                    inferenceAct[bn] = a.activation();
                }
            }
        }
        seed(seed);
    }

    /** Realizes {@code spec} with parameters initialised from {@code seed} and the default GEMM. */
    public static Network realize(NetworkSpec spec, long seed) {
        return new Network(spec, seed, Gemm.defaultGemm(), false);
    }

    /** A builder for choosing the seed and the GEMM implementation. */
    public static Builder builder(NetworkSpec spec) {
        return new Builder(spec);
    }

    /** Fluent construction of a {@link Network}. */
    public static final class Builder {
        private final NetworkSpec spec;
        private long seed;
        private Gemm gemm = Gemm.defaultGemm();
        private boolean fuse;

        private Builder(NetworkSpec spec) {
            this.spec = Objects.requireNonNull(spec, "spec");
        }

        /** Seed of the parameter initialisation and of dropout. */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** The matrix multiply used by pointwise/grouped/general convolutions and linear layers. */
        public Builder gemm(Gemm g) {
            this.gemm = Objects.requireNonNull(g, "gemm");
            return this;
        }

        /**
         * Whether batch norm is fused with a following ReLU/ReLU6 (default false: measured slower on JDK 17 at
         * MobileNetV2 shapes; results agree within rounding either way).
         */
        public Builder fuse(boolean on) {
            this.fuse = on;
            return this;
        }

        /** Builds the network with weights initialised from the seed. */
        public Network build() {
            return new Network(spec, seed, gemm, fuse);
        }
    }

    private Layer layer(Node node, long seed) {
        Op op = node.op();
        if (op instanceof Op.Input) {
            return null;
        }
        if (op instanceof Op.Conv c) {
            return new Layer.Conv(node, c, gemm, parameters, seed);
        }
        if (op instanceof Op.BatchNorm) {
            return new Layer.BatchNorm(node, parameters);
        }
        if (op instanceof Op.Act a) {
            return new Layer.Act(node, a);
        }
        if (op instanceof Op.Pool p) {
            return new Layer.Pool(node, p);
        }
        if (op instanceof Op.GlobalPool p) {
            return new Layer.GlobalPool(node, p);
        }
        if (op instanceof Op.Add) {
            return new Layer.Add(node);
        }
        if (op instanceof Op.Scale) {
            return new Layer.Scale(node);
        }
        if (op instanceof Op.Concat) {
            return new Layer.Concat(node);
        }
        if (op instanceof Op.Slice s) {
            return new Layer.Slice(node, s);
        }
        if (op instanceof Op.Shuffle s) {
            return new Layer.Shuffle(node, s);
        }
        if (op instanceof Op.Dropout d) {
            return new Layer.Dropout(node, d, this);
        }
        if (op instanceof Op.Linear l) {
            return new Layer.Linear(node, l, gemm, parameters, seed);
        }
        throw new IllegalArgumentException(node.name() + ": operation " + op + " is not supported");
    }

    /** A random stream for one parameter, independent of every other parameter's. */
    static SplittableRandom random(long seed, String name) {
        long h = seed * 0x9E3779B97F4A7C15L;
        for (int i = 0; i < name.length(); i++) {
            h = (h ^ name.charAt(i)) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        return new SplittableRandom(h);
    }

    SplittableRandom dropoutRandom() {
        return dropout;
    }

    @Override
    public NetworkSpec spec() {
        return spec;
    }

    @Override
    public ParameterStore parameters() {
        return parameters;
    }

    /** The lowered graph this network executes. */
    public Graph graph() {
        return graph;
    }

    /** The GEMM implementation in use. */
    public Gemm gemm() {
        return gemm;
    }

    @Override
    public void seed(long seed) {
        dropout = new SplittableRandom(seed ^ 0x5DEECE66DL);
    }

    @Override
    public void resetBatchNormStatistics() {
        for (Layer l : layers) {
            if (l != null) {
                l.resetStatistics();
            }
        }
    }

    /**
     * Runs the network. The input must be {@code [n, resolution, resolution, inputChannels]}; it is copied, so
     * the caller may reuse it. Returns a fresh tensor of logits {@code [n, 1, 1, classes]}.
     */
    @Override
    public Tensor forward(Tensor input, Mode mode) {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(mode, "mode");
        Shape s = graph.node(0).output();
        if (input.h != s.height() || input.w != s.width() || input.c != s.channels()) {
            throw new IllegalArgumentException("input " + input.n + "x" + input.h + "x" + input.w + "x" + input.c
                    + " does not match the network input n x " + s.height() + "x" + s.width() + "x"
                    + s.channels());
        }
        last = null;
        if (mode == Mode.EVAL && !keepActivations) {
            EvalBuffers e = evalBuffers(input.n);
            System.arraycopy(input.data, 0, e.out[0].data, 0, input.size());
            for (int i = 1; i < layers.length; i++) {
                if (inferenceFusedInto[i] >= 0) {
                    continue; // its batch norm computed it
                }
                long t0 = profiling ? System.nanoTime() : 0;
                if (inferenceAct[i] != null) {
                    ((Layer.BatchNorm) layers[i]).forwardInference(e.ins[i], e.out[i], inferenceAct[i]);
                } else {
                    layers[i].forward(e.ins[i], e.out[i], mode);
                }
                if (profiling) {
                    forwardNanos[i] += System.nanoTime() - t0;
                }
            }
            if (profiling) {
                profiledCalls++;
            }
            lastMode = mode;
            return e.out[layers.length - 1].copy();
        }
        Buffers b = buffers(input.n);
        System.arraycopy(input.data, 0, b.out[0].data, 0, input.size());
        if (profiling) {
            for (int i = 1; i < layers.length; i++) {
                long t0 = System.nanoTime();
                layers[i].forward(b.ins[i], b.out[i], mode);
                forwardNanos[i] += System.nanoTime() - t0;
            }
            profiledCalls++;
        } else {
            for (int i = 1; i < layers.length; i++) {
                layers[i].forward(b.ins[i], b.out[i], mode);
            }
        }
        last = b;
        lastMode = mode;
        return b.out[layers.length - 1].copy();
    }

    /**
     * Back-propagates {@code gradLogits} through the last forward pass, which must have run in {@link Mode#TRAIN};
     * parameter gradients are added to {@link Param#grad()}.
     */
    @Override
    public void backward(Tensor gradLogits) {
        Objects.requireNonNull(gradLogits, "gradLogits");
        if (last == null || lastMode != Mode.TRAIN) {
            throw new IllegalStateException("backward needs a forward pass in TRAIN mode first; last forward was "
                    + (lastMode == null ? "none" : lastMode));
        }
        Buffers b = last;
        int outId = layers.length - 1;
        Tensor out = b.out[outId];
        if (!gradLogits.sameShape(out)) {
            throw new IllegalArgumentException("gradLogits " + gradLogits + " must have the logits' shape " + out);
        }
        boolean[] written = b.written;
        Arrays.fill(written, false);
        System.arraycopy(gradLogits.data, 0, b.grad[outId].data, 0, out.size());
        written[outId] = true;
        for (int j = outId; j >= 1; j--) {
            if (!written[j] || !needsGrad[j]) {
                continue;
            }
            int[] in = inputs[j];
            Tensor[] gIn = b.gradIns[j];
            boolean[] acc = b.accumulate[j];
            for (int p = 0; p < in.length; p++) {
                int i = in[p];
                if (needsGrad[i]) {
                    gIn[p] = b.grad[i];
                    acc[p] = written[i];
                    written[i] = true;
                } else {
                    gIn[p] = null;
                    acc[p] = false;
                }
            }
            if (profiling) {
                long t0 = System.nanoTime();
                layers[j].backward(b.ins[j], b.out[j], b.grad[j], gIn, acc);
                backwardNanos[j] += System.nanoTime() - t0;
            } else {
                layers[j].backward(b.ins[j], b.out[j], b.grad[j], gIn, acc);
            }
        }
    }

    /** Turns per-node timing on (clearing earlier timings) or off. */
    public void profiling(boolean on) {
        profiling = on;
        forwardNanos = new long[layers.length];
        backwardNanos = new long[layers.length];
        profiledCalls = 0;
    }

    /** Per-node times accumulated since profiling was turned on, in graph order (the input node excluded). */
    public List<NodeTiming> timings() {
        List<NodeTiming> out = new ArrayList<>();
        if (forwardNanos == null) {
            return out;
        }
        for (int i = 1; i < layers.length; i++) {
            Node node = graph.node(i);
            out.add(new NodeTiming(
                    node.name(),
                    node.op().getClass().getSimpleName(),
                    forwardNanos[i],
                    backwardNanos[i],
                    profiledCalls));
        }
        return out;
    }

    /**
     * Whether an inference pass keeps every node's output (for {@link #activation(String)}) instead of reusing
     * buffers once their consumers have run; off by default.
     */
    public void keepActivations(boolean on) {
        keepActivations = on;
    }

    /**
     * Bytes of activation buffers an inference pass at batch size {@code n} holds at once (lean buffers: the
     * largest set of outputs alive together, plus the logits), the peak its memory grows by beside the parameters.
     */
    public long inferenceBytes(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n " + n + ": expected >= 1");
        }
        return new EvalBuffers(n, false).bytes;
    }

    /**
     * The largest batch size up to {@code requested} whose inference buffers and input take at most a third of the
     * heap that is free now (at least 1), so that evaluating a large network with a large batch does not run out of
     * memory (a third, not all: large arrays need contiguous space, and the batch's images are copied too).
     */
    public int affordableBatch(int requested) {
        if (requested < 1) {
            throw new IllegalArgumentException("batch size " + requested + ": expected >= 1");
        }
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        long perImage =
                Math.max(1, inferenceBytes(1) + 4L * graph.node(0).output().elements());
        long fit = free / 3 / perImage;
        return (int) Math.max(1, Math.min(requested, fit));
    }

    private EvalBuffers evalBuffers(int n) {
        EvalBuffers e = evalBuffers.get(n);
        if (e == null) {
            if (!evalBuffers.isEmpty()) {
                // one batch size at a time: inference buffers are released before the next size's are taken
                evalBuffers.remove(evalBuffers.keySet().iterator().next());
            }
            e = new EvalBuffers(n, true);
            evalBuffers.put(n, e);
        }
        return e;
    }

    /**
     * Output buffers of an inference pass: a node's output takes a buffer from a pool when its run begins and
     * returns it after its last consumer has run (a fused activation shares its batch norm's). A request takes the
     * smallest free buffer that is large enough, else replaces the largest free one by one of the needed size,
     * else adds one, so the pool's total stays near the largest set of outputs alive together. A node's buffer is
     * taken before its inputs' buffers are returned, so no node reads and writes one array.
     */
    private final class EvalBuffers {
        final Tensor[] out;
        final Tensor[][] ins;
        final long bytes;

        EvalBuffers(int n, boolean allocate) {
            int size = layers.length;
            int outId = size - 1;
            int[] root = new int[size];
            int[] end = new int[size];
            for (int i = 0; i < size; i++) {
                root[i] = inferenceFusedInto[i] >= 0 ? inferenceFusedInto[i] : i;
                end[i] = i;
            }
            for (int j = 0; j < size; j++) {
                for (int i : inputs[j]) {
                    end[root[i]] = Math.max(end[root[i]], j);
                }
                end[root[j]] = Math.max(end[root[j]], j);
            }
            end[root[outId]] = Integer.MAX_VALUE;
            List<List<Integer>> releaseAt = new ArrayList<>();
            for (int j = 0; j < size; j++) {
                releaseAt.add(new ArrayList<>());
            }
            for (int i = 0; i < size; i++) {
                if (root[i] == i && end[i] < size) {
                    releaseAt.get(end[i]).add(i);
                }
            }
            // the pool: free buffers by length (several of one length possible); sizes only when not allocating
            java.util.TreeMap<Integer, ArrayDeque<float[]>> free = new java.util.TreeMap<>();
            float[][] arrays = new float[size][];
            int[] lengths = new int[size];
            long held = 0;
            out = new Tensor[size];
            ins = new Tensor[size][];
            for (Node node : graph.nodes()) {
                int j = node.id();
                Shape s = node.output();
                if (root[j] == j) {
                    int len = Math.toIntExact(n * s.elements());
                    Map.Entry<Integer, ArrayDeque<float[]>> fit = free.ceilingEntry(len);
                    if (fit != null) {
                        lengths[j] = fit.getKey();
                        arrays[j] = take(free, fit.getKey());
                    } else if (!free.isEmpty()) {
                        int largest = free.lastKey();
                        take(free, largest);
                        held += 4L * (len - largest);
                        lengths[j] = len;
                        arrays[j] = allocate ? new float[len] : null;
                    } else {
                        held += 4L * len;
                        lengths[j] = len;
                        arrays[j] = allocate ? new float[len] : null;
                    }
                }
                if (allocate) {
                    out[j] = new Tensor(arrays[root[j]], n, s.height(), s.width(), s.channels());
                }
                for (int r : releaseAt.get(j)) {
                    free.computeIfAbsent(lengths[r], k -> new ArrayDeque<>()).push(allocate ? arrays[r] : new float[0]);
                }
            }
            bytes = held;
            if (allocate) {
                for (int i = 0; i < size; i++) {
                    ins[i] = new Tensor[inputs[i].length];
                    for (int p = 0; p < inputs[i].length; p++) {
                        ins[i][p] = out[inputs[i][p]];
                    }
                }
            }
        }

        private float[] take(java.util.TreeMap<Integer, ArrayDeque<float[]>> free, int len) {
            ArrayDeque<float[]> q = free.get(len);
            float[] a = q.pop();
            if (q.isEmpty()) {
                free.remove(len);
            }
            return a;
        }
    }

    private Buffers buffers(int n) {
        Buffers b = buffers.get(n);
        if (b == null) {
            if (buffers.size() >= CACHED_BATCH_SIZES) {
                Integer eldest = buffers.keySet().iterator().next();
                buffers.remove(eldest);
            }
            b = new Buffers(n);
            buffers.put(n, b);
        }
        return b;
    }

    /** Activation and gradient buffers of every node for one batch size. */
    private final class Buffers {
        final Tensor[] out;
        final Tensor[][] ins;
        final Tensor[] grad;
        final Tensor[][] gradIns;
        final boolean[][] accumulate;
        final boolean[] written;

        Buffers(int n) {
            int size = layers.length;
            out = new Tensor[size];
            ins = new Tensor[size][];
            grad = new Tensor[size];
            gradIns = new Tensor[size][];
            accumulate = new boolean[size][];
            written = new boolean[size];
            for (Node node : graph.nodes()) {
                Shape s = node.output();
                int id = node.id();
                out[id] = fusedInto[id] >= 0 ? out[fusedInto[id]] : new Tensor(n, s.height(), s.width(), s.channels());
            }
            for (int i = 0; i < size; i++) {
                ins[i] = new Tensor[inputs[i].length];
                for (int p = 0; p < inputs[i].length; p++) {
                    ins[i][p] = out[inputs[i][p]];
                }
                gradIns[i] = new Tensor[inputs[i].length];
                accumulate[i] = new boolean[inputs[i].length];
            }
            assignGradientSlots(n);
        }

        /**
         * Gradient buffers are shared between nodes whose gradients are never alive at the same time in the
         * backward pass (a node's gradient lives from its last consumer's backward to its own).
         */
        private void assignGradientSlots(int n) {
            int size = layers.length;
            Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();
            List<float[]> held = new ArrayList<>(Arrays.asList(new float[size][]));
            int outId = size - 1;
            held.set(outId, new float[out[outId].size()]);
            for (int j = outId; j >= 1; j--) {
                if (held.get(j) == null) {
                    continue;
                }
                if (fusedInto[j] >= 0) {
                    // the fused batch norm back-propagates from this node's gradient buffer, which stays held
                    held.set(fusedInto[j], held.get(j));
                    grad[j] = new Tensor(held.get(j), n, out[j].h, out[j].w, out[j].c);
                    continue;
                }
                for (int i : inputs[j]) {
                    if (needsGrad[i] && held.get(i) == null) {
                        int len = out[i].size();
                        ArrayDeque<float[]> q = free.get(len);
                        held.set(i, q == null || q.isEmpty() ? new float[len] : q.pop());
                    }
                }
                float[] mine = held.get(j);
                grad[j] = new Tensor(mine, n, out[j].h, out[j].w, out[j].c);
                free.computeIfAbsent(mine.length, k -> new ArrayDeque<>()).push(mine);
            }
        }
    }

    /** Writes the spec (as JSON) and every parameter to {@code file}, atomically (never half a file). */
    public void save(Path file) {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        save(buf);
        org.mobilenas.core.io.AtomicFiles.write(file, buf.toByteArray());
    }

    /** Writes magic, version, the spec as UTF-8 JSON and the parameters ({@link ParameterIO}); not closed. */
    public void save(OutputStream out) {
        try {
            DataOutputStream d = new DataOutputStream(out);
            d.writeInt(FILE_MAGIC);
            d.writeInt(FILE_VERSION);
            byte[] json = SpecJson.toJson(spec).getBytes(StandardCharsets.UTF_8);
            d.writeInt(json.length);
            d.write(json);
            d.writeInt(crc(json));
            d.flush();
            ParameterIO.write(parameters, out);
        } catch (IOException e) {
            throw new UncheckedIOException("saving network", e);
        }
    }

    private static int crc(byte[] b) {
        java.util.zip.CRC32C c = new java.util.zip.CRC32C();
        c.update(b);
        return (int) c.getValue();
    }

    /** Reads a network written by {@link #save(Path)}: the spec is realized and the parameters loaded. */
    public static Network load(Path file) {
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new IllegalArgumentException(
                    file + " is not a regular file (a directory, device or pipe); " + "expected a network file");
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return load(in);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException("cannot load network from " + file + ": " + e.getMessage(), e.getCause());
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot load network from " + file + ": " + e.getClass().getSimpleName() + ": " + e.getMessage(),
                    e);
        }
    }

    /** Reads a network written by {@link #save(OutputStream)}; the stream is not closed. */
    public static Network load(InputStream in) {
        try {
            DataInputStream d = new DataInputStream(in);
            int magic = d.readInt();
            if (magic != FILE_MAGIC) {
                throw new IllegalArgumentException(
                        String.format("network file: magic 0x%08X, expected 0x%08X (\"MNNW\")", magic, FILE_MAGIC));
            }
            int version = d.readInt();
            if (version != 1 && version != FILE_VERSION) {
                throw new IllegalArgumentException(
                        "network file: version " + version + ", expected 1.." + FILE_VERSION);
            }
            int len = d.readInt();
            if (len <= 0 || len > (1 << 28)) {
                throw new IllegalArgumentException("network file: spec length " + len + " not in [1, 2^28]");
            }
            byte[] json = new byte[len];
            d.readFully(json);
            if (version >= 2) {
                int stored = d.readInt();
                if (stored != crc(json)) {
                    throw new IllegalArgumentException(
                            "network file: checksum of the network spec does not match: " + "the file is damaged");
                }
            }
            Network net = realize(SpecJson.fromJson(new String(json, StandardCharsets.UTF_8)), 0L);
            ParameterIO.load(in, net.parameters);
            return net;
        } catch (EOFException e) {
            throw new IllegalArgumentException("network file: truncated (unexpected end of data)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("loading network", e);
        }
    }

    /**
     * A copy of the output of node {@code nodeName} from the last forward pass (for inspection, distillation
     * and tests).
     */
    public Tensor activation(String nodeName) {
        if (last == null) {
            throw new IllegalStateException(
                    lastMode == Mode.EVAL
                            ? "the last pass was an inference pass on lean buffers; call keepActivations(true) before it to"
                                    + " inspect node outputs"
                            : "no forward pass has run yet");
        }
        return last.out[graph.node(nodeName).id()].copy();
    }

    /** Loads parameters written by {@link ParameterIO#write} into this network (names and shapes checked). */
    public void loadParameters(InputStream in) {
        ParameterIO.load(in, parameters);
    }

    @Override
    public String toString() {
        return "Network[" + spec.name() + ", " + graph.size() + " nodes, " + parameters.trainableCount()
                + " trainable parameters, gemm=" + gemm.name() + "]";
    }
}
