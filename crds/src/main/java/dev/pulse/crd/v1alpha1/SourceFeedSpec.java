package dev.pulse.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.pulse.crd.common.Validation;
import dev.pulse.crd.v1alpha1.feed.FeedFilters;
import dev.pulse.crd.v1alpha1.feed.FeedKafka;
import dev.pulse.crd.v1alpha1.feed.RedditSource;
import dev.pulse.crd.v1alpha1.feed.ReplaySource;
import dev.pulse.crd.v1alpha1.feed.RssSource;
import dev.pulse.crd.v1alpha1.feed.XSource;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Desired state of a SourceFeed: where posts come from, which to keep, and the Kafka topic they go to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "[has(self.rss), has(self.reddit), has(self.x), has(self.replay)].filter(b, b).size() == 1",
    message = "exactly one of spec.rss, spec.reddit, spec.x or spec.replay must be set: the block that matches spec.type")
@JsonClassDescription("Desired state of a SourceFeed: where posts come from, which to keep, how often to poll, and the Kafka topic they go to.")
@ValidationRule(value = "self.type != 'RSS' || has(self.rss)", message = "spec.type is RSS, so spec.rss must be set (with at least one feed URL)", fieldPath = ".rss")
@ValidationRule(value = "self.type != 'REDDIT' || has(self.reddit)", message = "spec.type is REDDIT, so spec.reddit must be set (subreddits and a credentials Secret)", fieldPath = ".reddit")
@ValidationRule(value = "self.type != 'X' || has(self.x)", message = "spec.type is X, so spec.x must be set (a search query and a bearer-token Secret)", fieldPath = ".x")
@ValidationRule(value = "self.type != 'REPLAY' || has(self.replay)", message = "spec.type is REPLAY, so spec.replay must be set (a ConfigMap or a file to replay)", fieldPath = ".replay")
@ValidationRule(value = "!has(self.pollInterval) || duration(self.pollInterval) >= duration('1s')", message = "spec.pollInterval must be at least 1s: polling faster gets the feed's API keys rate-limited", fieldPath = ".pollInterval")
public class SourceFeedSpec {

  /** The kinds of source a feed can read. */
  public enum FeedType { RSS, REDDIT, X, REPLAY }

  @Required
  @ValidationRule(value = "self == oldSelf", message = "spec.type cannot be changed; create a new SourceFeed instead")
  @JsonPropertyDescription("Kind of source: RSS (news RSS/Atom feeds), REDDIT (subreddit listings and search), X (X API v2 recent search) or REPLAY (a JSONL file of posts at a fixed rate). The block of the same name must be set, and only that one.")
  private FeedType type;

  @JsonPropertyDescription("News RSS/Atom feeds to poll. Required when type is RSS.")
  private RssSource rss;

  @JsonPropertyDescription("Subreddits to read through Reddit's OAuth API. Required when type is REDDIT.")
  private RedditSource reddit;

  @JsonProperty("x")
  @JsonPropertyDescription("X (Twitter) API v2 recent-search query. Required when type is X.")
  private XSource x;

  @JsonPropertyDescription("A JSONL file of posts replayed at a fixed rate (demos, load tests, the local run). Required when type is REPLAY.")
  private ReplaySource replay;

  @Default("60s")
  @Size(min = 2, max = 32)
  @ValidationRule(value = Validation.DURATION_RULE, message = Validation.DURATION_MESSAGE)
  @JsonPropertyDescription("How often the source is polled, as a duration (e.g. 30s, 5m). Ignored by REPLAY, which streams at its own rate. Default 60s; minimum 1s.")
  private String pollInterval;

  @JsonPropertyDescription("Keyword and language filters applied by the ingester before posts reach Kafka.")
  private FeedFilters filters;

  @Size(min = 2, max = 32)
  @ValidationRule(value = Validation.DURATION_RULE, message = Validation.DURATION_MESSAGE)
  @ValidationRule(value = "duration(self) >= duration('10s')", message = "spec.staleAfter must be at least 10s")
  @JsonPropertyDescription("How long the ingester stays ready without a successful poll (one whose posts, possibly none, reached Kafka). Past it the ingester's readiness probe (/readyz) fails, its Deployment has no available replica, and the Ingester and Ready conditions turn False: a source that keeps failing (revoked credentials, every feed URL broken, Kafka unreachable) shows in kubectl get. The pod is not restarted (liveness stays /healthz). Default: three poll intervals, at least 2m. A REPLAY that has sent its whole file stays ready.")
  private String staleAfter;

  @Required
  @JsonPropertyDescription("The Kafka this feed's posts go to (a Strimzi cluster, or any Kafka by its bootstrap servers) and the settings of its topic.")
  private FeedKafka kafka;

  @Default("false")
  @JsonPropertyDescription("When true the ingester is scaled to zero; the topic and its data stay. Set back to false to resume from the saved cursor.")
  private Boolean suspend;

  public FeedType getType() { return type; }
  public void setType(FeedType type) { this.type = type; }
  public RssSource getRss() { return rss; }
  public void setRss(RssSource rss) { this.rss = rss; }
  public RedditSource getReddit() { return reddit; }
  public void setReddit(RedditSource reddit) { this.reddit = reddit; }
  @JsonProperty("x")
  public XSource getX() { return x; }
  @JsonProperty("x")
  public void setX(XSource x) { this.x = x; }
  public ReplaySource getReplay() { return replay; }
  public void setReplay(ReplaySource replay) { this.replay = replay; }
  public String getPollInterval() { return pollInterval; }
  public void setPollInterval(String pollInterval) { this.pollInterval = pollInterval; }
  public FeedFilters getFilters() { return filters; }
  public void setFilters(FeedFilters filters) { this.filters = filters; }
  public String getStaleAfter() { return staleAfter; }
  public void setStaleAfter(String staleAfter) { this.staleAfter = staleAfter; }
  public FeedKafka getKafka() { return kafka; }
  public void setKafka(FeedKafka kafka) { this.kafka = kafka; }
  public Boolean getSuspend() { return suspend; }
  public void setSuspend(Boolean suspend) { this.suspend = suspend; }

  public boolean suspendedOrFalse() { return Boolean.TRUE.equals(suspend); }
}
