package dev.pulse.operator.pipeline.spark;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.List;
import java.util.Map;

/** {@code SparkApplication.spec} (v1beta2), the fields Pulse sets. Names follow the upstream CRD exactly. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class SparkApplicationSpec {

  private String type;
  private String mode;
  private String image;
  private String imagePullPolicy;
  private String mainClass;
  private String mainApplicationFile;
  private String sparkVersion;
  private Map<String, String> sparkConf;
  private RestartPolicy restartPolicy;
  private Boolean suspend;
  private List<Volume> volumes;
  private Driver driver;
  private Executor executor;
  private Monitoring monitoring;

  public String getType() { return type; }
  public void setType(String type) { this.type = type; }
  public String getMode() { return mode; }
  public void setMode(String mode) { this.mode = mode; }
  public String getImage() { return image; }
  public void setImage(String image) { this.image = image; }
  public String getImagePullPolicy() { return imagePullPolicy; }
  public void setImagePullPolicy(String imagePullPolicy) { this.imagePullPolicy = imagePullPolicy; }
  public String getMainClass() { return mainClass; }
  public void setMainClass(String mainClass) { this.mainClass = mainClass; }
  public String getMainApplicationFile() { return mainApplicationFile; }
  public void setMainApplicationFile(String mainApplicationFile) { this.mainApplicationFile = mainApplicationFile; }
  public String getSparkVersion() { return sparkVersion; }
  public void setSparkVersion(String sparkVersion) { this.sparkVersion = sparkVersion; }
  public Map<String, String> getSparkConf() { return sparkConf; }
  public void setSparkConf(Map<String, String> sparkConf) { this.sparkConf = sparkConf; }
  public RestartPolicy getRestartPolicy() { return restartPolicy; }
  public void setRestartPolicy(RestartPolicy restartPolicy) { this.restartPolicy = restartPolicy; }
  public Boolean getSuspend() { return suspend; }
  public void setSuspend(Boolean suspend) { this.suspend = suspend; }
  public List<Volume> getVolumes() { return volumes; }
  public void setVolumes(List<Volume> volumes) { this.volumes = volumes; }
  public Driver getDriver() { return driver; }
  public void setDriver(Driver driver) { this.driver = driver; }
  public Executor getExecutor() { return executor; }
  public void setExecutor(Executor executor) { this.executor = executor; }
  public Monitoring getMonitoring() { return monitoring; }
  public void setMonitoring(Monitoring monitoring) { this.monitoring = monitoring; }

  /** {@code spec.restartPolicy}: type Always | OnFailure | Never, with retry counts and intervals (seconds). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class RestartPolicy {
    private String type;
    private Integer onFailureRetries;
    private Long onFailureRetryInterval;
    private Integer onSubmissionFailureRetries;
    private Long onSubmissionFailureRetryInterval;

    public String getType() { return type; }
    public void setType(String type) { this.type = type; }
    public Integer getOnFailureRetries() { return onFailureRetries; }
    public void setOnFailureRetries(Integer onFailureRetries) { this.onFailureRetries = onFailureRetries; }
    public Long getOnFailureRetryInterval() { return onFailureRetryInterval; }
    public void setOnFailureRetryInterval(Long v) { this.onFailureRetryInterval = v; }
    public Integer getOnSubmissionFailureRetries() { return onSubmissionFailureRetries; }
    public void setOnSubmissionFailureRetries(Integer v) { this.onSubmissionFailureRetries = v; }
    public Long getOnSubmissionFailureRetryInterval() { return onSubmissionFailureRetryInterval; }
    public void setOnSubmissionFailureRetryInterval(Long v) { this.onSubmissionFailureRetryInterval = v; }
  }

  /** What driver and executor pods share in the upstream CRD. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public abstract static class PodSpecBase {
    private Integer cores;
    private String coreRequest;
    private String coreLimit;
    private String memory;
    private String memoryOverhead;
    private Map<String, String> labels;
    private Map<String, String> annotations;
    private String serviceAccount;
    private List<EnvVar> env;
    private PodSecurityContext podSecurityContext;
    private SecurityContext securityContext;
    private List<VolumeMount> volumeMounts;
    /** A Spark pod template (spark-operator >= 2.1 writes it to spark.kubernetes.{driver,executor}.podTemplateFile). */
    private io.fabric8.kubernetes.api.model.PodTemplateSpec template;

    public Integer getCores() { return cores; }
    public void setCores(Integer cores) { this.cores = cores; }
    public String getCoreRequest() { return coreRequest; }
    public void setCoreRequest(String coreRequest) { this.coreRequest = coreRequest; }
    public String getCoreLimit() { return coreLimit; }
    public void setCoreLimit(String coreLimit) { this.coreLimit = coreLimit; }
    public String getMemory() { return memory; }
    public void setMemory(String memory) { this.memory = memory; }
    public String getMemoryOverhead() { return memoryOverhead; }
    public void setMemoryOverhead(String memoryOverhead) { this.memoryOverhead = memoryOverhead; }
    public Map<String, String> getLabels() { return labels; }
    public void setLabels(Map<String, String> labels) { this.labels = labels; }
    public Map<String, String> getAnnotations() { return annotations; }
    public void setAnnotations(Map<String, String> annotations) { this.annotations = annotations; }
    public String getServiceAccount() { return serviceAccount; }
    public void setServiceAccount(String serviceAccount) { this.serviceAccount = serviceAccount; }
    public List<EnvVar> getEnv() { return env; }
    public void setEnv(List<EnvVar> env) { this.env = env; }
    public PodSecurityContext getPodSecurityContext() { return podSecurityContext; }
    public void setPodSecurityContext(PodSecurityContext v) { this.podSecurityContext = v; }
    public SecurityContext getSecurityContext() { return securityContext; }
    public void setSecurityContext(SecurityContext securityContext) { this.securityContext = securityContext; }
    public List<VolumeMount> getVolumeMounts() { return volumeMounts; }
    public void setVolumeMounts(List<VolumeMount> volumeMounts) { this.volumeMounts = volumeMounts; }
    public io.fabric8.kubernetes.api.model.PodTemplateSpec getTemplate() { return template; }
    public void setTemplate(io.fabric8.kubernetes.api.model.PodTemplateSpec template) { this.template = template; }
  }

  /** {@code spec.driver}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Driver extends PodSpecBase {}

  /** {@code spec.executor}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Executor extends PodSpecBase {
    private Integer instances;
    private Boolean deleteOnTermination;

    public Integer getInstances() { return instances; }
    public void setInstances(Integer instances) { this.instances = instances; }
    public Boolean getDeleteOnTermination() { return deleteOnTermination; }
    public void setDeleteOnTermination(Boolean v) { this.deleteOnTermination = v; }
  }

  /** {@code spec.monitoring}: the Prometheus JMX exporter the Spark operator wires into driver and executors. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Monitoring {
    private Boolean exposeDriverMetrics;
    private Boolean exposeExecutorMetrics;
    private Prometheus prometheus;

    public Boolean getExposeDriverMetrics() { return exposeDriverMetrics; }
    public void setExposeDriverMetrics(Boolean v) { this.exposeDriverMetrics = v; }
    public Boolean getExposeExecutorMetrics() { return exposeExecutorMetrics; }
    public void setExposeExecutorMetrics(Boolean v) { this.exposeExecutorMetrics = v; }
    public Prometheus getPrometheus() { return prometheus; }
    public void setPrometheus(Prometheus prometheus) { this.prometheus = prometheus; }
  }

  /** {@code spec.monitoring.prometheus}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Prometheus {
    private String jmxExporterJar;
    private Integer port;
    private String portName;

    public String getJmxExporterJar() { return jmxExporterJar; }
    public void setJmxExporterJar(String jmxExporterJar) { this.jmxExporterJar = jmxExporterJar; }
    public Integer getPort() { return port; }
    public void setPort(Integer port) { this.port = port; }
    public String getPortName() { return portName; }
    public void setPortName(String portName) { this.portName = portName; }
  }
}
