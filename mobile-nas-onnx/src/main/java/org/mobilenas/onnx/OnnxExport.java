package org.mobilenas.onnx;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.mobilenas.core.engine.Network;
import org.mobilenas.core.engine.Param;
import org.mobilenas.core.engine.ParameterStore;
import org.mobilenas.core.experiment.Provenance;
import org.mobilenas.core.graph.Graph;
import org.mobilenas.core.graph.Node;
import org.mobilenas.core.graph.Op;
import org.mobilenas.core.io.AtomicFiles;
import org.mobilenas.core.json.SpecJson;
import org.mobilenas.core.spec.Shape;

/**
 * Writes a network with its parameters as an ONNX model (IR version {@value #IR_VERSION}, opset {@value #OPSET}) for
 * inference in ONNX Runtime or any other ONNX consumer: the model that apps deploy.
 *
 * <p>The model has one input, {@value #INPUT}: float32 NCHW {@code [batch, channels, height, width]} with a
 * symbolic batch dimension, normalized as the network was trained; and one output, {@value #OUTPUT}: the
 * classifier's logits {@code [batch, classes]} (no softmax). Every operation of the lowered graph is exported:
 * convolutions (grouped and depthwise) with the batch norm that follows folded into their weights and bias, a batch
 * norm that follows no convolution as {@code BatchNormalization}, every activation ({@code Relu}, {@code Clip} for
 * ReLU6, {@code HardSwish}, {@code HardSigmoid}, {@code Sigmoid}, swish as {@code x·Sigmoid(x)}), average and max
 * pooling (average counting padded zeros, as the engine does), global pooling, residual adds, squeeze-excite
 * scaling, channel concatenation, channel slices, channel shuffle ({@code Reshape}–{@code Transpose}–{@code
 * Reshape}), and the classifier ({@code Flatten} + {@code Gemm}, its weight columns reordered from the engine's
 * NHWC flattening to ONNX's NCHW). Dropout is the identity at inference and is left out. The network's spec is
 * stored as JSON in the model's metadata ({@value #SPEC_METADATA}).
 *
 * <p>The protobuf is written with protobuf-java's {@code CodedOutputStream}, field numbers from the ONNX
 * specification ({@code onnx.proto}).
 *
 * <pre>{@code
 * Network net = Network.load(Path.of("model.mnas"));
 * OnnxExport.write(net, Path.of("model.onnx"));        // atomic: a failure leaves no file behind
 * byte[] model = OnnxExport.toBytes(supernet.extract(config));
 * }</pre>
 */
public final class OnnxExport {
    /** ONNX IR version written. */
    public static final long IR_VERSION = 8;
    /** Default-domain opset written. */
    public static final long OPSET = 17;
    /** Name of the model's input. */
    public static final String INPUT = "input";
    /** Name of the model's output. */
    public static final String OUTPUT = "logits";
    /** Metadata key holding the network's spec as JSON. */
    public static final String SPEC_METADATA = "mobile-nas.spec";

    /** Batch norm epsilon of the engine (PyTorch's). */
    static final double BN_EPS = 1e-5;

    // Field numbers of onnx.proto.
    private static final int MODEL_IR_VERSION = 1;
    private static final int MODEL_PRODUCER_NAME = 2;
    private static final int MODEL_PRODUCER_VERSION = 3;
    private static final int MODEL_DOC_STRING = 6;
    private static final int MODEL_GRAPH = 7;
    private static final int MODEL_OPSET_IMPORT = 8;
    private static final int MODEL_METADATA_PROPS = 14;
    private static final int OPSET_DOMAIN = 1;
    private static final int OPSET_VERSION = 2;
    private static final int ENTRY_KEY = 1;
    private static final int ENTRY_VALUE = 2;
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_NAME = 2;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_INPUT = 11;
    private static final int GRAPH_OUTPUT = 12;
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_NAME = 3;
    private static final int NODE_OP_TYPE = 4;
    private static final int NODE_ATTRIBUTE = 5;
    private static final int ATTR_NAME = 1;
    private static final int ATTR_F = 2;
    private static final int ATTR_I = 3;
    private static final int ATTR_INTS = 8;
    private static final int ATTR_TYPE = 20;
    private static final int ATTR_TYPE_FLOAT = 1;
    private static final int ATTR_TYPE_INT = 2;
    private static final int ATTR_TYPE_INTS = 7;
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_RAW_DATA = 9;
    private static final int TYPE_FLOAT = 1;
    private static final int TYPE_INT64 = 7;
    private static final int VALUE_NAME = 1;
    private static final int VALUE_TYPE = 2;
    private static final int TYPEPROTO_TENSOR = 1;
    private static final int TENSORTYPE_ELEM_TYPE = 1;
    private static final int TENSORTYPE_SHAPE = 2;
    private static final int SHAPE_DIM = 1;
    private static final int DIM_VALUE = 1;
    private static final int DIM_PARAM = 2;

    private OnnxExport() {}

    /** Writes {@code network} as an ONNX model to {@code file}, atomically (nothing is left on failure). */
    public static void write(Network network, Path file) {
        Objects.requireNonNull(file, "file");
        byte[] model = toBytes(network);
        AtomicFiles.write(file, model);
    }

    /** The ONNX model of {@code network} (its current parameters, inference mode). */
    public static byte[] toBytes(Network network) {
        Objects.requireNonNull(network, "network");
        return new Lowering(network).model();
    }

    /** Lowers one network's graph to ONNX nodes and initializers. */
    private static final class Lowering {
        private final Network network;
        private final Graph graph;
        private final ParameterStore params;
        private final List<Proto> nodes = new ArrayList<>();
        private final List<Proto> initializers = new ArrayList<>();
        private final Map<Integer, String> value = new HashMap<>();
        private final Set<Integer> folded = new HashSet<>();
        private final Set<String> constants = new HashSet<>();

        Lowering(Network network) {
            this.network = network;
            this.graph = network.graph();
            this.params = network.parameters();
        }

        byte[] model() {
            for (Node n : graph.nodes()) {
                if (!folded.contains(n.id())) {
                    try {
                        lower(n);
                    } catch (RuntimeException e) {
                        if (e instanceof OnnxExportException) {
                            throw e;
                        }
                        throw new OnnxExportException("node '" + n.name() + "' (" + n.op() + "): " + e.getMessage(), e);
                    }
                }
            }
            Node last = graph.output();
            node("Identity", "output", List.of(value.get(last.id())), OUTPUT);
            Shape in = graph.nodes().get(0).output();
            Proto g = new Proto();
            nodes.forEach(p -> g.message(GRAPH_NODE, p));
            g.string(GRAPH_NAME, network.spec().name());
            initializers.forEach(p -> g.message(GRAPH_INITIALIZER, p));
            g.message(GRAPH_INPUT, valueInfo(INPUT, List.of(in.channels(), in.height(), in.width())));
            Shape out = last.output();
            g.message(
                    GRAPH_OUTPUT,
                    valueInfo(
                            OUTPUT,
                            last.op() instanceof Op.Linear
                                    ? List.of(out.channels())
                                    : List.of(out.channels(), out.height(), out.width())));
            Proto m = new Proto()
                    .int64(MODEL_IR_VERSION, IR_VERSION)
                    .string(MODEL_PRODUCER_NAME, "mobile-nas")
                    .string(MODEL_PRODUCER_VERSION, Provenance.libraryVersion())
                    .string(
                            MODEL_DOC_STRING,
                            "Network " + network.spec().name() + ". Input '" + INPUT
                                    + "': float32 NCHW [batch, " + in.channels() + ", " + in.height() + ", "
                                    + in.width()
                                    + "], normalized as in training. Output '" + OUTPUT + "': logits.")
                    .message(MODEL_GRAPH, g)
                    .message(
                            MODEL_OPSET_IMPORT,
                            new Proto().string(OPSET_DOMAIN, "").int64(OPSET_VERSION, OPSET))
                    .message(
                            MODEL_METADATA_PROPS,
                            new Proto()
                                    .string(ENTRY_KEY, SPEC_METADATA)
                                    .string(ENTRY_VALUE, SpecJson.toJson(network.spec())));
            return m.toByteArray();
        }

        private void lower(Node n) {
            Op op = n.op();
            if (op instanceof Op.Input) {
                value.put(n.id(), INPUT);
            } else if (op instanceof Op.Conv c) {
                conv(n, c);
            } else if (op instanceof Op.BatchNorm) {
                batchNorm(n);
            } else if (op instanceof Op.Act a) {
                activation(n, a);
            } else if (op instanceof Op.Pool p) {
                Proto node = node(
                        p.type() == Op.PoolType.AVG ? "AveragePool" : "MaxPool", n.name(), List.of(in(n, 0)), n.name());
                ints(node, "kernel_shape", p.kernel(), p.kernel());
                ints(node, "strides", p.stride(), p.stride());
                ints(node, "pads", p.padding(), p.padding(), p.padding(), p.padding());
                if (p.type() == Op.PoolType.AVG) {
                    integer(node, "count_include_pad", 1);
                }
                value.put(n.id(), n.name());
            } else if (op instanceof Op.GlobalPool p) {
                node(
                        p.type() == Op.PoolType.AVG ? "GlobalAveragePool" : "GlobalMaxPool",
                        n.name(),
                        List.of(in(n, 0)),
                        n.name());
                value.put(n.id(), n.name());
            } else if (op instanceof Op.Add) {
                node("Add", n.name(), List.of(in(n, 0), in(n, 1)), n.name());
                value.put(n.id(), n.name());
            } else if (op instanceof Op.Scale) {
                node("Mul", n.name(), List.of(in(n, 0), in(n, 1)), n.name());
                value.put(n.id(), n.name());
            } else if (op instanceof Op.Concat) {
                List<String> ins = new ArrayList<>();
                for (int i = 0; i < n.inputs().size(); i++) {
                    ins.add(in(n, i));
                }
                integer(node("Concat", n.name(), ins, n.name()), "axis", 1);
                value.put(n.id(), n.name());
            } else if (op instanceof Op.Slice s) {
                String starts = longs(n.name() + ".starts", s.from());
                String ends = longs(n.name() + ".ends", s.to());
                String axes = longs(n.name() + ".axes", 1);
                node("Slice", n.name(), List.of(in(n, 0), starts, ends, axes), n.name());
                value.put(n.id(), n.name());
            } else if (op instanceof Op.Shuffle s) {
                shuffle(n, s);
            } else if (op instanceof Op.Dropout) {
                value.put(n.id(), in(n, 0));
            } else if (op instanceof Op.Linear l) {
                linear(n, l);
            } else {
                throw new OnnxExportException("node '" + n.name() + "': operation " + op + " has no ONNX lowering");
            }
        }

        private String in(Node n, int i) {
            String v = value.get(n.inputs().get(i));
            if (v == null) {
                throw new OnnxExportException("node '" + n.name() + "': input " + i + " was not produced before it");
            }
            return v;
        }

        private float[] param(Node n, String suffix) {
            String name = n.name() + suffix;
            if (!params.contains(name)) {
                throw new OnnxExportException("node '" + n.name() + "': parameter '" + name + "' is missing");
            }
            Param p = params.get(name);
            float[] v = p.value();
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) {
                    throw new OnnxExportException("node '" + n.name() + "': parameter '" + name + "' has the "
                            + "non-finite value " + v[i] + " at index " + i + "; the network cannot be exported");
                }
            }
            return v;
        }

        private void conv(Node n, Op.Conv c) {
            int inPerGroup = n.input().channels() / c.groups();
            int k = c.kernel();
            float[] w = param(n, ".weight");
            // engine layout [out, kh, kw, in/groups] -> ONNX [out, in/groups, kh, kw]
            float[] oihw = new float[w.length];
            for (int o = 0; o < c.out(); o++) {
                for (int y = 0; y < k; y++) {
                    for (int x = 0; x < k; x++) {
                        for (int i = 0; i < inPerGroup; i++) {
                            oihw[((o * inPerGroup + i) * k + y) * k + x] = w[((o * k + y) * k + x) * inPerGroup + i];
                        }
                    }
                }
            }
            float[] bias = c.bias() ? param(n, ".bias").clone() : null;
            String out = n.name();
            List<Integer> consumers = graph.consumers(n.id());
            if (consumers.size() == 1 && graph.node(consumers.get(0)).op() instanceof Op.BatchNorm) {
                Node bn = graph.node(consumers.get(0));
                float[] gamma = param(bn, ".gamma");
                float[] beta = param(bn, ".beta");
                float[] mean = param(bn, ".running_mean");
                float[] var = param(bn, ".running_var");
                int per = inPerGroup * k * k;
                if (bias == null) {
                    bias = new float[c.out()];
                }
                for (int o = 0; o < c.out(); o++) {
                    double s = gamma[o] / Math.sqrt(var[o] + BN_EPS);
                    for (int j = 0; j < per; j++) {
                        oihw[o * per + j] = (float) (oihw[o * per + j] * s);
                    }
                    bias[o] = (float) ((bias[o] - mean[o]) * s + beta[o]);
                }
                folded.add(bn.id());
                out = bn.name();
                value.put(bn.id(), out);
            }
            List<String> inputs =
                    new ArrayList<>(List.of(in(n, 0), floats(n.name() + ".weight", oihw, c.out(), inPerGroup, k, k)));
            if (bias != null) {
                inputs.add(floats(n.name() + ".bias", bias, c.out()));
            }
            Proto node = node("Conv", n.name(), inputs, out);
            ints(node, "kernel_shape", k, k);
            ints(node, "strides", c.stride(), c.stride());
            ints(node, "pads", c.padding(), c.padding(), c.padding(), c.padding());
            integer(node, "group", c.groups());
            value.put(n.id(), out);
        }

        private void batchNorm(Node n) {
            int c = n.output().channels();
            Proto node = node(
                    "BatchNormalization",
                    n.name(),
                    List.of(
                            in(n, 0),
                            floats(n.name() + ".gamma", param(n, ".gamma"), c),
                            floats(n.name() + ".beta", param(n, ".beta"), c),
                            floats(n.name() + ".running_mean", param(n, ".running_mean"), c),
                            floats(n.name() + ".running_var", param(n, ".running_var"), c)),
                    n.name());
            real(node, "epsilon", (float) BN_EPS);
            value.put(n.id(), n.name());
        }

        private void activation(Node n, Op.Act a) {
            String x = in(n, 0);
            String out = n.name();
            switch (a.activation()) {
                case NONE -> node("Identity", out, List.of(x), out);
                case RELU -> node("Relu", out, List.of(x), out);
                case RELU6 -> node("Clip", out, List.of(x, scalar("const.zero", 0f), scalar("const.six", 6f)), out);
                case HSWISH -> node("HardSwish", out, List.of(x), out);
                case HSIGMOID -> {
                    Proto p = node("HardSigmoid", out, List.of(x), out);
                    real(p, "alpha", 1f / 6f);
                    real(p, "beta", 0.5f);
                }
                case SIGMOID -> node("Sigmoid", out, List.of(x), out);
                case SWISH -> {
                    node("Sigmoid", out + ".sigmoid", List.of(x), out + ".sigmoid");
                    node("Mul", out, List.of(x, out + ".sigmoid"), out);
                }
                default ->
                    throw new OnnxExportException(
                            "node '" + n.name() + "': activation " + a.activation() + " has no ONNX lowering");
            }
            value.put(n.id(), out);
        }

        private void shuffle(Node n, Op.Shuffle s) {
            Shape x = n.input();
            int g = s.groups();
            String split = longs(n.name() + ".split_shape", 0, g, x.channels() / g, x.height(), x.width());
            String merged = longs(n.name() + ".merged_shape", 0, x.channels(), x.height(), x.width());
            node("Reshape", n.name() + ".split", List.of(in(n, 0), split), n.name() + ".split");
            ints(
                    node("Transpose", n.name() + ".transpose", List.of(n.name() + ".split"), n.name() + ".transpose"),
                    "perm",
                    0,
                    2,
                    1,
                    3,
                    4);
            node("Reshape", n.name(), List.of(n.name() + ".transpose", merged), n.name());
            value.put(n.id(), n.name());
        }

        private void linear(Node n, Op.Linear l) {
            Shape x = n.input();
            int in = (int) x.elements();
            float[] w = param(n, ".weight");
            float[] reordered = w;
            if (x.height() * x.width() > 1) {
                // engine flattens NHWC ((y * w + x) * c + ch), ONNX's Flatten NCHW (ch * h * w + y * w + x)
                reordered = new float[w.length];
                int hw = x.height() * x.width();
                for (int o = 0; o < l.out(); o++) {
                    for (int p = 0; p < hw; p++) {
                        for (int ch = 0; ch < x.channels(); ch++) {
                            reordered[o * in + ch * hw + p] = w[o * in + p * x.channels() + ch];
                        }
                    }
                }
            }
            integer(node("Flatten", n.name() + ".flatten", List.of(in(n, 0)), n.name() + ".flatten"), "axis", 1);
            List<String> inputs = new ArrayList<>(
                    List.of(n.name() + ".flatten", floats(n.name() + ".weight", reordered, l.out(), in)));
            if (l.bias()) {
                inputs.add(floats(n.name() + ".bias", param(n, ".bias"), l.out()));
            }
            integer(node("Gemm", n.name(), inputs, n.name()), "transB", 1);
            value.put(n.id(), n.name());
        }

        // ------------------------------------------------------------ protobuf pieces

        private Proto node(String opType, String name, List<String> inputs, String output) {
            Proto p = new Proto();
            for (String i : inputs) {
                p.string(NODE_INPUT, i);
            }
            p.string(NODE_OUTPUT, output).string(NODE_NAME, name).string(NODE_OP_TYPE, opType);
            nodes.add(p);
            return p;
        }

        private static void ints(Proto node, String name, long... values) {
            node.message(
                    NODE_ATTRIBUTE,
                    new Proto()
                            .string(ATTR_NAME, name)
                            .int64s(ATTR_INTS, values)
                            .int32(ATTR_TYPE, ATTR_TYPE_INTS));
        }

        private static void integer(Proto node, String name, long v) {
            node.message(
                    NODE_ATTRIBUTE,
                    new Proto().string(ATTR_NAME, name).int64(ATTR_I, v).int32(ATTR_TYPE, ATTR_TYPE_INT));
        }

        private static void real(Proto node, String name, float v) {
            node.message(
                    NODE_ATTRIBUTE,
                    new Proto().string(ATTR_NAME, name).float32(ATTR_F, v).int32(ATTR_TYPE, ATTR_TYPE_FLOAT));
        }

        private String floats(String name, float[] data, long... dims) {
            initializers.add(new Proto()
                    .int64s(TENSOR_DIMS, dims)
                    .int32(TENSOR_DATA_TYPE, TYPE_FLOAT)
                    .string(TENSOR_NAME, name)
                    .bytes(TENSOR_RAW_DATA, Proto.rawFloats(data)));
            return name;
        }

        private String scalar(String name, float v) {
            if (constants.add(name)) {
                initializers.add(new Proto()
                        .int32(TENSOR_DATA_TYPE, TYPE_FLOAT)
                        .string(TENSOR_NAME, name)
                        .bytes(TENSOR_RAW_DATA, Proto.rawFloats(new float[] {v})));
            }
            return name;
        }

        private String longs(String name, long... data) {
            initializers.add(new Proto()
                    .int64s(TENSOR_DIMS, data.length)
                    .int32(TENSOR_DATA_TYPE, TYPE_INT64)
                    .string(TENSOR_NAME, name)
                    .bytes(TENSOR_RAW_DATA, Proto.rawLongs(data)));
            return name;
        }

        private static Proto valueInfo(String name, List<Integer> dims) {
            Proto shape = new Proto().message(SHAPE_DIM, new Proto().string(DIM_PARAM, "batch"));
            for (int d : dims) {
                shape.message(SHAPE_DIM, new Proto().int64(DIM_VALUE, d));
            }
            Proto tensor = new Proto().int32(TENSORTYPE_ELEM_TYPE, TYPE_FLOAT).message(TENSORTYPE_SHAPE, shape);
            return new Proto()
                    .string(VALUE_NAME, name)
                    .message(VALUE_TYPE, new Proto().message(TYPEPROTO_TENSOR, tensor));
        }
    }
}
