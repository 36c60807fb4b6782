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

  @Size(max = 20)
  @ValidationRule(value = "self.all(c, c.matches('^[0-9A-Fa-f:.]+/[0-9]{1,3}$'))", message = "every allowed network must be a CIDR block such as 10.1.2.0/24, 127.0.0.1/32 or fd00::/8")
  @JsonPropertyDescription("CIDR blocks the feeds may be fetched from although they are not public, e.g. [10.1.2.0/24] for an intranet feed. By default the ingester fetches only from public addresses: loopback, link-local (with the cloud metadata address 169.254.169.254), private (RFC 1918, IPv6 ULA) and other special addresses are refused after DNS resolution and after every redirect, so a feed URL cannot be used to reach the cluster's own services.")
  private List<@Size(min = 3, max = 43) String> allowedNetworks;

  public RssSource() {}

  public RssSource(List<String> urls) { this.urls = urls; }

  public List<String> getUrls() { return urls; }
  public List<String> getAllowedNetworks() { return allowedNetworks; }
  public void setAllowedNetworks(List<String> allowedNetworks) { this.allowedNetworks = allowedNetworks; }
  public void setUrls(List<String> urls) { this.urls = urls; }
}
