package org.mobilenas.core.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The one place that draws with XChart (an optional dependency), loaded only when a plot is written. */
final class PlotPng {
    private PlotPng() {}

    static void write(String title, String xLabel, String yLabel, List<Object[]> series, Path png) {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder()
                .width(800)
                .height(520)
                .title(title)
                .xAxisTitle(xLabel)
                .yAxisTitle(yLabel)
                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setMarkerSize(9);
        int k = 0;
        var markers = List.of(
                SeriesMarkers.CIRCLE,
                SeriesMarkers.DIAMOND,
                SeriesMarkers.SQUARE,
                SeriesMarkers.TRIANGLE_UP,
                SeriesMarkers.TRIANGLE_DOWN,
                SeriesMarkers.CROSS);
        for (Object[] s : series) {
            double[] es = (double[]) s[3];
            XYSeries xy = es == null
                    ? chart.addSeries((String) s[0], (double[]) s[1], (double[]) s[2])
                    : chart.addSeries((String) s[0], (double[]) s[1], (double[]) s[2], es);
            boolean line = (Boolean) s[4];
            boolean plain = (Boolean) s[5] || line && ((double[]) s[1]).length > 12;
            if (plain) {
                xy.setMarker(SeriesMarkers.NONE);
            } else {
                xy.setMarker(markers.get(k % markers.size()));
                k++;
            }
            xy.setXYSeriesRenderStyle(line ? XYSeries.XYSeriesRenderStyle.Line : XYSeries.XYSeriesRenderStyle.Scatter);
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
