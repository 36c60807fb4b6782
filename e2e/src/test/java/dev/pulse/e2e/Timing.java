package dev.pulse.e2e;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The figures the issue asks for (helm install → operator Ready, → pipeline Ready, ...), printed at the end. */
final class Timing {

  private static final Map<String, Duration> FIGURES = new LinkedHashMap<>();

  private Timing() {}

  static synchronized void record(String what, long startNanos) {
    Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
    FIGURES.put(what, took);
    System.out.printf("[e2e figure] %s: %.1f s%n", what, took.toMillis() / 1000.0);
  }

  static synchronized String report() {
    StringBuilder out = new StringBuilder("[e2e figures]\n");
    FIGURES.forEach((k, v) -> out.append(String.format("  %-55s %7.1f s%n", k, v.toMillis() / 1000.0)));
    return out.toString();
  }
}
