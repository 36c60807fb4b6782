package dev.pulse.crd.v1alpha1.feed;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.pulse.crd.common.SecretKeyRef;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** An X API v2 recent-search query. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class XSource {

  @Required
  @Size(min = 1, max = 512)
  @JsonPropertyDescription("Recent-search query in X's query syntax, e.g. '(acme OR #acmephone) -is:retweet lang:en'. At most 512 characters (the limit of X's standard access levels).")
  private String query;

  @Required
  @JsonPropertyDescription("Secret key holding the X API bearer token. The key defaults to bearer-token.")
  private SecretKeyRef bearerTokenSecret;

  @Default("100")
  @Min(10)
  @Max(100)
  @JsonPropertyDescription("Results per request (X allows 10 to 100). Default 100.")
  private Integer maxResults;

  public String getQuery() { return query; }
  public void setQuery(String query) { this.query = query; }
  public SecretKeyRef getBearerTokenSecret() { return bearerTokenSecret; }
  public void setBearerTokenSecret(SecretKeyRef bearerTokenSecret) { this.bearerTokenSecret = bearerTokenSecret; }
  public Integer getMaxResults() { return maxResults; }
  public void setMaxResults(Integer maxResults) { this.maxResults = maxResults; }
}
