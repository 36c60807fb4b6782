package dev.pulse.crd.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.pulse.crd.common.Validation;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The Spark Structured Streaming application. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.triggerInterval) || duration(self.triggerInterval) >= duration('100ms')", message = "spark.triggerInterval must be at least 100ms", fieldPath = ".triggerInterval")
@ValidationRule(value = "!has(self.watermark) || !has(self.triggerInterval) || duration(self.watermark) >= duration(self.triggerInterval)", message = "spark.watermark must be at least spark.triggerInterval, or late posts would be dropped by deduplication before they arrive", fieldPath = ".watermark")
public class SparkSpec {

  /** How the latency-critical query runs. */
  public enum TriggerMode { MicroBatch, RealTime }

  /** Who runs the Spark driver. */
  public enum Launcher { Native, SparkOperator }

  @JsonPropertyDescription("Who runs the Spark job. Native: the Pulse operator runs the driver itself as a Deployment of one pod (recreated whenever it fails, never given up on) in client mode against this cluster's API server (spark.master=k8s://https://kubernetes.default.svc), with a headless Service its executors reach it through; Spark's own Kubernetes scheduler backend creates the executor pods, owned by the driver pod. SparkOperator: a SparkApplication (sparkoperator.k8s.io/v1beta2) for the Kubeflow Spark operator (>= 2.4, with this namespace among its spark.jobNamespaces) to run. Unset: SparkOperator when the cluster serves the SparkApplication CRD, Native otherwise.")
  private Launcher launcher;

  @JsonPropertyDescription("The PersistentVolumeClaim the operator creates for the default checkpoint location (ignored when checkpointLocation is set).")
  private CheckpointVolume checkpointVolume;

  /** The operator's checkpoint claim. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class CheckpointVolume {

    /** PVC access modes a checkpoint volume may have. */
    public enum AccessMode { ReadWriteOnce, ReadWriteMany, ReadWriteOncePod }

    @Size(min = 1, max = 253)
    @JsonPropertyDescription("StorageClass of the claim. Unset: the cluster's default StorageClass.")
    private String storageClassName;

    @Default("ReadWriteMany")
    @JsonPropertyDescription("Access mode of the claim. Default ReadWriteMany: the driver writes offsets and the executors write state, from whichever nodes they run on. ReadWriteOnce is enough when every Spark pod runs on one node (a single-node cluster) or for storage that offers no ReadWriteMany.")
    private AccessMode accessMode;

    @Default("10Gi")
    @Size(min = 1, max = 32)
    @ValidationRule(value = "self.matches('^[0-9]+(Ki|Mi|Gi|Ti)$')", message = "must be a size such as 10Gi")
    @JsonPropertyDescription("Size of the claim, e.g. 10Gi. Default 10Gi.")
    private String size;

    public String getStorageClassName() { return storageClassName; }
    public void setStorageClassName(String storageClassName) { this.storageClassName = storageClassName; }
    public AccessMode getAccessMode() { return accessMode; }
    public void setAccessMode(AccessMode accessMode) { this.accessMode = accessMode; }
    public String getSize() { return size; }
    public void setSize(String size) { this.size = size; }
  }

  @Size(min = 1, max = 512)
  @JsonPropertyDescription("Image of the Spark job (pipeline-runtime). Defaults to the operator's pipeline-runtime image of the same Pulse version.")
  private String image;

  @Default("4.1.1")
  @Pattern("^4\\.[0-9]+\\.[0-9]+$")
  @JsonPropertyDescription("Spark version of the image (4.x). Default 4.1.1.")
  private String sparkVersion;

  @Default("{}")
  @JsonPropertyDescription("Spark driver pod sizing.")
  private PodSize driver;

  @Default("{}")
  @JsonPropertyDescription("Spark executor pods sizing.")
  private ExecutorSize executor;

  @Default("1s")
  @Size(min = 2, max = 32)
  @ValidationRule(value = Validation.DURATION_RULE, message = Validation.DURATION_MESSAGE)
  @JsonPropertyDescription("Micro-batch trigger interval, as a duration (minimum 100ms): of the scoring query in MicroBatch mode, and of the aggregates-and-alerts query always. Default 1s.")
  private String triggerInterval;

  @Default("30s")
  @Size(min = 2, max = 32)
  @ValidationRule(value = Validation.DURATION_RULE, message = Validation.DURATION_MESSAGE)
  @ValidationRule(value = "!" + Validation.DURATION_RULE + " || duration(self) >= duration('5s')", message = "spark.checkpointInterval must be at least 5s")
  @JsonPropertyDescription("RealTime mode: how often the scoring query checkpoints its Kafka offsets, as a duration (minimum 5s). Records flow continuously in between; each checkpoint pauses the stream for a moment, and a restart replays at most this much. Default 30s.")
  private String checkpointInterval;

  @Default("RealTime")
  @JsonPropertyDescription("RealTime (default) or MicroBatch. RealTime runs the scoring path in Spark 4.1's real-time mode (needs sparkVersion >= 4.1): long-running tasks, one per feed-topic partition, sub-second from ingestion to the scored topic; the operator raises spark.executor.instances to give every partition its task slot plus one for the aggregates query, which stays micro-batch. MicroBatch scores in micro-batches every triggerInterval (seconds of latency) and needs no dedicated slots.")
  private TriggerMode triggerMode;

  @Default("10m")
  @Size(min = 2, max = 32)
  @ValidationRule(value = Validation.DURATION_RULE, message = Validation.DURATION_MESSAGE)
  @JsonPropertyDescription("Event-time watermark for deduplication by post id, as a duration. Duplicates arriving later than this after the original are not detected. Default 10m.")
  private String watermark;

  @Size(min = 1, max = 1024)
  @ValidationRule(value = "self.matches('^(s3a|gs|hdfs|abfss|file)://.+$')", message = "spark.checkpointLocation must be a URI with scheme s3a://, gs://, hdfs://, abfss:// or file://")
  @JsonPropertyDescription("Where Structured Streaming keeps offsets and state (s3a://, gs://, hdfs://, abfss:// or file:// on a mounted volume). Default file:///checkpoints/<pipeline>, on a PVC the operator creates.")
  private String checkpointLocation;

  @Default("Always")
  @JsonPropertyDescription("Restart policy of the SparkApplication (launcher SparkOperator): Always (default: a stream restarts from its checkpoint whenever it stops, 30 s apart), OnFailure (at most 10 failures over the application's whole life, then FAILED for good) or Never. A Native driver is a Deployment's pod and is always restarted.")
  private RestartPolicy restartPolicy;

  /** SparkApplication restart policies. */
  public enum RestartPolicy { Always, OnFailure, Never }

  public Launcher getLauncher() { return launcher; }
  public void setLauncher(Launcher launcher) { this.launcher = launcher; }
  public CheckpointVolume getCheckpointVolume() { return checkpointVolume; }
  public void setCheckpointVolume(CheckpointVolume checkpointVolume) { this.checkpointVolume = checkpointVolume; }
  public String getImage() { return image; }
  public void setImage(String image) { this.image = image; }
  public String getSparkVersion() { return sparkVersion; }
  public void setSparkVersion(String sparkVersion) { this.sparkVersion = sparkVersion; }
  public PodSize getDriver() { return driver; }
  public void setDriver(PodSize driver) { this.driver = driver; }
  public ExecutorSize getExecutor() { return executor; }
  public void setExecutor(ExecutorSize executor) { this.executor = executor; }
  public String getTriggerInterval() { return triggerInterval; }
  public void setTriggerInterval(String triggerInterval) { this.triggerInterval = triggerInterval; }
  public String getCheckpointInterval() { return checkpointInterval; }
  public void setCheckpointInterval(String checkpointInterval) { this.checkpointInterval = checkpointInterval; }
  public TriggerMode getTriggerMode() { return triggerMode; }
  public void setTriggerMode(TriggerMode triggerMode) { this.triggerMode = triggerMode; }
  public String getWatermark() { return watermark; }
  public void setWatermark(String watermark) { this.watermark = watermark; }
  public String getCheckpointLocation() { return checkpointLocation; }
  public void setCheckpointLocation(String checkpointLocation) { this.checkpointLocation = checkpointLocation; }
  public RestartPolicy getRestartPolicy() { return restartPolicy; }
  public void setRestartPolicy(RestartPolicy restartPolicy) { this.restartPolicy = restartPolicy; }
}
