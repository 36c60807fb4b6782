package dev.pulse.operator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.pipeline.SparkSpec;
import dev.pulse.operator.pipeline.spark.SparkApplication;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Launcher Native: the driver Deployment, its headless Service and its conf, as pure functions of the spec. */
class SparkDriverTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final SentimentPipeline pipeline = PipelineFixtures.northwind("brands");

  @org.junit.jupiter.api.BeforeEach
  void onTheOperatorsClaim() {
    // The northwind sample checkpoints to s3a://; most checks here are about the operator's own claim.
    pipeline.getSpec().getSpark().setCheckpointLocation(null);
  }

  private static RenderInputs inputs(boolean sparkOperatorServed) {
    return new RenderInputs(null, List.of("pulse.feed.brands.a"), null, RenderInputs.MonitoringSupport.NONE, 1,
        sparkOperatorServed);
  }

  private static <T> T one(List<HasMetadata> objects, Class<T> type) {
    List<T> found = objects.stream().filter(type::isInstance).map(type::cast).toList();
    assertThat(found).as(type.getSimpleName()).hasSize(1);
    return found.get(0);
  }

  private List<HasMetadata> nativeObjects() {
    return SentimentPipelineObjects.desired(pipeline, inputs(false)).stream()
        .filter(o -> "spark".equals(o.getMetadata().getLabels().get("app.kubernetes.io/component"))).toList();
  }

  @Test
  void theLauncherDefaultsToTheSparkOperatorOnlyWhereItsCrdIsServed() {
    assertThat(SentimentPipelineObjects.desired(pipeline, inputs(true))).anyMatch(SparkApplication.class::isInstance)
        .noneMatch(o -> o instanceof Deployment && o.getMetadata().getName().equals(SparkDriver.name(pipeline)));
    assertThat(SentimentPipelineObjects.desired(pipeline, inputs(false))).noneMatch(SparkApplication.class::isInstance)
        .anyMatch(o -> o instanceof Deployment && o.getMetadata().getName().equals(SparkDriver.name(pipeline)));
    pipeline.getSpec().getSpark().setLauncher(SparkSpec.Launcher.Native);
    assertThat(SentimentPipelineObjects.desired(pipeline, inputs(true))).noneMatch(SparkApplication.class::isInstance);
    pipeline.getSpec().getSpark().setLauncher(SparkSpec.Launcher.SparkOperator);
    assertThat(SentimentPipelineObjects.desired(pipeline, inputs(false))).anyMatch(SparkApplication.class::isInstance);
  }

  @Test
  void nativeIsAServiceAccountBoundInItsNamespaceAClaimAConfAServiceAndOneDriver() {
    assertThat(nativeObjects()).extracting(HasMetadata::getKind).containsExactly("ServiceAccount", "RoleBinding",
        "PersistentVolumeClaim", "ConfigMap", "Service", "Deployment");
  }

  @Test
  void oneDriverNeverTwoAndNoneWhenSuspendedOrWithoutFeeds() {
    Deployment d = one(nativeObjects(), Deployment.class);
    assertThat(d.getSpec().getReplicas()).isEqualTo(1);
    assertThat(d.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    assertThat(d.getSpec().getSelector().getMatchLabels()).containsEntry(SparkDriver.ROLE_LABEL, "driver");
    assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
    RenderInputs noFeeds = new RenderInputs(null, List.of(), null, RenderInputs.MonitoringSupport.NONE, 0, false);
    assertThat(SparkDriver.replicas(pipeline, noFeeds)).isZero();
    pipeline.getSpec().setSuspend(true);
    assertThat(one(nativeObjects(), Deployment.class).getSpec().getReplicas()).isZero();
  }

  @Test
  void theDriverRunsTheJobImageRestrictedWithItsConfAndTheCheckpoint() {
    Deployment d = one(nativeObjects(), Deployment.class);
    var pod = d.getSpec().getTemplate().getSpec();
    Container c = pod.getContainers().get(0);
    assertThat(c.getImage()).isEqualTo(new RenderInputs(null, null, null, null, 0).images().sparkJob());
    assertThat(pod.getServiceAccountName()).isEqualTo(SparkServiceAccount.name(pipeline));
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getEnv()).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("PULSE_POD_NAME");
      assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
    });
    assertThat(c.getEnv()).anyMatch(e -> e.getName().equals("PULSE_SPARK_CONF_FILE")
        && e.getValue().equals("/etc/pulse/spark/spark-conf.json"));
    assertThat(c.getVolumeMounts()).extracting(m -> m.getMountPath()).contains("/tmp", "/etc/pulse/spark", "/checkpoints");
    assertThat(pod.getVolumes()).anyMatch(v -> v.getPersistentVolumeClaim() != null
        && v.getPersistentVolumeClaim().getClaimName().equals(PipelineNames.checkpointClaim(pipeline)));
    // The northwind sample's driver: 2g of heap, so the pod gets 2g + 384Mi of Spark's overhead.
    assertThat(c.getResources().getLimits().get("memory").toString()).isEqualTo("2432Mi");
  }

  @Test
  void theConfRunsSparkOnThisClusterInClientModeWithExecutorsFromTheTemplate() throws Exception {
    pipeline.getSpec().getSpark().getExecutor().setCoreRequest("250m");
    ConfigMap conf = one(nativeObjects(), ConfigMap.class);
    Map<String, String> spark = JSON.readValue(conf.getData().get("spark-conf.json"),
        new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() {});
    assertThat(spark).containsEntry("spark.master", "k8s://https://kubernetes.default.svc")
        .containsEntry("spark.submit.deployMode", "client")
        .containsEntry("spark.kubernetes.namespace", "brands")
        .containsEntry("spark.driver.host", SparkDriver.name(pipeline) + ".brands.svc")
        .containsEntry("spark.driver.port", "7078")
        .containsEntry("spark.kubernetes.executor.request.cores", "250m")
        .containsEntry("spark.kubernetes.executor.podTemplateFile", "/etc/pulse/spark/executor-pod.yaml")
        .containsEntry("spark.kubernetes.container.image", new RenderInputs(null, null, null, null, 0).images().sparkJob())
        // The job's own keys, as the SparkApplication carries them.
        .containsEntry("spark.pulse.pipeline", "northwind")
        .containsEntry("spark.pulse.topics.input", "pulse.feed.brands.a")
        .containsEntry("spark.pulse.checkpointLocation", "file:///checkpoints/northwind");
    Pod template = Serialization.unmarshal(conf.getData().get("executor-pod.yaml"), Pod.class);
    assertThat(template.getMetadata().getLabels()).containsEntry(SparkDriver.ROLE_LABEL, "executor")
        .containsEntry("app.kubernetes.io/part-of", "pulse");
    assertThat(template.getSpec().getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(template.getSpec().getContainers().get(0).getVolumeMounts()).extracting(m -> m.getMountPath())
        .contains("/tmp", "/checkpoints");
    assertThat(template.getSpec().getContainers().get(0).getEnv()).anyMatch(e -> e.getName().equals("PULSE_QDRANT_API_KEY")
        && e.getValueFrom().getSecretKeyRef() != null);
  }

  @Test
  void statefulStepsGetOneShufflePartitionPerExecutorSlotNotSparksDefault200() throws Exception {
    // The minimal sample's sizing: one executor of one core. With Spark's default (200) every micro-batch ran 200
    // tasks per stateful step on that core and the job fell behind 2 posts/s on the cluster.
    pipeline.getSpec().getSpark().setTriggerMode(SparkSpec.TriggerMode.MicroBatch);
    pipeline.getSpec().getSpark().getExecutor().setInstances(1);
    pipeline.getSpec().getSpark().getExecutor().setCores(1);
    Map<String, String> spark = JSON.readValue(one(nativeObjects(), ConfigMap.class).getData().get("spark-conf.json"),
        new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() {});
    assertThat(spark).containsEntry("spark.sql.shuffle.partitions", "1");
    pipeline.getSpec().getSpark().getExecutor().setInstances(3);
    pipeline.getSpec().getSpark().getExecutor().setCores(2);
    assertThat(SparkDriver.sparkConf(pipeline, inputs(false))).containsEntry("spark.sql.shuffle.partitions", "6");
  }

  @Test
  void driverAndExecutorsServeTheStreamMetricsOnAPortNamedMetrics() throws Exception {
    // Both launchers: the stream core's meters count where Spark runs each step (StreamMetrics.PORT_ENV).
    Container driver = one(nativeObjects(), Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    Container executor = Serialization.unmarshal(one(nativeObjects(), ConfigMap.class).getData().get("executor-pod.yaml"),
        Pod.class).getSpec().getContainers().get(0);
    io.fabric8.kubernetes.api.model.PodTemplateSpec submitted = SparkApplications.template(pipeline, "executor");
    for (Container c : List.of(driver, executor, submitted.getSpec().getContainers().get(0))) {
      assertThat(c.getEnv()).anyMatch(e -> e.getName().equals("PULSE_METRICS_PORT") && e.getValue().equals("9404"));
      assertThat(c.getPorts()).anyMatch(port -> "metrics".equals(port.getName()) && port.getContainerPort() == 9404);
    }
  }

  @Test
  void aConfChangeRollsTheDriver() {
    String before = one(nativeObjects(), Deployment.class).getSpec().getTemplate().getMetadata().getAnnotations()
        .get(SparkDriver.CONF_HASH_ANNOTATION);
    assertThat(one(nativeObjects(), Deployment.class).getSpec().getTemplate().getMetadata().getAnnotations()
        .get(SparkDriver.CONF_HASH_ANNOTATION)).as("stable while nothing changes").isEqualTo(before);
    pipeline.getSpec().getSpark().setWatermark("20m");
    assertThat(one(nativeObjects(), Deployment.class).getSpec().getTemplate().getMetadata().getAnnotations()
        .get(SparkDriver.CONF_HASH_ANNOTATION)).isNotEqualTo(before);
  }

  @Test
  void theServiceIsHeadlessAndSelectsTheDriverOnly() {
    Service s = one(nativeObjects(), Service.class);
    assertThat(s.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(s.getSpec().getPublishNotReadyAddresses()).isTrue();
    assertThat(s.getSpec().getSelector()).containsEntry(SparkDriver.ROLE_LABEL, "driver");
    assertThat(s.getSpec().getPorts()).extracting(p -> p.getPort()).containsExactly(7078, 7079, 4040);
  }

  @Test
  void theCheckpointClaimTakesItsStorageClassAccessModeAndSize() {
    assertThat(one(nativeObjects(), PersistentVolumeClaim.class).getSpec().getAccessModes())
        .containsExactly("ReadWriteMany");
    SparkSpec.CheckpointVolume v = new SparkSpec.CheckpointVolume();
    v.setStorageClassName("local-path");
    v.setAccessMode(SparkSpec.CheckpointVolume.AccessMode.ReadWriteOnce);
    v.setSize("2Gi");
    pipeline.getSpec().getSpark().setCheckpointVolume(v);
    PersistentVolumeClaim claim = one(nativeObjects(), PersistentVolumeClaim.class);
    assertThat(claim.getSpec().getStorageClassName()).isEqualTo("local-path");
    assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
    assertThat(claim.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("2Gi");
  }

  @Test
  void anObjectStoreCheckpointNeedsNoClaimAndNoMount() throws Exception {
    pipeline.getSpec().getSpark().setCheckpointLocation("s3a://pulse-checkpoints/northwind");
    assertThat(nativeObjects()).noneMatch(PersistentVolumeClaim.class::isInstance);
    Deployment d = one(nativeObjects(), Deployment.class);
    assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts())
        .extracting(m -> m.getMountPath()).doesNotContain("/checkpoints");
    Pod template = Serialization.unmarshal(one(nativeObjects(), ConfigMap.class).getData().get("executor-pod.yaml"),
        Pod.class);
    assertThat(template.getSpec().getVolumes()).noneMatch(v -> v.getPersistentVolumeClaim() != null);
  }

  @Test
  void podMemoryIsHeapPlusSparksOverhead() {
    assertThat(SparkDriver.podMemoryMi("1g")).isEqualTo(1024 + 384);
    assertThat(SparkDriver.podMemoryMi("512m")).isEqualTo(512 + 384);
    assertThat(SparkDriver.podMemoryMi("8g")).isEqualTo(8192 + 819);
  }
}
