package dev.pulse.spark.k8s;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Spark conf of a driver the operator runs itself (launcher Native): no spark-submit passes {@code --conf}s, so the
 * operator writes them as one JSON object of strings into a ConfigMap mounted in the driver pod, named by
 * {@value #CONF_FILE_ENV}. The pod's own name ({@value #POD_NAME_ENV}, from the downward API) becomes
 * {@code spark.kubernetes.driver.pod.name}, so that Spark makes the driver pod the owner of its executor pods (they
 * go when it goes) and watches them in its namespace.
 */
public final class DriverConf {

  public static final String CONF_FILE_ENV = "PULSE_SPARK_CONF_FILE";
  public static final String POD_NAME_ENV = "PULSE_POD_NAME";
  static final String DRIVER_POD_NAME = "spark.kubernetes.driver.pod.name";
  private static final ObjectMapper JSON = new ObjectMapper();

  private DriverConf() {}

  /** The conf to start the session with: the file's entries, then the pod name; empty outside such a pod. */
  public static Map<String, String> fromEnvironment(Map<String, String> env) {
    Map<String, String> conf = new LinkedHashMap<>();
    String file = env.get(CONF_FILE_ENV);
    if (file != null && !file.isBlank()) {
      conf.putAll(read(Path.of(file)));
    }
    String pod = env.get(POD_NAME_ENV);
    if (pod != null && !pod.isBlank()) {
      conf.putIfAbsent(DRIVER_POD_NAME, pod);
    }
    return conf;
  }

  static Map<String, String> read(Path file) {
    try {
      return JSON.readValue(Files.readString(file), new TypeReference<LinkedHashMap<String, String>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the Spark conf " + file + " (" + CONF_FILE_ENV + ")", e);
    }
  }
}
