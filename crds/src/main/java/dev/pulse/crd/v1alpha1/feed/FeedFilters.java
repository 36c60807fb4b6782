package dev.pulse.crd.v1alpha1.feed;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Filters an ingester applies before a post reaches Kafka. Filtered posts are counted, not silently lost. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FeedFilters {

  @Size(max = 200)
  @ValidationRule(value = "self.all(k, size(k) >= 1 && size(k) <= 100)", message = "keywords must be 1 to 100 characters each")
  @JsonPropertyDescription("Keep only posts containing at least one of these keywords (case-insensitive). Empty keeps all.")
  private List<@Size(max = 100) String> keywords;

  @Size(max = 50)
  @ValidationRule(value = "self.all(l, l.matches('^[a-z]{2,3}$'))", message = "languages must be ISO 639 codes in lower case, e.g. en, de, fil")
  @JsonPropertyDescription("Keep only posts in these languages (ISO 639-1/-3 codes, e.g. en, de). Posts without a language are kept. Empty keeps all.")
  private List<@Size(max = 3) String> languages;

  public List<String> getKeywords() { return keywords; }
  public void setKeywords(List<String> keywords) { this.keywords = keywords; }
  public List<String> getLanguages() { return languages; }
  public void setLanguages(List<String> languages) { this.languages = languages; }
}
