package dev.pulse.crd.v1alpha1.feed;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** News RSS 2.0 / Atom feeds, polled with conditional GET. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RssSource {

  @Required
  @Size(min = 1, max = 50)
  @ValidationRule(value = "self.all(u, u.matches('^https?://[^\\\\s]+$'))", message = "every feed URL must be an absolute http:// or https:// URL")
  @ValidationRule(value = "self.all(u, u.matches('^https?://[A-Za-z0-9._~:/?#@!$&()*+,;=%\\\\[\\\\]\\'-]+$'))", message = "every feed URL must consist of URL characters only (letters, digits and -._~:/?#[]@!$&'()*+,;=%): percent-encode anything else, e.g. a space as %20 and | as %7C")
  @JsonPropertyDescription("Feed URLs (RSS 2.0 or Atom), 1 to 50. Items are deduplicated by their id or link across all of them.")
  private List<@Size(min = 8, max = 2048) String> urls;

  public RssSource() {}

  public RssSource(List<String> urls) { this.urls = urls; }

  public List<String> getUrls() { return urls; }
  public void setUrls(List<String> urls) { this.urls = urls; }
}
