package org.mobilenas.spaces.catalog;

import java.util.SplittableRandom;
import org.mobilenas.core.data.ImageDataset;
import org.mobilenas.core.engine.Network;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.train.Evaluation;

/**
 * Run in its own JVM by {@link InferenceMemoryTest}: evaluates MobileNetV2-0.35 at 224 px on 256 images with the
 * default evaluation batch of 256, printing the batch size the network could afford and the accuracy.
 */
public final class EvaluateInSmallHeap {
    private EvaluateInSmallHeap() {}

    /** Runs the evaluation; prints {@code batch=<n> top1=<x>}. */
    public static void main(String[] args) {
        NetworkSpec spec = MobileNets.mobileNetV2(0.35, 224, 10);
        int n = 256;
        SplittableRandom r = new SplittableRandom(1);
        float[] pixels = new float[n * 224 * 224 * 3];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) r.nextGaussian();
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
        }
        ImageDataset data = new ImageDataset(pixels, labels, 224, 224, 3, 10);
        pixels = null;
        Network net = Network.realize(spec, 1);
        int batch = net.affordableBatch(256);
        Evaluation e = Evaluation.of(net, data, 256);
        System.out.println("batch=" + batch + " top1=" + e.top1() + " examples=" + e.examples());
    }
}
