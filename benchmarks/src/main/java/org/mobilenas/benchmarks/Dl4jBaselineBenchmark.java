package org.mobilenas.benchmarks;

import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The plain DL4J path as a baseline: one SGD step of a small depthwise/pointwise conv net (32x32x3 input,
 * batch 64) through {@code MultiLayerNetwork.fit}, plus ND4J's own GEMM at 1024^3 as the BLAS reference.
 * Run once per ND4J backend build to compare backends, e.g.
 * {@code mvn -q -pl benchmarks -am package -DskipTests && java -jar benchmarks/target/benchmarks.jar Dl4jBaseline}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class Dl4jBaselineBenchmark {
    private MultiLayerNetwork net;
    private INDArray features;
    private INDArray labels;
    private INDArray a;
    private INDArray b;
    private INDArray c;

    @Setup
    public void setup() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(7)
                .updater(new Sgd(0.01))
                .weightInit(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Same)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3)
                        .nOut(32)
                        .stride(2, 2)
                        .activation(Activation.IDENTITY)
                        .hasBias(false)
                        .build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new ActivationLayer(Activation.RELU6))
                .layer(new DepthwiseConvolution2D.Builder(3, 3)
                        .depthMultiplier(1)
                        .stride(1, 1)
                        .activation(Activation.IDENTITY)
                        .hasBias(false)
                        .build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new ActivationLayer(Activation.RELU6))
                .layer(new ConvolutionLayer.Builder(1, 1)
                        .nOut(96)
                        .activation(Activation.IDENTITY)
                        .hasBias(false)
                        .build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new ActivationLayer(Activation.RELU6))
                .layer(new DepthwiseConvolution2D.Builder(3, 3)
                        .depthMultiplier(1)
                        .stride(2, 2)
                        .activation(Activation.IDENTITY)
                        .hasBias(false)
                        .build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new ActivationLayer(Activation.RELU6))
                .layer(new ConvolutionLayer.Builder(1, 1)
                        .nOut(24)
                        .activation(Activation.IDENTITY)
                        .hasBias(false)
                        .build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new GlobalPoolingLayer(PoolingType.AVG))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nOut(10)
                        .activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutional(32, 32, 3))
                .build();
        net = new MultiLayerNetwork(conf);
        net.init();
        Nd4j.getRandom().setSeed(11);
        features = Nd4j.rand(new int[] {64, 3, 32, 32});
        labels = Nd4j.zeros(64, 10);
        for (int i = 0; i < 64; i++) {
            labels.putScalar(i, i % 10, 1.0);
        }
        a = Nd4j.rand(1024, 1024);
        b = Nd4j.rand(1024, 1024);
        c = Nd4j.zeros(1024, 1024);
    }

    /** One SGD step of the DL4J network (forward, backward, update). */
    @Benchmark
    public double dl4jTrainingStep() {
        net.fit(features, labels);
        return net.score();
    }

    /** ND4J GEMM 1024^3 (2.15 GFLOP per call). */
    @Benchmark
    public INDArray nd4jGemm1024() {
        return Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
    }
}
