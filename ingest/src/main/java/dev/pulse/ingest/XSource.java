package dev.pulse.ingest;

import dev.pulse.contract.IngestConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.event.Engagement;
import dev.pulse.event.Geo;
import dev.pulse.event.Post;
import dev.pulse.event.Source;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * X API v2 recent search ({@code GET /2/tweets/search/recent}) with an app bearer token. The cursor is
 * {@code since_id}: a poll asks for posts newer than it, follows {@code meta.next_token} through the pages, and
 * saves the first page's {@code meta.newest_id} once every page is acknowledged (a poll that runs out of
 * {@code maxPages} keeps its next_token and carries on at the next poll). Geo comes from
 * {@code geo.coordinates} ([lon, lat]) and from the place in {@code includes.places} ({@code expansions=geo.place_id}).
 * 429s wait for {@code x-rate-limit-reset} (see {@link Http}).
 */
public final class XSource implements FeedSource {
  static final String TWEET_FIELDS = "created_at,lang,geo,public_metrics,author_id";
  static final String PLACE_FIELDS = "country_code,full_name,geo";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String feedName;
  private final IngestConfig.X config;
  private final Secret bearer;
  private final Http http;
  private final AuthorHash authors;
  private final String apiUrl;

  public XSource(String feedName, IngestConfig.X config, Secret bearer, Http http, AuthorHash authors) {
    this.feedName = feedName;
    this.config = config;
    this.bearer = bearer;
    this.http = http;
    this.authors = authors;
    String base = config.apiUrl() == null ? "https://api.x.com" : config.apiUrl();
    this.apiUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  @Override
  public Batch poll(ObjectNode cursor) throws IOException, InterruptedException {
    String sinceId = cursor.path("sinceId").asText(null);
    // A poll that ran out of pages leaves its next_token (and the newest id it saw) to carry on from.
    String nextToken = cursor.path("nextToken").asText(null);
    String newestId = cursor.path("pendingNewestId").asText(null);
    int maxPages = config.maxPages() == null ? (sinceId == null ? 1 : 10) : config.maxPages();
    Map<String, Post> posts = new LinkedHashMap<>();
    List<Rejected> rejected = new ArrayList<>();
    for (int page = 0; page < maxPages; page++) {
      JsonNode body = fetch(sinceId, nextToken);
      JsonNode meta = body.path("meta");
      if (newestId == null) {
        newestId = meta.path("newest_id").asText(null);
      }
      Map<String, JsonNode> places = places(body.path("includes").path("places"));
      for (JsonNode tweet : body.path("data")) {
        // One post missing a field is skipped and dead-lettered; the rest of the page is delivered.
        try {
          Post post = toPost(tweet, places);
          posts.putIfAbsent(post.id(), post);
        } catch (MalformedPayloadException | RuntimeException e) {
          String id = tweet.path("id").asText(null);
          rejected.add(Rejected.invalid("x post " + (id == null ? "without id" : id), id == null ? null : "x:" + id,
              tweet.toString(), e.getMessage()));
        }
      }
      nextToken = meta.path("next_token").asText(null);
      if (nextToken == null) {
        break;
      }
    }
    http.metrics().fetched(posts.size());
    return new Batch(new ArrayList<>(posts.values()), rejected, nextCursor(cursor, sinceId, newestId, nextToken),
        false);
  }

  /**
   * since_id moves to the newest post only once every page newer than it was read; until then the cursor keeps
   * the old since_id, the pending newest id and the next_token. A first run (no since_id) is a bounded backfill
   * and does not page further back on later polls.
   */
  static ObjectNode nextCursor(ObjectNode cursor, String sinceId, String newestId, String nextToken) {
    ObjectNode next = cursor.deepCopy();
    next.remove("nextToken");
    next.remove("pendingNewestId");
    if (nextToken != null && sinceId != null) {
      next.put("nextToken", nextToken);
      if (newestId != null) {
        next.put("pendingNewestId", newestId);
      }
    } else if (newestId != null) {
      next.put("sinceId", newestId);
    }
    return next;
  }

  private JsonNode fetch(String sinceId, String nextToken) throws IOException, InterruptedException {
    int maxResults = config.maxResults() == null ? 100 : Math.max(10, Math.min(100, config.maxResults()));
    StringBuilder q = new StringBuilder("query=").append(encode(config.query()))
        .append("&max_results=").append(maxResults)
        .append("&tweet.fields=").append(encode(TWEET_FIELDS))
        .append("&expansions=geo.place_id")
        .append("&place.fields=").append(encode(PLACE_FIELDS));
    if (sinceId != null) {
      q.append("&since_id=").append(encode(sinceId));
    }
    if (nextToken != null) {
      q.append("&next_token=").append(encode(nextToken));
    }
    HttpRequest request = HttpRequest.newBuilder(URI.create(apiUrl + "/2/tweets/search/recent?" + q))
        .timeout(Duration.ofSeconds(30)).GET()
        .header("Authorization", "Bearer " + bearer.reveal())
        .header("User-Agent", "pulse-ingester/0.1")
        .build();
    HttpResponse<byte[]> response = http.send(request, "x recent search");
    if (response.statusCode() != 200) {
      throw new HttpStatusException(response.statusCode(), "x recent search" + errorTitle(response.body()));
    }
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new MalformedPayloadException("x recent search answered malformed JSON: " + RedditSource.firstLine(e.getMessage()), e);
    }
    if (body == null || !body.isObject() || !body.path("meta").isObject()
        || (body.has("data") && !body.get("data").isArray())) {
      throw new MalformedPayloadException("x recent search answered JSON without the documented meta/data", null);
    }
    return body;
  }

  Post toPost(JsonNode t, Map<String, JsonNode> places) throws MalformedPayloadException {
    if (!t.isObject()) {
      throw new MalformedPayloadException("x post is not a JSON object", null);
    }
    String id = t.path("id").isValueNode() ? t.path("id").asText(null) : null;
    String created = t.path("created_at").isTextual() ? t.path("created_at").asText() : null;
    if (id == null || id.isBlank() || !t.path("text").isTextual() || created == null) {
      throw new MalformedPayloadException("x post without id, text or created_at (were tweet.fields sent?)", null);
    }
    Instant createdAt;
    try {
      createdAt = Instant.parse(created);
    } catch (RuntimeException e) {
      throw new MalformedPayloadException("x post " + id + " has an unreadable created_at: " + created, e);
    }
    JsonNode m = t.path("public_metrics");
    Engagement engagement = m.isObject()
        ? new Engagement(longOrNull(m, "like_count"), longOrNull(m, "retweet_count"), longOrNull(m, "reply_count"),
            longOrNull(m, "quote_count"), longOrNull(m, "impression_count"))
        : Engagement.NONE;
    String lang = t.path("lang").asText(null);
    return Post.of("x:" + id, Source.X, feedName, authors.of(Source.X, t.path("author_id").asText(null)),
        t.get("text").asText(), "und".equals(lang) ? null : lang, createdAt, http.clock().instant(),
        "https://x.com/i/web/status/" + id, geo(t.path("geo"), places), engagement);
  }

  static Geo geo(JsonNode geo, Map<String, JsonNode> places) {
    if (!geo.isObject()) {
      return null;
    }
    Double lat = null;
    Double lon = null;
    JsonNode coords = geo.path("coordinates").path("coordinates");
    if (coords.isArray() && coords.size() == 2) {
      lon = coords.get(0).asDouble();
      lat = coords.get(1).asDouble();
    }
    JsonNode place = places.get(geo.path("place_id").asText(""));
    String country = place == null ? null : place.path("country_code").asText(null);
    String name = place == null ? null : place.path("full_name").asText(null);
    JsonNode bbox = place == null ? null : place.path("geo").path("bbox");
    if (lat == null && bbox != null && bbox.isArray() && bbox.size() == 4) {
      // [west, south, east, north]: the centre stands in for the post's position.
      lon = (bbox.get(0).asDouble() + bbox.get(2).asDouble()) / 2;
      lat = (bbox.get(1).asDouble() + bbox.get(3).asDouble()) / 2;
    }
    if (lat == null && country == null && name == null) {
      return null;
    }
    return new Geo(lat, lon, country, name);
  }

  private static Map<String, JsonNode> places(JsonNode array) {
    Map<String, JsonNode> byId = new HashMap<>();
    array.forEach(p -> byId.put(p.path("id").asText(), p));
    return byId;
  }

  private static Long longOrNull(JsonNode node, String field) {
    return node.hasNonNull(field) ? node.get(field).asLong() : null;
  }

  private static String errorTitle(byte[] body) {
    try {
      JsonNode n = JSON.readTree(body);
      String title = n == null ? null : n.path("title").asText(null);
      return title == null ? "" : " (" + title + ")";
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

}
