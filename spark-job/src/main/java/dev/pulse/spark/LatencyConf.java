package dev.pulse.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Scheduler settings the job sets when its conf does not, so that the scored-posts query is not queued behind the
 * aggregates-and-alerts query on a small executor. On the minimal pipeline (one executor core, one task slot) Spark's
 * defaults made a scored post wait for the other query's whole job: FIFO scheduling runs every stage of the job
 * submitted first, and a task that prefers an executor whose slot is busy waits {@code spark.locality.wait} (3 s)
 * before it runs anywhere else (PulseOnClusterIT's latency step; spark-job/README.md).
 *
 * <ul>
 *   <li>{@code spark.scheduler.mode=FAIR}: each query runs in its own pool ({@link #POOL}), so their jobs share the
 *       slots task by task instead of one job after the other;</li>
 *   <li>{@code spark.locality.wait=0s}: a task runs on the first free slot. Locality buys nothing here (the Kafka
 *       source's preference only keeps a cached consumer; the state stores are on a shared volume).</li>
 * </ul>
 */
final class LatencyConf {
  /** The local property that names a job's FAIR pool; set on the thread that starts a query, its thread inherits it. */
  static final String POOL = "spark.scheduler.pool";
  static final Map<String, String> DEFAULTS = Map.of("spark.scheduler.mode", "FAIR", "spark.locality.wait", "0s");

  private LatencyConf() {}

  /** The defaults that {@code present} (the conf the job was given) does not set. */
  static Map<String, String> missing(Predicate<String> present) {
    Map<String, String> out = new LinkedHashMap<>();
    DEFAULTS.forEach((k, v) -> {
      if (!present.test(k)) {
        out.put(k, v);
      }
    });
    return out;
  }
}
