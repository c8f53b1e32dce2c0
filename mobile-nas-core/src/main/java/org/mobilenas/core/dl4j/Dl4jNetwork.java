package org.mobilenas.core.dl4j;

import java.util.Objects;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.mobilenas.core.engine.Tensor;
import org.mobilenas.core.spec.Shape;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A spec exported to DL4J by {@link Dl4jExport}: evaluation to logits and SGD steps with the engine's NHWC
 * tensors and integer labels, plus the underlying {@link ComputationGraph} for deployment with DL4J.
 *
 * <pre>{@code
 * Dl4jNetwork dl4j = Dl4jExport.builder(spec).weights(net.parameters()).build();
 * Tensor logits = dl4j.logits(x);
 * double loss = dl4j.fit(x, labels);
 * }</pre>
 */
public final class Dl4jNetwork {
    private final ComputationGraph graph;
    private final String logitsVertex;
    private final Shape input;

    Dl4jNetwork(ComputationGraph graph, String logitsVertex, Shape input) {
        this.graph = graph;
        this.logitsVertex = logitsVertex;
        this.input = input;
    }

    /** The DL4J network (its output is the softmax loss layer {@link Dl4jExport#LOSS}). */
    public ComputationGraph graph() {
        return graph;
    }

    /** Name of the vertex whose activations are the logits. */
    public String logitsVertex() {
        return logitsVertex;
    }

    /** Converts an NHWC batch to DL4J's NCHW layout. */
    public INDArray toNchw(Tensor x) {
        Objects.requireNonNull(x, "x");
        if (x.h != input.height() || x.w != input.width() || x.c != input.channels()) {
            throw new IllegalArgumentException("input " + x + " does not match the network input n x " + input.height()
                    + "x" + input.width() + "x" + input.channels());
        }
        float[] d = new float[x.size()];
        int hw = x.h * x.w;
        for (int b = 0; b < x.n; b++) {
            for (int p = 0; p < hw; p++) {
                for (int c = 0; c < x.c; c++) {
                    d[(b * x.c + c) * hw + p] = x.data[(b * hw + p) * x.c + c];
                }
            }
        }
        return Nd4j.create(d, new long[] {x.n, x.c, x.h, x.w}, 'c');
    }

    /** Logits {@code [n, 1, 1, classes]} of an NHWC batch in inference mode (running BN statistics). */
    public Tensor logits(Tensor x) {
        return logits(toNchw(x));
    }

    /** Logits of an NCHW batch in inference mode. */
    public Tensor logits(INDArray nchw) {
        INDArray out = graph.feedForward(nchw, false).get(logitsVertex);
        int n = (int) out.size(0);
        int c = (int) out.size(1);
        return new Tensor(
                out.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT)
                        .dup('c')
                        .data()
                        .asFloat(),
                n,
                1,
                1,
                c);
    }

    /** One-hot labels {@code [n, classes]} for integer labels. */
    public INDArray oneHot(int[] labels) {
        long classes = graph.getLayer(logitsVertex).getParam("W").size(1);
        INDArray y = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, labels.length, classes);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("labels[" + i + "] = " + labels[i] + " not in [0, " + classes + ")");
            }
            y.putScalar(i, labels[i], 1f);
        }
        return y;
    }

    /** One SGD step on an NHWC batch; returns DL4J's score (mean cross-entropy) after the step. */
    public double fit(Tensor x, int[] labels) {
        return fit(toNchw(x), oneHot(labels));
    }

    /** One SGD step on prepared NCHW features and one-hot labels; returns DL4J's score. */
    public double fit(INDArray nchw, INDArray oneHot) {
        graph.fit(new DataSet(nchw, oneHot));
        return graph.score();
    }
}
