package dev.pulse.crd.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Terms whose polarity the scorer must take from the brand, and words that mean a crisis. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Glossary {

  @Size(max = 150)
  @ValidationRule(value = "self.all(t, self.exists_one(u, u.term.lowerAscii() == t.term.lowerAscii()))", message = "glossary terms must be unique (case-insensitive)")
  @JsonPropertyDescription("Up to 150 terms with a polarity override, e.g. {term: 'sick', polarity: 0.6} for a brand whose fans use it as praise.")
  private List<Term> terms;

  @Size(max = 200)
  @ValidationRule(value = "self.all(k, size(k) >= 2 && size(k) <= 100)", message = "crisis keywords must be 2 to 100 characters each")
  @JsonPropertyDescription("Words or phrases that flag a post as crisis-related (e.g. recall, outage, lawsuit). A window with many of them raises a crisis alert even below the negative-ratio threshold.")
  private List<@Size(max = 100) String> crisisKeywords;

  public List<Term> getTerms() { return terms; }
  public void setTerms(List<Term> terms) { this.terms = terms; }
  public List<String> getCrisisKeywords() { return crisisKeywords; }
  public void setCrisisKeywords(List<String> crisisKeywords) { this.crisisKeywords = crisisKeywords; }

  /** One glossary entry. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Term {
    @Required
    @Size(min = 1, max = 100)
    @JsonPropertyDescription("The word or phrase, matched case-insensitively on word boundaries.")
    private String term;

    @Required
    @Min(-1)
    @Max(1)
    @JsonPropertyDescription("Its polarity in [-1, 1]: -1 very negative, 0 neutral (e.g. a product name that is also a sentiment word), 1 very positive.")
    private Double polarity;

    public Term() {}

    public Term(String term, Double polarity) {
      this.term = term;
      this.polarity = polarity;
    }

    public String getTerm() { return term; }
    public void setTerm(String term) { this.term = term; }
    public Double getPolarity() { return polarity; }
    public void setPolarity(Double polarity) { this.polarity = polarity; }
  }
}
