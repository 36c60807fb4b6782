package dev.pulse.scoring.eval;

import dev.pulse.event.Label;

import java.util.Locale;

/** Counts of gold (rows) against predicted (columns) labels and TweetEval's metrics over them. */
public final class ConfusionMatrix {
  private final long[][] counts = new long[3][3];

  public void add(Label gold, Label predicted) {
    counts[gold.index()][predicted.index()]++;
  }

  public long count(Label gold, Label predicted) {
    return counts[gold.index()][predicted.index()];
  }

  public long total() {
    long n = 0;
    for (long[] row : counts) for (long c : row) n += c;
    return n;
  }

  public double recall(Label c) {
    long row = 0;
    for (long v : counts[c.index()]) row += v;
    return row == 0 ? 0 : (double) counts[c.index()][c.index()] / row;
  }

  public double precision(Label c) {
    long col = 0;
    for (long[] row : counts) col += row[c.index()];
    return col == 0 ? 0 : (double) counts[c.index()][c.index()] / col;
  }

  /** TweetEval's official sentiment metric: the mean of the three per-class recalls. */
  public double macroRecall() {
    double s = 0;
    for (Label c : Label.values()) s += recall(c);
    return s / 3;
  }

  public double macroF1() {
    double s = 0;
    for (Label c : Label.values()) {
      double p = precision(c), r = recall(c);
      s += p + r == 0 ? 0 : 2 * p * r / (p + r);
    }
    return s / 3;
  }

  public double accuracy() {
    long right = 0;
    for (int i = 0; i < 3; i++) right += counts[i][i];
    return total() == 0 ? 0 : (double) right / total();
  }

  public String render() {
    StringBuilder b = new StringBuilder("gold \\ predicted   negative    neutral   positive\n");
    for (Label g : Label.values()) {
      b.append(String.format(Locale.ROOT, "%-17s", g.name().toLowerCase(Locale.ROOT)));
      for (Label p : Label.values()) b.append(String.format(Locale.ROOT, " %10d", count(g, p)));
      b.append('\n');
    }
    return b.toString();
  }
}
