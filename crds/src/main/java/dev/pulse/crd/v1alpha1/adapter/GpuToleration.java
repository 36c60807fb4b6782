package dev.pulse.crd.v1alpha1.adapter;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;

/** A toleration added to a GPU pod, as in a Pod's spec.tolerations (a subset: what GPU node pools need). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GpuToleration {

  public enum Operator {
    @JsonProperty("Exists") EXISTS,
    @JsonProperty("Equal") EQUAL
  }

  public enum Effect {
    @JsonProperty("NoSchedule") NO_SCHEDULE,
    @JsonProperty("PreferNoSchedule") PREFER_NO_SCHEDULE,
    @JsonProperty("NoExecute") NO_EXECUTE
  }

  @Size(max = 316)
  @JsonPropertyDescription("Taint key to tolerate, e.g. cloud.google.com/gke-accelerator. Empty with operator Exists tolerates every taint.")
  private String key;

  @JsonPropertyDescription("Exists (any value) or Equal (the value below). Kubernetes' default is Equal.")
  private Operator operator;

  @Size(max = 63)
  @JsonPropertyDescription("Taint value to match with operator Equal.")
  private String value;

  @JsonPropertyDescription("Taint effect to tolerate: NoSchedule, PreferNoSchedule or NoExecute. Empty tolerates every effect.")
  private Effect effect;

  @Min(0)
  @Max(31536000)
  @JsonPropertyDescription("With effect NoExecute: seconds the pod stays bound after the taint appears. Empty: forever.")
  private Long tolerationSeconds;

  public String getKey() { return key; }
  public void setKey(String key) { this.key = key; }
  public Operator getOperator() { return operator; }
  public void setOperator(Operator operator) { this.operator = operator; }
  public String getValue() { return value; }
  public void setValue(String value) { this.value = value; }
  public Effect getEffect() { return effect; }
  public void setEffect(Effect effect) { this.effect = effect; }
  public Long getTolerationSeconds() { return tolerationSeconds; }
  public void setTolerationSeconds(Long tolerationSeconds) { this.tolerationSeconds = tolerationSeconds; }
}
