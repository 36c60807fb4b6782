package dev.pulse.crd.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Light scoring in the JVM, escalation to the LLM, the brand glossary and the crisis rule. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ScoringSpec {

  /** Which light scorer runs in the Spark job (pipeline-runtime's README has each one's accuracy and speed). */
  public enum Tier { full, fast, lexicon }

  @Default("fast")
  @JsonPropertyDescription("Which light scorer the Spark job runs. fast (default): lexicon rules and heads on the all-MiniLM-L6-v2 embedding the vector store gets anyway, one forward pass per post (TweetEval test macro-recall 0.683). full: the same plus e5-small-v2 fine-tuned for sentiment as a second forward pass (0.712), 12 layers to MiniLM's 6, so under half of fast's posts per second per executor core (0.47x in ./pulse bench scorer); choose it when the executors have the headroom, as p99 latency rises with it. lexicon: the rules alone, no model (0.607); posts are embedded only for the vector store.")
  private Tier tier;

  @Default("0.6")
  @Min(0)
  @Max(1)
  @JsonPropertyDescription("Posts whose light-scorer confidence is below this value, in [0, 1], are escalated to the LLM. 0 escalates nothing, 1 everything. See pipeline-runtime's README for the share escalated at each threshold. Default 0.6.")
  private Double escalationThreshold;

  @Default("{}")
  @JsonPropertyDescription("Brand and crisis terminology applied by the scorer.")
  private Glossary glossary;

  @Default("{}")
  @JsonPropertyDescription("When the pipeline raises a crisis or spike alert.")
  private CrisisRule crisis;

  public Tier getTier() { return tier; }
  public void setTier(Tier tier) { this.tier = tier; }
  public Double getEscalationThreshold() { return escalationThreshold; }
  public void setEscalationThreshold(Double escalationThreshold) { this.escalationThreshold = escalationThreshold; }
  public Glossary getGlossary() { return glossary; }
  public void setGlossary(Glossary glossary) { this.glossary = glossary; }
  public CrisisRule getCrisis() { return crisis; }
  public void setCrisis(CrisisRule crisis) { this.crisis = crisis; }
}
