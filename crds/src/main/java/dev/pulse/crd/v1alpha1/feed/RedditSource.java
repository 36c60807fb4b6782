package dev.pulse.crd.v1alpha1.feed;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.pulse.crd.common.Validation;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Subreddits read through Reddit's OAuth2 API (app-only token). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RedditSource {

  @Required
  @Size(min = 1, max = 100)
  @ValidationRule(value = "self.all(s, s.matches('^[A-Za-z0-9][A-Za-z0-9_]{1,20}$'))", message = "subreddit names are 2-21 letters, digits or '_', without the r/ prefix (e.g. technology)")
  @JsonPropertyDescription("Subreddit names without the r/ prefix, e.g. [technology, apple].")
  private List<@Size(max = 64) String> subreddits;

  @Size(max = 512)
  @JsonPropertyDescription("Optional search query (Reddit search syntax). When set, the ingester reads /search restricted to each subreddit; otherwise it reads /new.")
  private String query;

  @Required
  @JsonPropertyDescription("Secret holding the Reddit app's OAuth credentials under the keys client-id and client-secret.")
  private RedditCredentials credentials;

  @Required
  @Size(min = 10, max = 256)
  @JsonPropertyDescription("The User-Agent Reddit requires: <platform>:<app ID>:<version> (by /u/<username>), e.g. 'k8s:dev.pulse.ingest:0.1.0 (by /u/acme-social)'. Requests without a descriptive one are throttled.")
  private String userAgent;

  public List<String> getSubreddits() { return subreddits; }
  public void setSubreddits(List<String> subreddits) { this.subreddits = subreddits; }
  public String getQuery() { return query; }
  public void setQuery(String query) { this.query = query; }
  public RedditCredentials getCredentials() { return credentials; }
  public void setCredentials(RedditCredentials credentials) { this.credentials = credentials; }
  public String getUserAgent() { return userAgent; }
  public void setUserAgent(String userAgent) { this.userAgent = userAgent; }

  /** Where the Reddit app's client id and secret live. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class RedditCredentials {
    @Required
    @Size(min = 1, max = 253)
    @ValidationRule(value = Validation.DNS1123_SUBDOMAIN_RULE, message = "must be a valid Kubernetes Secret name: lower-case letters, digits, '-' and '.', starting and ending with a letter or digit (e.g. reddit-credentials)")
    @JsonPropertyDescription("Name of the Secret, in the feed's namespace.")
    private String secretName;

    @Default("client-id")
    @Size(min = 1, max = 253)
    @JsonPropertyDescription("Key of the OAuth client id in the Secret. Default client-id.")
    private String clientIdKey;

    @Default("client-secret")
    @Size(min = 1, max = 253)
    @JsonPropertyDescription("Key of the OAuth client secret in the Secret. Default client-secret.")
    private String clientSecretKey;

    public RedditCredentials() {}

    public RedditCredentials(String secretName) { this.secretName = secretName; }

    public String getSecretName() { return secretName; }
    public void setSecretName(String secretName) { this.secretName = secretName; }
    public String getClientIdKey() { return clientIdKey; }
    public void setClientIdKey(String clientIdKey) { this.clientIdKey = clientIdKey; }
    public String getClientSecretKey() { return clientSecretKey; }
    public void setClientSecretKey(String clientSecretKey) { this.clientSecretKey = clientSecretKey; }
  }
}
