package dev.pulse.spark;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many shuffle partitions the job's stateful steps get when the conf does not say: one per executor task slot.
 * Each stateful step (the scored-posts dedup, the aggregates' dedup and windows) runs one task per shuffle partition
 * at every micro-batch, empty or not, each loading and committing its state store on the checkpoint volume. Spark's
 * default of 200 made a batch last ~67 s on the minimal pipeline's one executor core (PulseOnClusterIT), so a job
 * launched without the operator's explicit value (a SparkApplication written by an older operator, spark-submit by
 * hand) sizes it here. A checkpoint keeps the count it started with: Spark reads it back from the offset log.
 */
final class ShufflePartitions {
  static final String KEY = "spark.sql.shuffle.partitions";
  private static final Pattern LOCAL = Pattern.compile("local\\[(\\d+)(,\\d+)?\\]");

  private ShufflePartitions() {}

  /** The value to set, or empty when the conf has one already or the slots cannot be told from it. */
  static Optional<String> missing(Map<String, String> conf) {
    if (conf.containsKey(KEY)) {
      return Optional.empty();
    }
    String master = conf.getOrDefault("spark.master", "");
    Matcher local = LOCAL.matcher(master);
    if (local.matches()) {
      return Optional.of(local.group(1));
    }
    if (master.startsWith("local")) {
      return Optional.empty(); // local or local[*]: Spark's own choice
    }
    String instances = conf.get("spark.executor.instances");
    if (instances == null) {
      return Optional.empty(); // dynamic allocation or a standalone cluster: no fixed slot count to size for
    }
    int cores = Integer.parseInt(conf.getOrDefault("spark.executor.cores", "1").trim());
    return Optional.of(String.valueOf(Math.max(1, Integer.parseInt(instances.trim()) * cores)));
  }
}
