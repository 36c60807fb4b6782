package dev.pulse.spark;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the job's two queries running in one driver: a query that fails is started again from its checkpoint while
 * the other one keeps running, up to {@link RestartBudget} restarts in a window; past that the driver exits and its
 * pod is restarted. Why not just exit: ending the JVM stops the other query mid-batch, and Spark 4.1.1's Kafka
 * source fails a query that re-runs a planned but uncommitted batch after a restart (its progress metrics read
 * offsets it never fetched: NullPointerException in KafkaMicroBatchStream.metrics, after the batch committed). Two
 * queries in one JVM then take turns killing each other at every restart. Restarted alone, the failing query
 * commits its batch, fails once more at most, and runs.
 */
final class QuerySupervisor {

  private static final Logger LOG = LoggerFactory.getLogger(QuerySupervisor.class);

  /** Starts one query. */
  interface Starter {
    StreamingQuery start() throws TimeoutException;
  }

  private final SparkSession spark;
  private final Map<String, Starter> starters;
  private final RestartBudget budget;
  private final Duration backoff;

  QuerySupervisor(SparkSession spark, Map<String, Starter> starters, RestartBudget budget, Duration backoff) {
    this.spark = spark;
    this.starters = starters;
    this.budget = budget;
    this.backoff = backoff;
  }

  /** Runs until a query stops without an error (returns) or fails past the budget (throws its error). */
  void run() throws Exception {
    Map<String, StreamingQuery> running = new LinkedHashMap<>();
    for (Map.Entry<String, Starter> e : starters.entrySet()) {
      running.put(e.getKey(), e.getValue().start());
    }
    while (true) {
      try {
        spark.streams().awaitAnyTermination();
      } catch (Exception failed) {
        // Which query failed is looked up below.
      }
      for (Map.Entry<String, StreamingQuery> e : running.entrySet()) {
        StreamingQuery q = e.getValue();
        if (q.isActive()) {
          continue;
        }
        if (q.exception().isEmpty()) {
          LOG.info("query {} stopped", e.getKey());
          return;
        }
        Exception error = q.exception().get();
        if (!budget.allow()) {
          LOG.error("query {} failed again, {} restarts in the last {}: giving up", e.getKey(), budget.max(),
              budget.window());
          throw error;
        }
        LOG.warn("query {} failed ({}); starting it again from its checkpoint in {}", e.getKey(),
            firstLine(error), backoff);
        Thread.sleep(backoff.toMillis());
        e.setValue(starters.get(e.getKey()).start());
      }
      spark.streams().resetTerminated();
    }
  }

  private static String firstLine(Throwable t) {
    String m = String.valueOf(t.getMessage());
    int nl = m.indexOf('\n');
    return t.getClass().getSimpleName() + ": " + (nl < 0 ? m : m.substring(0, nl));
  }

  /** At most {@code max} restarts in any {@code window}. */
  static final class RestartBudget {
    private final int max;
    private final Duration window;
    private final Clock clock;
    private final Deque<Instant> restarts = new ArrayDeque<>();

    RestartBudget(int max, Duration window, Clock clock) {
      this.max = max;
      this.window = window;
      this.clock = clock;
    }

    /** Records a restart and says whether it is within the budget. */
    synchronized boolean allow() {
      Instant now = clock.instant();
      while (!restarts.isEmpty() && restarts.peekFirst().isBefore(now.minus(window))) {
        restarts.removeFirst();
      }
      if (restarts.size() >= max) {
        return false;
      }
      restarts.addLast(now);
      return true;
    }

    int max() {
      return max;
    }

    Duration window() {
      return window;
    }
  }
}
