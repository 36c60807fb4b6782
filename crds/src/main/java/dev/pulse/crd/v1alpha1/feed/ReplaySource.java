package dev.pulse.crd.v1alpha1.feed;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.pulse.crd.common.ConfigMapKeyRef;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A JSONL file of posts (Pulse's post schema) replayed at a fixed rate. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.configMap) != has(self.path)", message = "set exactly one of replay.configMap or replay.path")
public class ReplaySource {

  @JsonPropertyDescription("ConfigMap key holding the JSONL posts (up to the 1 MiB ConfigMap limit).")
  private ConfigMapKeyRef configMap;

  @Size(min = 1, max = 1024)
  @ValidationRule(value = "self.startsWith('/')", message = "replay.path must be an absolute path inside the ingester container")
  @JsonPropertyDescription("Absolute path of a JSONL file inside the ingester image or a mounted volume.")
  private String path;

  @Default("50")
  @Min(0)
  @Max(100000)
  @JsonPropertyDescription("Posts per second to replay; 0 replays as fast as Kafka accepts them. Default 50.")
  private Double ratePerSecond;

  @Default("false")
  @JsonPropertyDescription("Start again from the first post after the last one (with fresh ids), for endless demos.")
  private Boolean loop;

  public ConfigMapKeyRef getConfigMap() { return configMap; }
  public void setConfigMap(ConfigMapKeyRef configMap) { this.configMap = configMap; }
  public String getPath() { return path; }
  public void setPath(String path) { this.path = path; }
  public Double getRatePerSecond() { return ratePerSecond; }
  public void setRatePerSecond(Double ratePerSecond) { this.ratePerSecond = ratePerSecond; }
  public Boolean getLoop() { return loop; }
  public void setLoop(Boolean loop) { this.loop = loop; }
}
