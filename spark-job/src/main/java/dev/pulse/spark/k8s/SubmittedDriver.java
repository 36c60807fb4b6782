package dev.pulse.spark.k8s;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A driver pod that spark-submit made in cluster mode (a SparkApplication run by the Spark operator): Spark gives it
 * the arguments {@code driver --properties-file F --class C RESOURCE [args]}, which Spark's own image answers by
 * running spark-submit again in client mode inside the pod. Pulse's image runs its main class directly, so this reads
 * the same properties file (the whole conf the submitter resolved, pod name and namespace included) and the bind
 * address Spark passes in {@code SPARK_DRIVER_BIND_ADDRESS}, as that second spark-submit would.
 */
public final class SubmittedDriver {

  public static final String MODE = "driver";

  private SubmittedDriver() {}

  /** The conf of a driver started with {@code args} (args[0] = "driver") in an environment {@code env}. */
  public static Map<String, String> conf(List<String> args, Map<String, String> env) {
    int i = args.indexOf("--properties-file");
    if (i < 0 || i + 1 >= args.size()) {
      throw new IllegalArgumentException("the \"" + MODE + "\" mode needs --properties-file FILE (Spark's driver pod "
          + "arguments), got " + args);
    }
    Map<String, String> conf = new LinkedHashMap<>(read(Path.of(args.get(i + 1))));
    String bind = env.get("SPARK_DRIVER_BIND_ADDRESS");
    if (bind != null && !bind.isBlank()) {
      conf.put("spark.driver.bindAddress", bind);
      conf.put("spark.executorEnv.SPARK_DRIVER_POD_IP", bind);
    }
    // The submitter ran in cluster mode; inside the pod the driver runs in client mode, as Spark's entrypoint does.
    conf.put("spark.submit.deployMode", "client");
    return conf;
  }

  static Map<String, String> read(Path file) {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Spark's properties file " + file, e);
    }
    Map<String, String> out = new LinkedHashMap<>();
    p.stringPropertyNames().stream().sorted().forEach(k -> out.put(k, p.getProperty(k)));
    return out;
  }
}
