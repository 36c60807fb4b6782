package dev.pulse.event;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * One post as every stage sees it. {@code id} is stable per source ("x:1850…", "reddit:t3_abc", "rss:…"), so it is
 * the Kafka key, the dedup key and the vector-store point id. The author is kept only as a salted hash.
 */
public record Post(
    @JsonProperty(required = true) int schemaVersion,
    String id,
    Source source,
    String feed,
    String authorHash,
    String text,
    String lang,
    Instant createdAt,
    Instant ingestedAt,
    String url,
    Geo geo,
    Engagement engagement) {

  public Post {
    SchemaVersion.check(schemaVersion);
    Validate.notBlank(id, "id");
    Validate.notNull(source, "source");
    Validate.notBlank(feed, "feed");
    Validate.notNull(text, "text");
    Validate.notNull(createdAt, "createdAt");
    Validate.notNull(ingestedAt, "ingestedAt");
    if (engagement == null) {
      engagement = Engagement.NONE;
    }
  }

  /** A post of the current schema version. */
  public static Post of(String id, Source source, String feed, String authorHash, String text, String lang,
      Instant createdAt, Instant ingestedAt, String url, Geo geo, Engagement engagement) {
    return new Post(SchemaVersion.CURRENT, id, source, feed, authorHash, text, lang, createdAt, ingestedAt, url,
        geo, engagement);
  }

  public Post withIngestedAt(Instant at) {
    return new Post(schemaVersion, id, source, feed, authorHash, text, lang, createdAt, at, url, geo, engagement);
  }

  public Post withId(String newId) {
    return new Post(schemaVersion, newId, source, feed, authorHash, text, lang, createdAt, ingestedAt, url, geo,
        engagement);
  }

  public Post withFeed(String newFeed) {
    return new Post(schemaVersion, id, source, newFeed, authorHash, text, lang, createdAt, ingestedAt, url, geo,
        engagement);
  }
}
