package dev.pulse.e2e;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One rate on the cluster: what the feed's ingester sent while it ran at that rate, what the Spark pods scored of it
 * and when, what reached the dashboard pod, and what each pod used meanwhile.
 *
 * @param ingestedPerSecond the ingester's own pace: (posts − 1) / (last − first ingest time)
 * @param toDashboard the dashboard pod's histogram over the step (its posts only: read before and after, idle)
 * @param pods role → CPU cores and working set, from the kubelet
 * @param hostBusyCores the whole machine's busy cores meanwhile (other work included)
 */
record ClusterStep(int rate, int posts, int scored, int deadLettered, double ingestedPerSecond, double achieved,
    Latency latency, Latency toDashboard, long dashboardPosts, Map<String, Usage> pods, double hostBusyCores,
    String loadAverage) implements RateRun {

  /** A role's pods between the step's two kubelet scrapes. */
  record Usage(double cores, double memoryBytes) {
    Usage plus(Usage o) {
      return new Usage(cores + o.cores, memoryBytes + o.memoryBytes);
    }
  }

  /** A post as the feed topic holds it. */
  record Sent(String id, Instant ingestedAt) {}

  @Override
  public boolean finished() {
    return posts > 0 && scored + deadLettered >= posts;
  }

  /**
   * The step's figures from what it sent and what the scored topic held afterwards: only the step's posts count,
   * each once (its first write: the Kafka sink is at least once), latency = record timestamp − ingest time.
   */
  static ClusterStep measure(int rate, List<Sent> sent, List<PipelineTopics.Scored> scoredRecords,
      Set<String> deadLetterIds, TreeMap<Double, Double> dashboardDelta, Map<String, Usage> pods,
      double hostBusyCores, String loadAverage) {
    Set<String> ids = new HashSet<>();
    sent.forEach(s -> ids.add(s.id()));
    Set<String> seen = new HashSet<>();
    List<Long> millis = new ArrayList<>();
    long firstSent = sent.stream().mapToLong(s -> s.ingestedAt().toEpochMilli()).min().orElse(0);
    long lastSent = sent.stream().mapToLong(s -> s.ingestedAt().toEpochMilli()).max().orElse(0);
    long lastWritten = 0;
    for (PipelineTopics.Scored s : scoredRecords) {
      if (ids.contains(s.id()) && seen.add(s.id())) {
        millis.add(s.latency().toMillis());
        lastWritten = Math.max(lastWritten, s.writtenAt().toEpochMilli());
      }
    }
    int dead = (int) deadLetterIds.stream().filter(ids::contains).filter(id -> !seen.contains(id)).count();
    double pace = sent.size() < 2 || lastSent <= firstSent ? 0 : (sent.size() - 1) * 1000.0 / (lastSent - firstSent);
    return new ClusterStep(rate, sent.size(), seen.size(), dead, pace,
        RateRun.throughput(seen.size(), firstSent, lastWritten), Latency.of(millis),
        new Latency(DashboardLatency.quantileMillis(dashboardDelta, 0.50),
            DashboardLatency.quantileMillis(dashboardDelta, 0.95),
            DashboardLatency.quantileMillis(dashboardDelta, 0.99)),
        DashboardLatency.count(dashboardDelta), pods, hostBusyCores, loadAverage);
  }
}
