package dev.pulse.crd.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.pulse.crd.common.Validation;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.generator.annotation.Size;

/** When a window of posts becomes an alert. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CrisisRule {

  @Default("5m")
  @Size(min = 2, max = 32)
  @ValidationRule(value = Validation.DURATION_RULE, message = Validation.DURATION_MESSAGE)
  @JsonPropertyDescription("Sliding window the rule is evaluated over, as a duration. Must be at least spark.triggerInterval. Default 5m.")
  private String window;

  @Default("50")
  @Min(1)
  @Max(1000000)
  @JsonPropertyDescription("Fewest posts in a window before any alert can fire, so three angry posts at night are not a crisis. Default 50.")
  private Integer minVolume;

  @Default("0.6")
  @Min(0)
  @Max(1)
  @JsonPropertyDescription("A CRISIS alert fires when the share of negative posts in a window reaches this value, in [0, 1]. Default 0.6.")
  private Double negativeRatio;

  @Default("3")
  @Min(1)
  @Max(100)
  @JsonPropertyDescription("A SPIKE alert fires when a window's volume reaches this multiple of the trailing average (1-100). Default 3.")
  private Double spikeFactor;

  public String getWindow() { return window; }
  public void setWindow(String window) { this.window = window; }
  public Integer getMinVolume() { return minVolume; }
  public void setMinVolume(Integer minVolume) { this.minVolume = minVolume; }
  public Double getNegativeRatio() { return negativeRatio; }
  public void setNegativeRatio(Double negativeRatio) { this.negativeRatio = negativeRatio; }
  public Double getSpikeFactor() { return spikeFactor; }
  public void setSpikeFactor(Double spikeFactor) { this.spikeFactor = spikeFactor; }
}
