package org.mobilenas.core.dl4j;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.mobilenas.core.engine.Param;
import org.mobilenas.core.engine.ParameterStore;
import org.mobilenas.core.graph.Graph;
import org.mobilenas.core.graph.Node;
import org.mobilenas.core.graph.Op;
import org.mobilenas.core.spec.Activation;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.spec.Shape;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Exports a {@link NetworkSpec} to a DL4J {@link ComputationGraph} (NCHW, float32), optionally with the weights and
 * batch-norm statistics of a {@link ParameterStore} copied into DL4J's layouts. Every node of the spec's lowered
 * graph becomes one DL4J vertex of the same name: convolutions ({@code ConvolutionLayer}, depthwise ones
 * {@code DepthwiseConvolution2D}), batch norm, activations (identity, ReLU, ReLU6, sigmoid, swish), pooling, global
 * pooling, residual adds ({@code ElementWiseVertex}), concatenation ({@code MergeVertex}), channel slices
 * ({@code SubsetVertex}), dropout and linear layers; the logits feed a softmax cross-entropy {@code LossLayer}
 * named {@value #LOSS}. Operations DL4J's graph cannot express (grouped non-depthwise convolutions, channel
 * shuffle, the squeeze-and-excite multiply, hard-swish and hard-sigmoid with PyTorch's definitions) are rejected
 * with an error naming the node.
 *
 * <pre>{@code
 * Dl4jNetwork dl4j = Dl4jExport.builder(spec).weights(net.parameters()).learningRate(0.01).build();
 * Tensor logits = dl4j.logits(batch);          // same as net.forward(batch, Model.Mode.EVAL)
 * dl4j.fit(batch, labels);                      // one SGD step in DL4J
 * }</pre>
 */
public final class Dl4jExport {
    /** Name of the input vertex. */
    public static final String INPUT = "input";
    /** Name of the softmax cross-entropy loss vertex that follows the logits. */
    public static final String LOSS = "loss";

    private final NetworkSpec spec;
    private ParameterStore weights;
    private double learningRate = 0.01;
    private long seed;

    private Dl4jExport(NetworkSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
    }

    /** Starts an export of {@code spec}. */
    public static Dl4jExport builder(NetworkSpec spec) {
        return new Dl4jExport(spec);
    }

    /** Parameters to copy (names as in {@code Network.parameters()}); without them DL4J initialises its own. */
    public Dl4jExport weights(ParameterStore store) {
        this.weights = Objects.requireNonNull(store, "weights");
        return this;
    }

    /** Learning rate of the plain SGD updater used by {@link Dl4jNetwork#fit}; must be positive and finite. */
    public Dl4jExport learningRate(double lr) {
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("learningRate " + lr + " must be positive and finite");
        }
        this.learningRate = lr;
        return this;
    }

    /** Seed of DL4J's own initialisation (used when no weights are given). */
    public Dl4jExport seed(long s) {
        this.seed = s;
        return this;
    }

    /** The DL4J configuration of the spec (no weights); fails on operations DL4J cannot express. */
    public ComputationGraphConfiguration configuration() {
        Graph g = spec.graph();
        Node last = g.output();
        if (!(last.op() instanceof Op.Linear)) {
            throw new IllegalArgumentException(last.name() + ": the network must end in a linear classifier to be "
                    + "exported to DL4J, found " + last.op());
        }
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Sgd(learningRate))
                .weightInit(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Truncate)
                .graphBuilder()
                .addInputs(INPUT);
        Map<Integer, String> vertex = new HashMap<>();
        for (Node node : g.nodes()) {
            vertex.put(node.id(), add(b, node, vertex));
        }
        b.addLayer(
                LOSS,
                new LossLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(org.nd4j.linalg.activations.Activation.SOFTMAX)
                        .build(),
                vertex.get(last.id()));
        Shape in = g.node(0).output();
        b.setOutputs(LOSS);
        b.setInputTypes(InputType.convolutional(in.height(), in.width(), in.channels()));
        return b.build();
    }

    /** Builds and initialises the DL4J network, copying the weights when given. */
    public Dl4jNetwork build() {
        ComputationGraph cg = new ComputationGraph(configuration());
        cg.init();
        Graph g = spec.graph();
        if (weights != null) {
            for (Node node : g.nodes()) {
                copyWeights(cg, node);
            }
        }
        return new Dl4jNetwork(cg, g.output().name(), g.node(0).output());
    }

    /** Adds the vertex of {@code node}; returns the name of the vertex that carries its output. */
    private static String add(ComputationGraphConfiguration.GraphBuilder b, Node node, Map<Integer, String> vertex) {
        Op op = node.op();
        String name = node.name();
        String[] in = node.inputs().stream().map(vertex::get).toArray(String[]::new);
        if (op instanceof Op.Input) {
            return INPUT;
        }
        if (op instanceof Op.Conv c) {
            int cin = node.input().channels();
            if (c.depthwise(cin)) {
                b.addLayer(
                        name,
                        new DepthwiseConvolution2D.Builder(c.kernel(), c.kernel())
                                .stride(c.stride(), c.stride())
                                .padding(c.padding(), c.padding())
                                .depthMultiplier(1)
                                .nOut(c.out())
                                .hasBias(c.bias())
                                .activation(org.nd4j.linalg.activations.Activation.IDENTITY)
                                .build(),
                        in);
            } else if (c.groups() == 1) {
                b.addLayer(
                        name,
                        new ConvolutionLayer.Builder(c.kernel(), c.kernel())
                                .stride(c.stride(), c.stride())
                                .padding(c.padding(), c.padding())
                                .nOut(c.out())
                                .hasBias(c.bias())
                                .activation(org.nd4j.linalg.activations.Activation.IDENTITY)
                                .build(),
                        in);
            } else {
                throw unsupported(node, "grouped convolution (groups " + c.groups() + ")");
            }
            return name;
        }
        if (op instanceof Op.BatchNorm) {
            b.addLayer(
                    name,
                    new BatchNormalization.Builder()
                            .eps(1e-5)
                            .decay(0.9)
                            .useLogStd(false)
                            .build(),
                    in);
            return name;
        }
        if (op instanceof Op.Act a) {
            if (a.activation() == Activation.NONE) {
                return in[0];
            }
            b.addLayer(
                    name,
                    new ActivationLayer.Builder()
                            .activation(activation(node, a.activation()))
                            .build(),
                    in);
            return name;
        }
        if (op instanceof Op.Pool p) {
            b.addLayer(
                    name,
                    new SubsamplingLayer.Builder(
                                    p.type() == Op.PoolType.MAX
                                            ? SubsamplingLayer.PoolingType.MAX
                                            : SubsamplingLayer.PoolingType.AVG)
                            .kernelSize(p.kernel(), p.kernel())
                            .stride(p.stride(), p.stride())
                            .padding(p.padding(), p.padding())
                            .avgPoolIncludePadInDivisor(true)
                            .build(),
                    in);
            return name;
        }
        if (op instanceof Op.GlobalPool p) {
            b.addLayer(
                    name,
                    new GlobalPoolingLayer.Builder(p.type() == Op.PoolType.MAX ? PoolingType.MAX : PoolingType.AVG)
                            .collapseDimensions(false)
                            .build(),
                    in);
            return name;
        }
        if (op instanceof Op.Add) {
            b.addVertex(name, new ElementWiseVertex(ElementWiseVertex.Op.Add), in);
            return name;
        }
        if (op instanceof Op.Concat) {
            b.addVertex(name, new MergeVertex(), in);
            return name;
        }
        if (op instanceof Op.Slice s) {
            b.addVertex(name, new SubsetVertex(s.from(), s.to() - 1), in);
            return name;
        }
        if (op instanceof Op.Dropout d) {
            if (d.p() == 0) {
                return in[0];
            }
            b.addLayer(name, new DropoutLayer.Builder(1.0 - d.p()).build(), in);
            return name;
        }
        if (op instanceof Op.Linear l) {
            b.addLayer(
                    name,
                    new DenseLayer.Builder()
                            .nOut(l.out())
                            .hasBias(l.bias())
                            .activation(org.nd4j.linalg.activations.Activation.IDENTITY)
                            .build(),
                    in);
            return name;
        }
        if (op instanceof Op.Scale) {
            throw unsupported(node, "squeeze-and-excite channel scaling (a broadcast multiply)");
        }
        if (op instanceof Op.Shuffle s) {
            throw unsupported(node, "channel shuffle (groups " + s.groups() + ")");
        }
        throw unsupported(node, op.toString());
    }

    private static org.nd4j.linalg.activations.Activation activation(Node node, Activation a) {
        return switch (a) {
            case RELU -> org.nd4j.linalg.activations.Activation.RELU;
            case RELU6 -> org.nd4j.linalg.activations.Activation.RELU6;
            case SIGMOID -> org.nd4j.linalg.activations.Activation.SIGMOID;
            case SWISH -> org.nd4j.linalg.activations.Activation.SWISH;
            case NONE -> org.nd4j.linalg.activations.Activation.IDENTITY;
            default ->
                throw unsupported(
                        node,
                        "activation " + a + " (DL4J has no equivalent with PyTorch's "
                                + "definition; supported: NONE, RELU, RELU6, SIGMOID, SWISH)");
        };
    }

    private static IllegalArgumentException unsupported(Node node, String what) {
        return new IllegalArgumentException(
                node.name() + ": " + what + " cannot be exported to a DL4J " + "ComputationGraph");
    }

    private void copyWeights(ComputationGraph cg, Node node) {
        Op op = node.op();
        String name = node.name();
        if (op instanceof Op.Conv c) {
            int cin = node.input().channels();
            float[] w = param(name + ".weight").value();
            int k = c.kernel();
            int ig = cin / c.groups();
            INDArray target;
            if (c.depthwise(cin)) {
                // ours [c, k, k, 1]; DL4J [k, k, c, 1]
                float[] d = new float[w.length];
                for (int ch = 0; ch < c.out(); ch++) {
                    for (int t = 0; t < k * k; t++) {
                        d[t * c.out() + ch] = w[ch * k * k + t];
                    }
                }
                target = Nd4j.create(d, new long[] {k, k, c.out(), 1}, 'c');
            } else {
                // ours [out, ky, kx, in]; DL4J [out, in, ky, kx]
                float[] d = new float[w.length];
                for (int o = 0; o < c.out(); o++) {
                    for (int t = 0; t < k * k; t++) {
                        for (int i = 0; i < ig; i++) {
                            d[(o * ig + i) * k * k + t] = w[(o * k * k + t) * ig + i];
                        }
                    }
                }
                target = Nd4j.create(d, new long[] {c.out(), ig, k, k}, 'c');
            }
            set(cg, name, "W", target);
            if (c.bias()) {
                set(cg, name, "b", Nd4j.create(param(name + ".bias").value(), new long[] {1, c.out()}, 'c'));
            }
        } else if (op instanceof Op.BatchNorm) {
            int ch = node.output().channels();
            set(cg, name, "gamma", row(param(name + ".gamma").value(), ch));
            set(cg, name, "beta", row(param(name + ".beta").value(), ch));
            set(cg, name, "mean", row(param(name + ".running_mean").value(), ch));
            set(cg, name, "var", row(param(name + ".running_var").value(), ch));
        } else if (op instanceof Op.Linear l) {
            Shape s = node.input();
            int in = (int) s.elements();
            int hw = s.height() * s.width();
            float[] w = param(name + ".weight").value();
            // ours [out, in] over NHWC-flattened input; DL4J [in, out] over NCHW-flattened input
            float[] d = new float[w.length];
            for (int o = 0; o < l.out(); o++) {
                for (int p = 0; p < hw; p++) {
                    for (int ch = 0; ch < s.channels(); ch++) {
                        d[(ch * hw + p) * l.out() + o] = w[o * in + p * s.channels() + ch];
                    }
                }
            }
            set(cg, name, "W", Nd4j.create(d, new long[] {in, l.out()}, 'c'));
            if (l.bias()) {
                set(cg, name, "b", row(param(name + ".bias").value(), l.out()));
            }
        }
    }

    private static INDArray row(float[] v, int n) {
        return Nd4j.create(v, new long[] {1, n}, 'c');
    }

    private Param param(String name) {
        if (!weights.contains(name)) {
            throw new IllegalArgumentException("weights: no parameter '" + name + "' (the store does not belong to "
                    + "network " + spec.name() + ")");
        }
        return weights.get(name);
    }

    private static void set(ComputationGraph cg, String layer, String key, INDArray value) {
        INDArray p = cg.getLayer(layer).getParam(key);
        if (p == null || p.length() != value.length()) {
            throw new IllegalStateException(layer + ": DL4J parameter " + key + " has "
                    + (p == null ? "no array" : p.length() + " values") + ", expected " + value.length());
        }
        p.assign(value.reshape(p.shape()));
    }
}
