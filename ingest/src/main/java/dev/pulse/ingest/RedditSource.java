package dev.pulse.ingest;

import dev.pulse.contract.IngestConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.event.Engagement;
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
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reddit's Data API, app-only: a client-credentials token from /api/v1/access_token (HTTP Basic with the app's id
 * and secret), then /r/{sub}/new and, when a query is set, /r/{sub}/search listings on oauth.reddit.com.
 *
 * <p>Cursor per listing: the fullname of the newest post seen. A first run takes the newest page and follows
 * {@code after} for {@code backfillPages} pages; later polls ask for {@code before=<newest>} and follow the listing's
 * {@code before} until no newer page is left. Rate limits: every response's X-Ratelimit-Remaining/-Reset/-Used are
 * read, and when the budget is spent the source waits for the reset before the next request.
 */
public final class RedditSource implements FeedSource {
  private static final Logger LOG = LoggerFactory.getLogger(RedditSource.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_PAGES_PER_POLL = 10;

  private final String feedName;
  private final IngestConfig.Reddit config;
  private final Secret clientId;
  private final Secret clientSecret;
  private final Http http;
  private final AuthorHash authors;
  private final String authUrl;
  private final String apiUrl;
  private final int limit;
  private String token;
  private Instant tokenExpiry = Instant.EPOCH;
  private Duration waitBeforeNext = Duration.ZERO;

  public RedditSource(String feedName, IngestConfig.Reddit config, Secret clientId, Secret clientSecret, Http http,
      AuthorHash authors) {
    this.feedName = feedName;
    this.config = config;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.http = http;
    this.authors = authors;
    this.authUrl = config.authUrl() == null ? "https://www.reddit.com/api/v1/access_token" : config.authUrl();
    this.apiUrl = trimSlash(config.apiUrl() == null ? "https://oauth.reddit.com" : config.apiUrl());
    this.limit = config.limit() == null ? 100 : Math.min(100, config.limit());
  }

  @Override
  public Batch poll(ObjectNode cursor) throws IOException, InterruptedException {
    ObjectNode next = cursor.deepCopy();
    Map<String, Post> posts = new LinkedHashMap<>();
    Map<String, Rejected> rejected = new LinkedHashMap<>();
    for (String sub : config.subreddits()) {
      pollListing("new:" + sub, "/r/" + sub + "/new", Map.of(), next, posts, rejected);
      if (config.query() != null && !config.query().isBlank()) {
        pollListing("search:" + sub, "/r/" + sub + "/search",
            Map.of("q", config.query(), "restrict_sr", "1", "sort", "new"), next, posts, rejected);
      }
    }
    http.metrics().fetched(posts.size());
    return new Batch(new ArrayList<>(posts.values()), new ArrayList<>(rejected.values()), next, false);
  }

  private void pollListing(String key, String path, Map<String, String> params, ObjectNode cursor,
      Map<String, Post> out, Map<String, Rejected> rejected) throws IOException, InterruptedException {
    String newest = cursor.path(key).asText(null);
    String firstNewest = null;
    if (newest == null) {
      String after = null;
      int pages = config.backfillPages() == null ? 1 : config.backfillPages();
      for (int page = 0; page < pages; page++) {
        Listing listing = fetch(path, params, "after", after);
        listing.posts().forEach(p -> out.putIfAbsent(p.id(), p));
        listing.rejected().forEach(r -> rejected.putIfAbsent(r.what(), r));
        firstNewest = firstNewest == null ? listing.firstName() : firstNewest;
        after = listing.after();
        if (after == null) {
          break;
        }
      }
    } else {
      // "before" pages go towards newer posts; the listing's own "before" says where the next newer page starts.
      String before = newest;
      for (int page = 0; page < MAX_PAGES_PER_POLL && before != null; page++) {
        Listing listing = fetch(path, params, "before", before);
        listing.posts().forEach(p -> out.putIfAbsent(p.id(), p));
        listing.rejected().forEach(r -> rejected.putIfAbsent(r.what(), r));
        if (listing.firstName() != null) {
          firstNewest = firstNewest == null || page > 0 ? listing.firstName() : firstNewest;
        }
        before = listing.firstName() == null ? null : listing.before();
      }
    }
    if (firstNewest != null) {
      cursor.put(key, firstNewest);
    }
  }

  record Listing(List<Post> posts, List<Rejected> rejected, String firstName, String after, String before) {}

  private Listing fetch(String path, Map<String, String> params, String direction, String fullname)
      throws IOException, InterruptedException {
    StringBuilder query = new StringBuilder("limit=" + limit + "&raw_json=1");
    params.forEach((k, v) -> query.append('&').append(k).append('=').append(encode(v)));
    if (fullname != null) {
      query.append('&').append(direction).append('=').append(encode(fullname));
    }
    HttpResponse<byte[]> response = authorized(URI.create(apiUrl + path + "?" + query), path);
    if (response.statusCode() == 401) {
      token = null; // expired or revoked early: one fresh token, then give up for this poll
      response = authorized(URI.create(apiUrl + path + "?" + query), path);
    }
    if (response.statusCode() != 200) {
      throw new HttpStatusException(response.statusCode(), "reddit " + path);
    }
    return parseListing(response.body(), path);
  }

  private HttpResponse<byte[]> authorized(URI uri, String path) throws IOException, InterruptedException {
    String bearer = token();
    http.sleeper().sleep(waitBeforeNext);
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET()
        .header("Authorization", "Bearer " + bearer)
        .header("User-Agent", config.userAgent())
        .build();
    HttpResponse<byte[]> response = http.send(request, "reddit " + path);
    noteRateLimit(response);
    return response;
  }

  /** Reddit's budget per window: when it is spent, wait for X-Ratelimit-Reset before the next request. */
  private void noteRateLimit(HttpResponse<?> response) {
    waitBeforeNext = Duration.ZERO;
    RateLimitHeaders.redditRemaining(response.headers()).ifPresent(remaining -> {
      http.metrics().rateLimitRemaining(remaining);
      if (remaining < 1) {
        waitBeforeNext = RateLimitHeaders.waitHint(response.headers(), http.clock().instant()).orElse(Duration.ZERO);
        LOG.info("reddit rate limit spent (used {}); waiting {} s for the reset",
            response.headers().firstValue("x-ratelimit-used").orElse("?"), waitBeforeNext.toSeconds());
      }
    });
  }

  private String token() throws IOException, InterruptedException {
    Instant now = http.clock().instant();
    if (token != null && now.isBefore(tokenExpiry)) {
      return token;
    }
    String basic = Base64.getEncoder().encodeToString(
        (clientId.reveal() + ":" + clientSecret.reveal()).getBytes(StandardCharsets.UTF_8));
    HttpRequest request = HttpRequest.newBuilder(URI.create(authUrl)).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Basic " + basic)
        .header("User-Agent", config.userAgent())
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
        .build();
    HttpResponse<byte[]> response = http.send(request, "reddit token endpoint");
    if (response.statusCode() != 200) {
      throw new HttpStatusException(response.statusCode(), "reddit token endpoint (check " + clientId.name()
          + " and " + clientSecret.name() + ")");
    }
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new MalformedPayloadException("reddit token endpoint answered something that is not JSON", e);
    }
    if (body == null || !body.hasNonNull("access_token")) {
      // The body may hold an error code; never the secret, but we still do not echo it whole.
      throw new MalformedPayloadException("reddit token endpoint answered without access_token (error: "
          + (body == null ? "none" : body.path("error").asText("none")) + ")", null);
    }
    token = body.get("access_token").asText();
    long ttl = body.path("expires_in").asLong(3600);
    tokenExpiry = now.plusSeconds(Math.max(60, ttl - 60));
    return token;
  }

  Listing parseListing(byte[] bytes, String path) throws MalformedPayloadException {
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new MalformedPayloadException("reddit " + path + " answered malformed JSON: " + firstLine(e.getMessage()), e);
    }
    if (root == null || !"Listing".equals(root.path("kind").asText()) || !root.path("data").path("children").isArray()) {
      throw new MalformedPayloadException("reddit " + path + " answered JSON that is not a Listing", null);
    }
    JsonNode data = root.get("data");
    List<Post> posts = new ArrayList<>();
    List<Rejected> rejected = new ArrayList<>();
    String firstName = null;
    int index = 0;
    for (JsonNode child : data.get("children")) {
      index++;
      if (!"t3".equals(child.path("kind").asText())) {
        continue; // not a post (a listing may hold other kinds); nothing to deliver
      }
      JsonNode d = child.path("data");
      String name = d.path("name").isTextual() ? d.path("name").asText() : null;
      // One post missing a field is skipped and dead-lettered; the rest of the listing is delivered. A post with
      // a name still moves the cursor past it, so it is not fetched and rejected again on every poll.
      if (name != null && !name.isBlank()) {
        firstName = firstName == null ? name : firstName;
      }
      String problem = name == null || name.isBlank() ? "reddit post without name (its fullname)"
          : !d.path("created_utc").isNumber() ? "reddit post " + name + " without a numeric created_utc"
          : !d.path("title").isTextual() ? "reddit post " + name + " without a title" : null;
      if (problem == null) {
        try {
          posts.add(toPost(d, name));
        } catch (RuntimeException e) {
          problem = "reddit post " + name + " cannot be made into a post: " + e.getMessage();
        }
      }
      if (problem != null) {
        rejected.add(Rejected.invalid(name == null ? "reddit " + path + " child " + index + " (no name)"
            : "reddit post " + name, name == null ? null : "reddit:" + name, child.toString(), problem));
      }
    }
    return new Listing(posts, rejected, firstName, text(data, "after"), text(data, "before"));
  }

  private Post toPost(JsonNode d, String name) {
    String title = d.path("title").asText("");
    String body = d.path("selftext").asText("");
    String text = body.isBlank() ? title : title + "\n" + body;
    Instant created = Instant.ofEpochMilli((long) (d.path("created_utc").asDouble(0) * 1000));
    String permalink = d.path("permalink").asText(null);
    String author = d.path("author").asText(null);
    return Post.of("reddit:" + name, Source.REDDIT, feedName,
        "[deleted]".equals(author) ? null : authors.of(Source.REDDIT, author), text, null, created,
        http.clock().instant(), permalink == null ? null : "https://www.reddit.com" + permalink, null,
        new Engagement(d.path("score").asLong(), (long) d.path("num_crossposts").asInt(0),
            d.path("num_comments").asLong(), null, null));
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
  }

  static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String trimSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
