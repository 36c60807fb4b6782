package dev.pulse.crd.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Spark executors: how many, and how big each is. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ExecutorSize extends PodSize {

  @Default("2")
  @Min(1)
  @Max(500)
  @JsonPropertyDescription("Number of executors (1-500). Default 2. More executors than feed-topic partitions give no extra parallelism. In RealTime mode the operator asks for more when the feed-topic partitions plus one need more task slots than instances x cores.")
  private Integer instances;

  public Integer getInstances() { return instances; }
  public void setInstances(Integer instances) { this.instances = instances; }
}
