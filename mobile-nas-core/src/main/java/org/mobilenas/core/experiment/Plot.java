package org.mobilenas.core.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

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
            double[] es = err == null ? null : pts.stream().mapToDouble(p -> p[2]).toArray();
            series.add(new Object[] {name, xs, ys, es, line});
        }
        return this;
    }

    /** Writes the plot as a PNG file (parent directories created). */
    public void write(Path png) {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(800).height(520).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        chart.getStyler().setMarkerSize(9);
        int k = 0;
        var markers = List.of(SeriesMarkers.CIRCLE, SeriesMarkers.DIAMOND, SeriesMarkers.SQUARE,
                SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.CROSS);
        for (Object[] s : series) {
            double[] es = (double[]) s[3];
            XYSeries xy = es == null ? chart.addSeries((String) s[0], (double[]) s[1], (double[]) s[2])
                    : chart.addSeries((String) s[0], (double[]) s[1], (double[]) s[2], es);
            boolean dense = ((double[]) s[1]).length > 12;
            xy.setMarker(dense ? SeriesMarkers.NONE : markers.get(k % markers.size()));
            k++;
            xy.setXYSeriesRenderStyle((Boolean) s[4] ? XYSeries.XYSeriesRenderStyle.Line
                    : XYSeries.XYSeriesRenderStyle.Scatter);
        }
        try {
            Path abs = png.toAbsolutePath();
            Files.createDirectories(abs.getParent());
            String name = abs.toString();
            String base = name.endsWith(".png") ? name.substring(0, name.length() - 4) : name;
            BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write plot " + png + ": " + e.getMessage(), e);
        }
    }
}
