package org.mobilenas.core.experiment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A result plot: named series of points with optional error bars (one marker per series, legend, axis titles
 * with units), written as PNG.
 *
 * <pre>{@code
 * Plot.of("Fashion-MNIST", "MACs (millions)", "test top-1")
 *     .series("tiny", x, y, std, true)
 *     .write(Path.of("out/accuracy.png"));
 * }</pre>
 */
public final class Plot {
    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Object[]> series = new ArrayList<>();

    private Plot(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** A plot with a title and axis titles (give the units in them). */
    public static Plot of(String title, String xLabel, String yLabel) {
        return new Plot(title, xLabel, yLabel);
    }

    /**
     * Adds a series; {@code err} (may be null) holds each point's error bar half-height; {@code NaN} points are
     * dropped.
     */
    public Plot series(String name, double[] x, double[] y, double[] err, boolean line) {
        if (name == null || x == null || y == null || x.length != y.length || (err != null && err.length != y.length)) {
            throw new IllegalArgumentException("series '" + name + "': expected x, y (and err) of equal length");
        }
        List<double[]> pts = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                double e = err == null || !Double.isFinite(err[i]) ? 0 : err[i];
                pts.add(new double[] {x[i], y[i], e});
            }
        }
        if (!pts.isEmpty()) {
            double[] xs = pts.stream().mapToDouble(p -> p[0]).toArray();
            double[] ys = pts.stream().mapToDouble(p -> p[1]).toArray();
            double[] es =
                    err == null ? null : pts.stream().mapToDouble(p -> p[2]).toArray();
            series.add(new Object[] {name, xs, ys, es, line, Boolean.FALSE});
        }
        return this;
    }

    /** Adds a line without markers (a reference such as a target or {@code y = x}). */
    public Plot reference(String name, double[] x, double[] y) {
        series(name, x, y, null, true);
        if (!series.isEmpty() && series.get(series.size() - 1)[0].equals(name)) {
            series.get(series.size() - 1)[5] = Boolean.TRUE;
        }
        return this;
    }

    /** Whether XChart, the optional plotting dependency, is on the classpath. */
    public static boolean available() {
        try {
            Class.forName("org.knowm.xchart.XYChart", false, Plot.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Writes the plot as a PNG file (parent directories created).
     *
     * @throws IllegalStateException when XChart (an optional dependency) is not on the classpath
     */
    public void write(Path png) {
        if (!available()) {
            throw new IllegalStateException("cannot write plot " + png + ": plots need the optional dependency "
                    + "org.knowm.xchart:xchart on the classpath");
        }
        PlotPng.write(title, xLabel, yLabel, series, png);
    }
}
