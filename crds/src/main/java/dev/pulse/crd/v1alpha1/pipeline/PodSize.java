package dev.pulse.crd.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.pulse.crd.common.Validation;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** CPU and memory of one Spark pod. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PodSize {

  @Default("1")
  @Min(1)
  @Max(64)
  @JsonPropertyDescription("CPU cores (spark.driver.cores / spark.executor.cores), 1-64. Default 1.")
  private Integer cores;

  @Default("2g")
  @Size(min = 2, max = 16)
  @ValidationRule(value = "self.matches('^[0-9]+[kmgt]$')", message = "must be a JVM memory size such as 512m or 2g (Spark's format: a number and k, m, g or t)")
  @JsonPropertyDescription("JVM heap in Spark's format, e.g. 512m or 2g. Default 2g; the pod gets Spark's memory overhead on top.")
  private String memory;

  @Size(min = 1, max = 16)
  @ValidationRule(value = "self.matches('^([0-9]+m|[0-9]+(\\\\.[0-9]+)?)$')", message = "must be a CPU quantity such as 250m or 1")
  @JsonPropertyDescription("CPU the pod requests from the scheduler, as a Kubernetes quantity (e.g. 250m): spark.kubernetes.driver.request.cores / spark.kubernetes.executor.request.cores. Unset: cores. Spark still runs cores task slots; a smaller request only lets the pod schedule on a busy node.")
  private String coreRequest;

  public String getCoreRequest() { return coreRequest; }
  public void setCoreRequest(String coreRequest) { this.coreRequest = coreRequest; }
  public Integer getCores() { return cores; }
  public void setCores(Integer cores) { this.cores = cores; }
  public String getMemory() { return memory; }
  public void setMemory(String memory) { this.memory = memory; }
}
