package dev.pulse.e2e;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code ./pulse bench cluster}'s result as markdown: the rates side by side (cluster, local mode), the pods' CPU and
 * memory per rate, and each side's sustained rate at p99 &lt; 1 s against the goal (the cluster at least
 * {@link #GOAL} of local mode's).
 *
 * @param header lines printed first (command, date, machine, settings)
 * @param rates the offered rates, in the order run
 * @param cluster the cluster's steps measured (fewer than the rates when it failed)
 * @param local local mode's rows; empty with {@code --no-local} or when it failed
 * @param problems what failed, one a line (empty on a clean run)
 */
record BenchReport(List<String> header, List<Integer> rates, List<ClusterStep> cluster,
    List<LocalPipelineBench.LocalRun> local, boolean localRan, List<String> problems) {

  static final double GOAL = 0.70;
  /** Column order of the pods table; a role not listed goes last. */
  static final List<String> ROLES = List.of("kafka", "operator", "ingester", "spark driver", "spark executor",
      "dashboard");

  String markdown() {
    StringBuilder out = new StringBuilder();
    header.forEach(h -> out.append(h).append('\n'));
    out.append('\n');
    out.append("| offered posts/s | cluster: posts | cluster: scored posts/s "
        + "| cluster: ingest → scored p50 / p95 / p99 ms | cluster: ingest → dashboard p50 / p95 / p99 ms "
        + "| local: posts | local: scored posts/s | local: ingest → scored p50 / p95 / p99 ms |\n");
    out.append("|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int rate : rates) {
      Optional<ClusterStep> c = cluster.stream().filter(s -> s.rate() == rate).findFirst();
      Optional<LocalPipelineBench.LocalRun> l = local.stream().filter(r -> r.rate() == rate).findFirst();
      out.append("| ").append(rate)
          .append(" | ").append(c.map(BenchReport::posts).orElse("–"))
          .append(" | ").append(c.map(s -> rate(s.achieved())).orElse("–"))
          .append(" | ").append(c.map(s -> s.latency().cell()).orElse("–"))
          .append(" | ").append(c.map(s -> s.toDashboard().cell() + " (" + s.dashboardPosts() + " posts)")
              .orElse("–"))
          .append(" | ").append(l.map(r -> r.finished() ? String.valueOf(r.posts()) : r.posts() + " (unfinished)")
              .orElse(localRan ? "skipped" : "–"))
          .append(" | ").append(l.filter(LocalPipelineBench.LocalRun::finished).map(r -> rate(r.achieved()))
              .orElse("–"))
          .append(" | ").append(l.map(r -> r.latency().cell()).orElse("–"))
          .append(" |\n");
    }
    if (!cluster.isEmpty()) {
      out.append('\n').append("Pods on the cluster at each rate: CPU cores (average over the step) / working set MiB "
          + "(at its end), from the kubelet's resource metrics; the machine's busy cores and load average (everything "
          + "on it):\n\n");
      List<String> roles = roles();
      out.append("| offered posts/s | ").append(String.join(" | ", roles))
          .append(" | all Pulse pods | ingester's pace posts/s | machine busy cores | load average |\n");
      out.append("|---:|").append("---:|".repeat(roles.size())).append("---:|---:|---:|---:|\n");
      for (ClusterStep s : cluster) {
        out.append("| ").append(s.rate());
        ClusterStep.Usage all = new ClusterStep.Usage(0, 0);
        for (String role : roles) {
          ClusterStep.Usage u = s.pods().get(role);
          out.append(" | ").append(u == null ? "–" : usage(u));
          if (u != null) {
            all = all.plus(u);
          }
        }
        out.append(" | ").append(usage(all))
            .append(" | ").append(rate(s.ingestedPerSecond()))
            .append(" | ").append(String.format(Locale.ROOT, "%.2f", s.hostBusyCores()))
            .append(" | ").append(s.loadAverage()).append(" |\n");
      }
    }
    out.append('\n').append(String.format(Locale.ROOT, "Sustained rate at p99 < 1 s (every post scored, at >= %.0f %% "
        + "of the offered rate, p99 ingest → scored < %d ms):%n", 100 * RateRun.KEPT_UP, RateRun.P99_BOUND_MILLIS));
    Optional<RateRun> c = RateRun.bestSustained(cluster);
    Optional<RateRun> l = RateRun.bestSustained(local);
    out.append("- cluster: ").append(describe(c, !cluster.isEmpty())).append('\n');
    out.append("- local mode: ").append(localRan ? describe(l, !local.isEmpty()) : "not run").append('\n');
    out.append("- ").append(verdict(c, l)).append('\n');
    if (!problems.isEmpty()) {
      out.append('\n').append("Problems:\n");
      problems.forEach(p -> out.append("- ").append(p.replace("\n", "\n  ")).append('\n'));
    }
    return out.toString();
  }

  /** The goal line: cluster / local against {@link #GOAL}, with what limits the ratio's meaning. */
  String verdict(Optional<RateRun> c, Optional<RateRun> l) {
    String goal = String.format(Locale.ROOT, "goal: the cluster sustains >= %.0f %% of local mode's rate", 100 * GOAL);
    if (!localRan || l.isEmpty()) {
      return goal + ": not judged (" + (localRan ? "local mode sustained no rate" : "local mode not run") + ")";
    }
    if (cluster.isEmpty()) {
      return goal + ": not judged (no cluster step measured)";
    }
    double ratio = c.map(RateRun::achieved).orElse(0.0) / l.get().achieved();
    String line = String.format(Locale.ROOT, "%s: cluster / local = %.0f %% -> %s", goal, 100 * ratio,
        ratio >= GOAL ? "met" : "NOT met");
    int top = rates.stream().mapToInt(Integer::intValue).max().orElse(0);
    if (l.get().rate() == top) {
      line += " (local mode sustained the highest rate offered, so its capacity may be higher and the ratio is an "
          + "upper bound: add higher --rates to find it)";
    }
    return line;
  }

  private List<String> roles() {
    Set<String> seen = new LinkedHashSet<>();
    cluster.forEach(s -> seen.addAll(s.pods().keySet()));
    List<String> out = new ArrayList<>(ROLES.stream().filter(seen::contains).toList());
    seen.stream().filter(r -> !ROLES.contains(r)).sorted().forEach(out::add);
    return out;
  }

  private static String describe(Optional<RateRun> best, boolean measured) {
    if (!measured) {
      return "not measured";
    }
    return best.map(r -> String.format(Locale.ROOT, "%s posts/s (offered %d, p99 %,d ms)", rate(r.achieved()),
        r.rate(), r.latency().p99())).orElse("none (no rate met the rule)");
  }

  private static String posts(ClusterStep s) {
    if (s.finished()) {
      return s.deadLettered() == 0 ? String.valueOf(s.posts())
          : s.posts() + " (" + s.deadLettered() + " dead-lettered)";
    }
    return s.posts() + " (unfinished: " + s.scored() + " scored)";
  }

  private static String rate(double postsPerSecond) {
    return String.format(Locale.ROOT, "%.1f", postsPerSecond);
  }

  private static String usage(ClusterStep.Usage u) {
    return String.format(Locale.ROOT, "%.2f / %.0f", u.cores(), u.memoryBytes() / (1024 * 1024));
  }
}
