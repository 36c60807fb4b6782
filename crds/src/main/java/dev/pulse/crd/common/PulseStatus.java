package dev.pulse.crd.common;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What every Pulse resource reports: the generation it last acted on and one condition vocabulary
 * ({@code Ready} plus one condition per part), so {@code kubectl describe} reads the same across kinds.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class PulseStatus {

  @JsonPropertyDescription("The metadata.generation the operator last reconciled. When it is lower than metadata.generation, the status describes an older spec.")
  private Long observedGeneration;

  @JsonPropertyDescription("Standard conditions: Ready, plus one per part the resource drives. Each has a reason and a message a person can act on.")
  private List<PulseCondition> conditions = new ArrayList<>();

  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
  public List<PulseCondition> getConditions() { return conditions; }
  public void setConditions(List<PulseCondition> conditions) { this.conditions = conditions; }

  @JsonIgnore
  public Optional<PulseCondition> condition(String type) {
    return conditions == null ? Optional.empty()
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }
}
