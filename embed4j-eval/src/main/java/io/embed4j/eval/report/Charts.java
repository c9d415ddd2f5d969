package io.embed4j.eval.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Small PNG charts drawn with Java2D on a {@link BufferedImage}: works headless, needs no library.
 * Two kinds: lines (score against dimensions, one line per precision) and bars (one bar per
 * precision or per model).
 */
public final class Charts {
  private static final int WIDTH = 800;
  private static final int HEIGHT = 480;
  private static final int LEFT = 80;
  private static final int RIGHT = 170;
  private static final int TOP = 50;
  private static final int BOTTOM = 60;
  private static final Color[] PALETTE = {
    new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b)
  };

  private Charts() {}

  /** One line of points; x values ascending or not, they are drawn in the given order. */
  public record Series(String name, double[] x, double[] y) {
    public Series {
      if (x.length != y.length) {
        throw new IllegalArgumentException("series '" + name + "' has " + x.length + " x values but " + y.length + " y values");
      }
    }
  }

  public static BufferedImage lines(String title, String xLabel, String yLabel, List<Series> series) {
    double xMin = Double.POSITIVE_INFINITY;
    double xMax = Double.NEGATIVE_INFINITY;
    List<Double> ys = new ArrayList<>();
    for (Series s : series) {
      for (int i = 0; i < s.x().length; i++) {
        xMin = Math.min(xMin, s.x()[i]);
        xMax = Math.max(xMax, s.x()[i]);
        ys.add(s.y()[i]);
      }
    }
    if (xMin == xMax) {
      xMin -= 1;
      xMax += 1;
    }
    double[] yr = yRange(ys);
    BufferedImage img = canvas();
    Graphics2D g = graphics(img);
    frame(g, title, xLabel, yLabel, yr);
    // x ticks at the data's distinct x values
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    FontMetrics fm = g.getFontMetrics();
    java.util.TreeSet<Double> xs = new java.util.TreeSet<>();
    for (Series s : series) {
      for (double x : s.x()) {
        xs.add(x);
      }
    }
    for (double x : xs) {
      int px = px(x, xMin, xMax);
      g.setColor(Color.GRAY);
      g.draw(new Line2D.Double(px, TOP + plotHeight(), px, TOP + plotHeight() + 5));
      String t = number(x);
      g.setColor(Color.DARK_GRAY);
      g.drawString(t, px - fm.stringWidth(t) / 2, TOP + plotHeight() + 20);
    }
    for (int s = 0; s < series.size(); s++) {
      Series ser = series.get(s);
      Color c = PALETTE[s % PALETTE.length];
      g.setColor(c);
      g.setStroke(new BasicStroke(2.5f));
      for (int i = 0; i + 1 < ser.x().length; i++) {
        g.draw(new Line2D.Double(px(ser.x()[i], xMin, xMax), py(ser.y()[i], yr), px(ser.x()[i + 1], xMin, xMax), py(ser.y()[i + 1], yr)));
      }
      for (int i = 0; i < ser.x().length; i++) {
        int x = px(ser.x()[i], xMin, xMax);
        int y = py(ser.y()[i], yr);
        g.fillOval(x - 4, y - 4, 9, 9);
      }
      legend(g, s, ser.name(), c);
    }
    g.dispose();
    return img;
  }

  /** One bar per label; {@code notes} (may be null) are printed above the bars. */
  public static BufferedImage bars(String title, String yLabel, List<String> labels, double[] values, List<String> notes) {
    if (labels.size() != values.length) {
      throw new IllegalArgumentException(labels.size() + " labels but " + values.length + " values");
    }
    List<Double> ys = new ArrayList<>();
    for (double v : values) {
      ys.add(v);
    }
    double[] yr = yRange(ys);
    BufferedImage img = canvas();
    Graphics2D g = graphics(img);
    frame(g, title, null, yLabel, yr);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    FontMetrics fm = g.getFontMetrics();
    int n = values.length;
    double slot = (double) plotWidth() / Math.max(1, n);
    for (int i = 0; i < n; i++) {
      int x0 = LEFT + (int) Math.round(i * slot + slot * 0.15);
      int w = (int) Math.round(slot * 0.7);
      int y = py(values[i], yr);
      g.setColor(PALETTE[i % PALETTE.length]);
      g.fillRect(x0, y, w, TOP + plotHeight() - y);
      g.setColor(Color.DARK_GRAY);
      String label = labels.get(i);
      g.drawString(label, x0 + w / 2 - fm.stringWidth(label) / 2, TOP + plotHeight() + 20);
      String value = String.format(Locale.ROOT, "%.4f", values[i]);
      g.drawString(value, x0 + w / 2 - fm.stringWidth(value) / 2, y - 6);
      if (notes != null && i < notes.size() && notes.get(i) != null) {
        String note = notes.get(i);
        g.setColor(Color.GRAY);
        g.drawString(note, x0 + w / 2 - fm.stringWidth(note) / 2, TOP + plotHeight() + 38);
      }
    }
    g.dispose();
    return img;
  }

  /** Writes a PNG under a temporary name, then renames it. */
  public static void writePng(BufferedImage img, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
    try {
      if (!ImageIO.write(img, "png", tmp.toFile())) {
        throw new IOException("no PNG writer available");
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static BufferedImage canvas() {
    return new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
  }

  private static Graphics2D graphics(BufferedImage img) {
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, HEIGHT);
    return g;
  }

  /** Title, axes, y grid with ticks, axis labels. */
  private static void frame(Graphics2D g, String title, String xLabel, String yLabel, double[] yr) {
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString(title, LEFT, TOP - 20);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    FontMetrics fm = g.getFontMetrics();
    for (double t = yr[0]; t <= yr[1] + yr[2] / 2; t += yr[2]) {
      int y = py(t, yr);
      g.setColor(new Color(0xe6e6e6));
      g.draw(new Line2D.Double(LEFT, y, LEFT + plotWidth(), y));
      g.setColor(Color.DARK_GRAY);
      String s = number(t);
      g.drawString(s, LEFT - 8 - fm.stringWidth(s), y + fm.getAscent() / 2 - 1);
    }
    g.setColor(Color.BLACK);
    g.setStroke(new BasicStroke(1.2f));
    g.draw(new Line2D.Double(LEFT, TOP, LEFT, TOP + plotHeight()));
    g.draw(new Line2D.Double(LEFT, TOP + plotHeight(), LEFT + plotWidth(), TOP + plotHeight()));
    if (xLabel != null) {
      g.drawString(xLabel, LEFT + plotWidth() / 2 - fm.stringWidth(xLabel) / 2, HEIGHT - 15);
    }
    if (yLabel != null) {
      Graphics2D r = (Graphics2D) g.create();
      r.rotate(-Math.PI / 2);
      r.drawString(yLabel, -(TOP + plotHeight() / 2) - fm.stringWidth(yLabel) / 2, 20);
      r.dispose();
    }
  }

  private static void legend(Graphics2D g, int index, String name, Color c) {
    int x = LEFT + plotWidth() + 20;
    int y = TOP + 10 + index * 22;
    g.setColor(c);
    g.fillRect(x, y - 9, 14, 10);
    g.setColor(Color.DARK_GRAY);
    g.drawString(name, x + 20, y);
  }

  /** [min, max, step] of a y axis with round ticks covering the values. */
  static double[] yRange(List<Double> values) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      if (Double.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (lo == Double.POSITIVE_INFINITY) {
      lo = 0;
      hi = 1;
    }
    if (hi - lo < 1e-9) {
      lo -= 0.05;
      hi += 0.05;
    }
    double pad = (hi - lo) * 0.1;
    lo -= pad;
    hi += pad;
    double raw = (hi - lo) / 6;
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double step = raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
    return new double[] {Math.floor(lo / step) * step, Math.ceil(hi / step) * step, step};
  }

  private static int plotWidth() {
    return WIDTH - LEFT - RIGHT;
  }

  private static int plotHeight() {
    return HEIGHT - TOP - BOTTOM;
  }

  private static int px(double x, double min, double max) {
    return LEFT + 20 + (int) Math.round((x - min) / (max - min) * (plotWidth() - 40));
  }

  private static int py(double y, double[] yr) {
    return TOP + (int) Math.round((yr[1] - y) / (yr[1] - yr[0]) * plotHeight());
  }

  private static String number(double v) {
    if (Math.abs(v - Math.rint(v)) < 1e-9) {
      return Long.toString(Math.round(v));
    }
    String s = String.format(Locale.ROOT, "%.4f", v);
    return s.replaceAll("0+$", "").replaceAll("\\.$", "");
  }
}
