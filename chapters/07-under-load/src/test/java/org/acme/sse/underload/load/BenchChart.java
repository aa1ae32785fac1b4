package org.acme.sse.underload.load;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws bench.sh's results (the generator's TSV lines: label, requested, open, failed, events/s, p50, p99, max,
 * RSS KB per stream, live heap KB per stream) as one PNG: p99 lateness and live heap per stream against the
 * number of streams, one line per server and transport.
 *
 * <pre>java -Djava.awt.headless=true -cp ... org.acme.sse.underload.load.BenchChart results.tsv chart.png</pre>
 */
public final class BenchChart {

    private BenchChart() {
    }

    public static void main(String[] args) throws IOException {
        List<String[]> rows = Files.readAllLines(Path.of(args[0])).stream()
                .filter(line -> !line.isBlank()).map(line -> line.split("\t")).toList();
        JFreeChart lateness = chart("Lateness, 99th percentile", "ms", rows, 6);
        JFreeChart heap = chart("Live heap per stream (after a full GC)", "KB", rows, 9);
        int width = 640;
        int height = 420;
        BufferedImage image = new BufferedImage(2 * width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        lateness.draw(g, new Rectangle2D.Double(0, 0, width, height));
        heap.draw(g, new Rectangle2D.Double(width, 0, width, height));
        g.dispose();
        ImageIO.write(image, "png", Path.of(args[1]).toFile());
    }

    private static JFreeChart chart(String title, String unit, List<String[]> rows, int column) {
        Map<String, XYSeries> series = new LinkedHashMap<>();
        for (String[] row : rows) {
            double value = Double.parseDouble(row[column]);
            if (!Double.isNaN(value)) {
                series.computeIfAbsent(row[0], XYSeries::new).add(Double.parseDouble(row[1]), value);
            }
        }
        XYSeriesCollection data = new XYSeriesCollection();
        series.values().forEach(data::addSeries);
        JFreeChart chart = ChartFactory.createXYLineChart(title, "streams (requested)", unit, data, PlotOrientation.VERTICAL,
                true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        Color[] colors = { new Color(0x1b9e77), new Color(0xd95f02), new Color(0x7570b3), new Color(0xe7298a),
                new Color(0x66a61e), new Color(0x444444) };
        for (int i = 0; i < colors.length; i++) {
            renderer.setSeriesPaint(i, colors[i]);
            renderer.setSeriesStroke(i, new java.awt.BasicStroke(2f));
        }
        plot.setRenderer(renderer);
        return chart;
    }
}
