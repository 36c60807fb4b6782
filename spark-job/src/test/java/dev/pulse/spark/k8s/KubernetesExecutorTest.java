package dev.pulse.spark.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KubernetesExecutorTest {

  /** The environment Spark 4.1's BasicExecutorFeatureStep gives an executor pod (values as seen on the cluster). */
  private static Map<String, String> executorPodEnv() {
    Map<String, String> env = new HashMap<>();
    env.put("SPARK_DRIVER_URL", "spark://CoarseGrainedScheduler@minimal-spark-driver.pulse-e2e.svc:7078");
    env.put("SPARK_EXECUTOR_CORES", "1");
    env.put("SPARK_EXECUTOR_MEMORY", "768m");
    env.put("SPARK_APPLICATION_ID", "spark-0a1b2c");
    env.put("SPARK_CONF_DIR", "/opt/spark/conf");
    env.put("SPARK_EXECUTOR_ID", "3");
    env.put("SPARK_RESOURCE_PROFILE_ID", "0");
    env.put("SPARK_EXECUTOR_POD_IP", "10.244.0.23");
    env.put("SPARK_EXECUTOR_POD_NAME", "minimal-5f2e-exec-3");
    env.put("SPARK_JAVA_OPT_0", "-Dspark.driver.port=7078");
    env.put("SPARK_JAVA_OPT_1", "-Dspark.network.timeout=120s");
    env.put("SPARK_JAVA_OPT_10", "-Dspark.authenticate=false");
    env.put("SPARK_JAVA_OPT_2", "-XX:+UseG1GC");
    return env;
  }

  @Test
  void theBackendGetsWhatSparksEntrypointWouldPass() {
    assertThat(KubernetesExecutor.arguments(executorPodEnv())).containsExactly(
        "--driver-url", "spark://CoarseGrainedScheduler@minimal-spark-driver.pulse-e2e.svc:7078",
        "--executor-id", "3", "--cores", "1", "--app-id", "spark-0a1b2c", "--hostname", "10.244.0.23",
        "--resourceProfileId", "0");
  }

  @Test
  void numberedJavaOptionsBecomeSystemPropertiesInOrder() {
    assertThat(KubernetesExecutor.systemProperties(executorPodEnv())).containsExactly(
        Map.entry("spark.driver.port", "7078"), Map.entry("spark.network.timeout", "120s"),
        Map.entry("spark.authenticate", "false"));
  }

  @Test
  void outsideAnExecutorPodTheMissingVariableIsNamed() {
    Map<String, String> env = executorPodEnv();
    env.remove("SPARK_DRIVER_URL");
    assertThatThrownBy(() -> KubernetesExecutor.arguments(env)).hasMessageContaining("SPARK_DRIVER_URL");
  }
}
