package dev.pulse.spark.k8s;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An executor pod of Spark's Kubernetes scheduler backend, run from Pulse's Spark job image. Spark creates executor
 * pods with the driver's image and the single argument {@value #MODE}; Spark's own image answers it with a shell
 * entrypoint that turns the pod's {@code SPARK_*} environment into {@code KubernetesExecutorBackend}'s arguments and
 * {@code SPARK_JAVA_OPT_<n>} into JVM options. Pulse's image runs one main class, so this does the same in Java: the
 * options (only {@code -Dkey=value} ones reach executors: Spark's startup confs such as the driver's RPC settings)
 * become system properties before the backend starts, which its {@code SparkConf} then reads.
 */
public final class KubernetesExecutor {

  public static final String MODE = "executor";
  static final String JAVA_OPT_PREFIX = "SPARK_JAVA_OPT_";

  private KubernetesExecutor() {}

  public static void run(Map<String, String> env) {
    systemProperties(env).forEach(System::setProperty);
    org.apache.spark.scheduler.cluster.k8s.KubernetesExecutorBackend.main(arguments(env).toArray(String[]::new));
  }

  /** KubernetesExecutorBackend's arguments from the environment Spark gives an executor pod. */
  static List<String> arguments(Map<String, String> env) {
    List<String> args = new ArrayList<>();
    add(args, "--driver-url", required(env, "SPARK_DRIVER_URL"));
    add(args, "--executor-id", required(env, "SPARK_EXECUTOR_ID"));
    add(args, "--cores", required(env, "SPARK_EXECUTOR_CORES"));
    add(args, "--app-id", required(env, "SPARK_APPLICATION_ID"));
    add(args, "--hostname", required(env, "SPARK_EXECUTOR_POD_IP"));
    add(args, "--resourceProfileId", env.getOrDefault("SPARK_RESOURCE_PROFILE_ID", "0"));
    return args;
  }

  /** {@code SPARK_JAVA_OPT_<n>=-Dkey=value} entries as key → value, in n's order; other JVM options are ignored. */
  static Map<String, String> systemProperties(Map<String, String> env) {
    Map<Integer, String> options = new TreeMap<>();
    env.forEach((name, value) -> {
      if (name.startsWith(JAVA_OPT_PREFIX)) {
        try {
          options.put(Integer.parseInt(name.substring(JAVA_OPT_PREFIX.length())), value);
        } catch (NumberFormatException e) {
          // not one of Spark's numbered options
        }
      }
    });
    Map<String, String> properties = new java.util.LinkedHashMap<>();
    for (String option : options.values()) {
      if (option.startsWith("-D") && option.indexOf('=') > 2) {
        int eq = option.indexOf('=');
        properties.put(option.substring(2, eq), option.substring(eq + 1));
      }
    }
    return properties;
  }

  private static void add(List<String> args, String flag, String value) {
    args.add(flag);
    args.add(value);
  }

  private static String required(Map<String, String> env, String name) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(name + " is not set: the \"" + MODE + "\" mode runs only in an executor pod "
          + "that Spark's Kubernetes scheduler backend created");
    }
    return value;
  }
}
