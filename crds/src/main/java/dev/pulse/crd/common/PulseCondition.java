package dev.pulse.crd.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/**
 * A standard Kubernetes condition (the shape of metav1.Condition), declared here so that every field
 * carries a description for {@code kubectl explain}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PulseCondition {

  @Required
  @JsonPropertyDescription("Condition type: Ready, or the part it describes (e.g. Topics, Spark, LLM, VectorStore, Dashboard, Monitoring, Ingester, Training).")
  private String type;

  @Required
  @JsonPropertyDescription("True, False or Unknown.")
  private String status;

  @JsonPropertyDescription("A CamelCase word a program can match on, e.g. TopicNotReady or SecretMissing.")
  private String reason;

  @JsonPropertyDescription("What happened and, when something is wrong, what to do about it.")
  private String message;

  @JsonPropertyDescription("When the status last changed (RFC 3339).")
  private String lastTransitionTime;

  @JsonPropertyDescription("The metadata.generation this condition was computed for.")
  private Long observedGeneration;

  public PulseCondition() {}

  public PulseCondition(String type, String status, String reason, String message) {
    this.type = type;
    this.status = status;
    this.reason = reason;
    this.message = message;
  }

  public String getType() { return type; }
  public void setType(String type) { this.type = type; }
  public String getStatus() { return status; }
  public void setStatus(String status) { this.status = status; }
  public String getReason() { return reason; }
  public void setReason(String reason) { this.reason = reason; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
  public String getLastTransitionTime() { return lastTransitionTime; }
  public void setLastTransitionTime(String lastTransitionTime) { this.lastTransitionTime = lastTransitionTime; }
  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }

  public boolean holds() { return "True".equals(status); }

  /** Same meaning, ignoring when it was observed: used to avoid status writes that change nothing. */
  public boolean sameStateAs(PulseCondition other) {
    return other != null && Objects.equals(type, other.type) && Objects.equals(status, other.status)
        && Objects.equals(reason, other.reason) && Objects.equals(message, other.message)
        && Objects.equals(observedGeneration, other.observedGeneration);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) return true;
    if (!(o instanceof PulseCondition other)) return false;
    return sameStateAs(other) && Objects.equals(lastTransitionTime, other.lastTransitionTime);
  }

  @Override
  public int hashCode() { return Objects.hash(type, status, reason, message, observedGeneration); }

  @Override
  public String toString() { return type + "=" + status + " (" + reason + "): " + message; }
}
