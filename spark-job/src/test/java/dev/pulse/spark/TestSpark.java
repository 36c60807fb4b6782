package dev.pulse.spark;

import org.apache.spark.sql.SparkSession;

/** The local Spark session the job's tests and benches run on: no UI, two shuffle partitions, the loopback driver. */
public final class TestSpark {
  private TestSpark() {}

  /** {@code local[2]} named {@code appName}; a test adds its own settings before {@code getOrCreate()}. */
  public static SparkSession.Builder builder(String appName) {
    return SparkSession.builder().master("local[2]").appName(appName)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.host", "127.0.0.1");
  }
}
