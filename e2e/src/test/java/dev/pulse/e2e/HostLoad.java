package dev.pulse.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The whole machine's CPU (from /proc/stat) and load average: the cluster bench reports them beside the pods' own
 * figures, since on a shared machine other work moves the results more than any setting.
 */
final class HostLoad {

  /** Cumulative jiffies of all CPUs: busy (not idle, not waiting for I/O) and total. */
  record Ticks(long busy, long total) {
    /** Cores busy on average between {@code before} and this. */
    double coresSince(Ticks before, int cores) {
      long total = this.total - before.total;
      return total <= 0 ? 0 : cores * (double) (busy - before.busy) / total;
    }
  }

  private HostLoad() {}

  static Ticks ticks() {
    return parseStat(read("/proc/stat"));
  }

  /** The first line of /proc/stat: {@code cpu user nice system idle iowait irq softirq steal …}. */
  static Ticks parseStat(String stat) {
    String[] f = stat.lines().filter(l -> l.startsWith("cpu ")).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no cpu line in /proc/stat")).trim().split("\\s+");
    long total = 0;
    for (int i = 1; i < Math.min(f.length, 9); i++) { // guest times are already in user and nice
      total += Long.parseLong(f[i]);
    }
    long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
    return new Ticks(total - idle, total);
  }

  /** The 1-, 5- and 15-minute load averages, as /proc/loadavg writes them. */
  static String loadAverage() {
    String[] f = read("/proc/loadavg").trim().split("\\s+");
    return f[0] + " " + f[1] + " " + f[2];
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
