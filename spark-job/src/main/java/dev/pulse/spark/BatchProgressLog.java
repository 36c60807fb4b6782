package dev.pulse.spark;

import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.streaming.StateOperatorProgress;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line in the driver's log per micro-batch that read rows or took long, so a latency figure comes with its
 * explanation: rows, the batch's duration and where it went (Spark's {@code durationMs} phases), the rates, and the
 * stateful operators' shuffle partitions and commit time (one task per shuffle partition runs at every batch, empty
 * or not). Spark's own progress log is at INFO under {@code org.apache.spark}, which the job keeps at WARN. Idle,
 * fast batches are not logged: at a 1 s trigger they would be two lines a second.
 */
final class BatchProgressLog extends StreamingQueryListener {
  private static final Logger LOG = LoggerFactory.getLogger(BatchProgressLog.class);
  /** The prefix the e2e suite looks for in the driver's log. */
  static final String PREFIX = "batch progress";
  /** A batch at least this long is logged even when it read nothing. */
  private final long slowMillis;

  BatchProgressLog(long slowMillis) {
    this.slowMillis = slowMillis;
  }

  @Override
  public void onQueryStarted(QueryStartedEvent event) {}

  @Override
  public void onQueryProgress(QueryProgressEvent event) {
    StreamingQueryProgress p = event.progress();
    if (worthLogging(p.numInputRows(), p.batchDuration(), slowMillis)) {
      LOG.info(describe(p.name(), p.batchId(), p.numInputRows(), p.batchDuration(), p.durationMs(),
          p.inputRowsPerSecond(), p.processedRowsPerSecond(), p.stateOperators()));
    }
  }

  @Override
  public void onQueryIdle(QueryIdleEvent event) {}

  @Override
  public void onQueryTerminated(QueryTerminatedEvent event) {}

  static boolean worthLogging(long rows, long durationMillis, long slowMillis) {
    return rows > 0 || durationMillis >= slowMillis;
  }

  /**
   * E.g. {@code batch progress scored-posts #12: 10 rows in 240 ms (addBatch 180, walCommit 20, ...), 10.0 rows/s in,
   * 41.7 rows/s processed; state: dedupeWithinWatermark 1 partition(s) commit 3 ms 60 rows}.
   */
  static String describe(String query, long batchId, long rows, long durationMillis, Map<String, Long> phases,
      double inputPerSecond, double processedPerSecond, StateOperatorProgress[] state) {
    StringBuilder out = new StringBuilder(PREFIX).append(' ').append(query).append(" #").append(batchId).append(": ")
        .append(rows).append(" rows in ").append(durationMillis).append(" ms (");
    String sep = "";
    for (String phase : new String[] {"addBatch", "getBatch", "latestOffset", "queryPlanning", "walCommit",
        "commitOffsets", "triggerExecution"}) {
      Long ms = phases == null ? null : phases.get(phase);
      if (ms != null) {
        out.append(sep).append(phase).append(' ').append(ms);
        sep = ", ";
      }
    }
    out.append(String.format(Locale.ROOT, "), %.1f rows/s in, %.1f rows/s processed", finite(inputPerSecond),
        finite(processedPerSecond)));
    if (state != null && state.length > 0) {
      out.append("; state:");
      for (StateOperatorProgress s : state) {
        out.append(' ').append(s.operatorName()).append(' ').append(s.numShufflePartitions()).append(" partition(s)")
            .append(" commit ").append(s.commitTimeMs()).append(" ms ").append(s.numRowsTotal()).append(" rows");
      }
    }
    return out.toString();
  }

  private static double finite(double v) {
    return Double.isFinite(v) ? v : 0;
  }
}
