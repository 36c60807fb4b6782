package dev.pulse.crd.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/** The SourceFeeds a pipeline reads: named ones, labelled ones, or both (the union). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "(has(self.names) && size(self.names) > 0) || (has(self.matchLabels) && size(self.matchLabels) > 0)", message = "feeds must name at least one SourceFeed (feeds.names) or select them by label (feeds.matchLabels)")
public class FeedSelection {

  @Size(max = 100)
  @ValidationRule(value = "self.all(n, n.matches('^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$'))", message = "feed names must be SourceFeed names: lower-case letters, digits, '-' and '.'")
  @JsonPropertyDescription("Names of SourceFeeds in this namespace.")
  private List<@Size(max = 253) String> names;

  @Size(max = 20)
  @JsonPropertyDescription("Label selector: every SourceFeed in this namespace carrying all these labels, e.g. {pulse.dev/brand: acme}.")
  private Map<String, String> matchLabels;

  public List<String> getNames() { return names; }
  public void setNames(List<String> names) { this.names = names; }
  public Map<String, String> getMatchLabels() { return matchLabels; }
  public void setMatchLabels(Map<String, String> matchLabels) { this.matchLabels = matchLabels; }
}
