package io.embed4j.train.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** A small line chart drawn with Java 2D (headless) and written as PNG: axes, ticks, legend. */
public final class LineChart {
  private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
      new Color(0x9467bd)};
  private static final int WIDTH = 800;
  private static final int HEIGHT = 480;
  private static final int LEFT = 70;
  private static final int RIGHT = 20;
  private static final int TOP = 40;
  private static final int BOTTOM = 50;

  /** A named series of (x, y) points. */
  public record Series(String name, List<double[]> points) {}

  private LineChart() {}

  public static void write(Path file, String title, String xLabel, String yLabel, List<Series> series) throws IOException {
    System.setProperty("java.awt.headless", "true");
    double minX = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY;
    double minY = Double.POSITIVE_INFINITY;
    double maxY = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (double[] p : s.points()) {
        minX = Math.min(minX, p[0]);
        maxX = Math.max(maxX, p[0]);
        minY = Math.min(minY, p[1]);
        maxY = Math.max(maxY, p[1]);
      }
    }
    if (!Double.isFinite(minX)) {
      minX = 0;
      maxX = 1;
      minY = 0;
      maxY = 1;
    }
    if (maxX == minX) {
      maxX = minX + 1;
    }
    if (maxY == minY) {
      maxY = minY + 1;
    }
    double padY = (maxY - minY) * 0.05;
    minY -= padY;
    maxY += padY;
    BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, HEIGHT);
    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = HEIGHT - TOP - BOTTOM;
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (int i = 0; i <= 5; i++) {
      double fy = minY + (maxY - minY) * i / 5;
      int y = TOP + plotH - (int) Math.round(plotH * i / 5.0);
      g.setColor(new Color(0xe0e0e0));
      g.drawLine(LEFT, y, LEFT + plotW, y);
      g.setColor(Color.DARK_GRAY);
      g.drawString(String.format(Locale.ROOT, "%.3g", fy), 5, y + 4);
      double fx = minX + (maxX - minX) * i / 5;
      int x = LEFT + (int) Math.round(plotW * i / 5.0);
      g.drawString(String.format(Locale.ROOT, "%.0f", fx), x - 10, TOP + plotH + 18);
    }
    g.setColor(Color.BLACK);
    g.drawRect(LEFT, TOP, plotW, plotH);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString(title, LEFT, 24);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.drawString(xLabel, LEFT + plotW / 2 - 15, HEIGHT - 10);
    g.drawString(yLabel, 5, TOP - 8);
    for (int k = 0; k < series.size(); k++) {
      Series s = series.get(k);
      g.setColor(COLORS[k % COLORS.length]);
      g.setStroke(new BasicStroke(k == 0 && series.size() > 1 && s.points().size() > 50 ? 1f : 2f));
      int px = -1;
      int py = -1;
      for (double[] p : s.points()) {
        int x = LEFT + (int) Math.round((p[0] - minX) / (maxX - minX) * plotW);
        int y = TOP + plotH - (int) Math.round((p[1] - minY) / (maxY - minY) * plotH);
        if (px >= 0) {
          g.drawLine(px, py, x, y);
        }
        if (s.points().size() <= 30) {
          g.fillOval(x - 3, y - 3, 6, 6);
        }
        px = x;
        py = y;
      }
      g.fillRect(LEFT + plotW - 220, TOP + 10 + 18 * k, 12, 12);
      g.setColor(Color.BLACK);
      g.drawString(s.name(), LEFT + plotW - 202, TOP + 21 + 18 * k);
    }
    g.dispose();
    ImageIO.write(img, "png", file.toFile());
  }
}
