package dev.pulse.ingest;

import dev.pulse.contract.IngestConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rometools.rome.feed.synd.SyndContent;
import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.io.FeedException;
import com.rometools.rome.io.SyndFeedInput;
import com.rometools.rome.io.XmlReader;
import dev.pulse.event.Engagement;
import dev.pulse.event.Post;
import dev.pulse.event.Source;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * News feeds (RSS 0.9x/1.0/2.0 and Atom, parsed by Rome). Each feed is fetched with a conditional GET (If-None-Match
 * / If-Modified-Since from the last response), so an unchanged feed costs a 304. Items have no cursor, so the
 * cursor is the set of recently seen item ids per feed (bounded), which is also how items are deduplicated. One
 * failing feed does not stop the others: its state is kept and it is retried next poll. A URL that is not a valid
 * http(s) URL (an illegal character, no host) is reported once at start, counted on every poll
 * ({@code failures{reason=invalid_url}}) and skipped; the other feeds carry on. An entry that cannot be made into a
 * post is rejected on its own (dead-lettered), the rest of its feed is delivered. The poll fails only when every
 * feed failed.
 */
public final class RssSource implements FeedSource {
  private static final Logger LOG = LoggerFactory.getLogger(RssSource.class);

  private final String feedName;
  private final List<String> urls;
  private final Map<String, String> invalidUrls = new LinkedHashMap<>();
  private final int maxSeen;
  private final Http http;
  private final AuthorHash authors;
  private final AddressGuard guard;
  private final long maxBodyBytes;
  private final Duration fetchTimeout;
  private final PinnedExchange client;

  static final long DEFAULT_MAX_BODY_BYTES = 10L << 20;
  static final Duration DEFAULT_FETCH_TIMEOUT = Duration.ofSeconds(30);
  static final int MAX_REDIRECTS = 5;
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  public RssSource(String feedName, IngestConfig.Rss config, Http http, AuthorHash authors) {
    this(feedName, config, http, authors, InetAddress::getAllByName);
  }

  /** With the resolver the address check uses (tests pin host names to addresses, or change their answer). */
  RssSource(String feedName, IngestConfig.Rss config, Http http, AuthorHash authors, AddressGuard.Resolver resolver) {
    this(feedName, config, http, authors, resolver, new PinnedHttpClient(CONNECT_TIMEOUT));
  }

  /** With canned answers instead of connections (the parser fuzz test). */
  RssSource(String feedName, IngestConfig.Rss config, Http http, AuthorHash authors, AddressGuard.Resolver resolver,
      PinnedExchange client) {
    this.guard = new AddressGuard(config.allowedNetworks(), resolver);
    this.client = client;
    this.maxBodyBytes = config.maxBodyBytes() == null ? DEFAULT_MAX_BODY_BYTES : config.maxBodyBytes();
    this.fetchTimeout = config.fetchTimeout() == null ? DEFAULT_FETCH_TIMEOUT
        : dev.pulse.contract.Durations.parse(config.fetchTimeout());
    if (maxBodyBytes < 1 || fetchTimeout.isNegative() || fetchTimeout.isZero()) {
      throw new IllegalArgumentException("rss.maxBodyBytes and rss.fetchTimeout must be positive");
    }
    this.feedName = feedName;
    this.urls = List.copyOf(config.feeds());
    for (String url : urls) {
      invalidUrl(url).ifPresent(why -> {
        invalidUrls.put(url, why);
        LOG.error("feed {}: skipping feed URL {}: {}", feedName, printable(url), why);
      });
    }
    this.maxSeen = config.maxSeenPerFeed() == null ? 5000 : config.maxSeenPerFeed();
    this.http = http;
    this.authors = authors;
  }

  @Override
  public Batch poll(ObjectNode cursor) throws IOException, InterruptedException {
    ObjectNode next = cursor.deepCopy();
    ObjectNode feeds = next.has("feeds") ? (ObjectNode) next.get("feeds") : next.putObject("feeds");
    List<Post> posts = new ArrayList<>();
    List<Rejected> rejected = new ArrayList<>();
    IOException firstFailure = null;
    int failures = 0;
    for (String url : urls) {
      if (invalidUrls.containsKey(url)) {
        failures++;
        http.metrics().failed("invalid_url");
        firstFailure = firstFailure == null ? new MalformedPayloadException("feed URL " + printable(url)
            + " is invalid: " + invalidUrls.get(url), null) : firstFailure;
        continue;
      }
      ObjectNode state = feeds.has(url) ? (ObjectNode) feeds.get(url) : feeds.putObject(url);
      try {
        pollFeed(url, state, posts, rejected);
      } catch (IOException e) {
        failures++;
        firstFailure = firstFailure == null ? e : firstFailure;
        http.metrics().failed(e instanceof MalformedPayloadException ? "malformed"
            : e instanceof RefusedAddressException ? "refused_address"
            : e instanceof BodyTooLargeException ? "body_too_large" : "http");
        LOG.warn("feed {}: {}", url, e.getMessage());
      } catch (RuntimeException e) {
        // Whatever Rome or the HTTP client throws for one feed stays with that feed.
        failures++;
        firstFailure = firstFailure == null ? new IOException("feed " + url + ": " + e, e) : firstFailure;
        http.metrics().failed("feed_error");
        LOG.warn("feed {}: {}", url, e.toString());
      }
    }
    if (failures == urls.size() && firstFailure != null) {
      throw firstFailure;
    }
    return new Batch(posts, rejected, next, false);
  }

  /** Why a configured URL cannot be fetched, if it cannot: not parseable, not http(s), or without a host. */
  static java.util.Optional<String> invalidUrl(String url) {
    if (url == null || url.isBlank()) {
      return java.util.Optional.of("the URL is empty");
    }
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        return java.util.Optional.of("only http and https URLs can be fetched");
      }
      if (uri.getHost() == null || uri.getHost().isBlank()) {
        return java.util.Optional.of("the URL has no (valid) host name");
      }
      return java.util.Optional.empty();
    } catch (URISyntaxException e) {
      return java.util.Optional.of("not a valid URL: " + e.getMessage());
    }
  }

  /** A URL as it can go into a log line: control characters shown as escapes, at most 300 characters. */
  static String printable(String url) {
    StringBuilder out = new StringBuilder();
    url.codePoints().limit(300).forEach(c -> {
      if (Character.isISOControl(c)) {
        out.append(String.format("\\u%04x", c));
      } else {
        out.appendCodePoint(c);
      }
    });
    return url.length() > 300 ? out + "…" : out.toString();
  }

  private void pollFeed(String url, ObjectNode state, List<Post> out, List<Rejected> rejected)
      throws IOException, InterruptedException {
    HttpResponse<byte[]> response = fetch(url, state);
    if (response.statusCode() == 304) {
      return;
    }
    if (response.statusCode() / 100 != 2) {
      throw new HttpStatusException(response.statusCode(), "feed " + url);
    }
    SyndFeed feed;
    try {
      feed = new SyndFeedInput().build(new XmlReader(new ByteArrayInputStream(response.body())));
    } catch (FeedException | IllegalArgumentException e) {
      throw new MalformedPayloadException("feed " + url + " is not a readable RSS/Atom document: " + e.getMessage(),
          e);
    }
    Set<String> seen = seen(state);
    Instant now = http.clock().instant();
    List<Post> posts = new ArrayList<>();
    for (SyndEntry entry : feed.getEntries()) {
      String key = entry.getUri() != null && !entry.getUri().isBlank() ? entry.getUri() : entry.getLink();
      if (key == null || key.isBlank()) {
        key = url + "#" + entry.getTitle();
      }
      String id = "rss:" + AuthorHash.digest(key);
      if (!seen.add(id)) {
        continue;
      }
      try {
        posts.add(toPost(id, feed, entry, now));
      } catch (RuntimeException e) {
        // Seen all the same: the entry is dead-lettered once, not again on every poll.
        rejected.add(Rejected.invalid("rss entry " + printable(key) + " of " + printable(url), id,
            entrySummary(url, entry), "cannot be made into a post: " + e.getMessage()));
      }
    }
    http.metrics().fetched(posts.size());
    // Remember validators and seen ids only here, in the copy the loop saves after Kafka acknowledged the batch.
    response.headers().firstValue("etag").ifPresentOrElse(v -> state.put("etag", v), () -> state.remove("etag"));
    response.headers().firstValue("last-modified")
        .ifPresentOrElse(v -> state.put("lastModified", v), () -> state.remove("lastModified"));
    ArrayNode kept = state.putArray("seen");
    seen.stream().skip(Math.max(0, seen.size() - maxSeen)).forEach(kept::add);
    out.addAll(posts);
  }

  /**
   * GET the feed, following at most {@link #MAX_REDIRECTS} redirects by hand so that every target, the first one
   * too, passes the address check after DNS resolution, and the connection goes to the checked addresses only (no
   * second lookup: DNS rebinding cannot swap them); the body is capped and the whole fetch, redirects included, must
   * end within the fetch timeout.
   */
  private HttpResponse<byte[]> fetch(String url, ObjectNode state) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + fetchTimeout.toNanos();
    URI target = URI.create(url);
    for (int hop = 0; ; hop++) {
      List<InetAddress> addresses = guard.resolve(target);
      Duration left = Duration.ofNanos(deadline - System.nanoTime());
      if (left.isNegative() || left.isZero()) {
        throw new java.net.http.HttpTimeoutException("feed " + url + ": not fetched within " + fetchTimeout);
      }
      HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(left).GET()
          .header("Accept", "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.8")
          .header("User-Agent", "pulse-ingester/0.1 (+https://github.com/pulse-dev/pulse)");
      if (state.hasNonNull("etag")) {
        request.header("If-None-Match", state.get("etag").asText());
      }
      if (state.hasNonNull("lastModified")) {
        request.header("If-Modified-Since", state.get("lastModified").asText());
      }
      HttpResponse<byte[]> response = http.send(request.build(), "feed " + url, maxBodyBytes, left,
          (r, what, max, limit) -> client.send(r, addresses, what, max, limit));
      int status = response.statusCode();
      boolean redirect = status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
      java.util.Optional<String> location = response.headers().firstValue("location");
      if (!redirect || location.isEmpty()) {
        return response;
      }
      if (hop >= MAX_REDIRECTS) {
        throw new IOException("feed " + url + ": more than " + MAX_REDIRECTS + " redirects");
      }
      try {
        target = target.resolve(new URI(location.get()));
      } catch (URISyntaxException | IllegalArgumentException e) {
        throw new MalformedPayloadException("feed " + url + ": redirect to an invalid URL", e);
      }
    }
  }

  /** What is known of an entry that could not become a post (Rome keeps no raw XML of it). */
  private static String entrySummary(String url, SyndEntry entry) {
    ObjectNode node = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    node.put("feedUrl", url);
    node.put("uri", entry.getUri());
    node.put("link", entry.getLink());
    node.put("title", entry.getTitle());
    return node.toString();
  }

  private Post toPost(String id, SyndFeed feed, SyndEntry entry, Instant now) {
    Date when = entry.getPublishedDate() != null ? entry.getPublishedDate() : entry.getUpdatedDate();
    String lang = feed.getLanguage();
    return Post.of(id, Source.RSS, feedName, authors.of(Source.RSS, entry.getAuthor()), text(entry),
        lang == null || lang.isBlank() ? null : PostFilter.baseLanguage(lang), when == null ? now : when.toInstant(),
        now, entry.getLink(), null, Engagement.NONE);
  }

  private static String text(SyndEntry entry) {
    StringBuilder text = new StringBuilder(entry.getTitle() == null ? "" : entry.getTitle().trim());
    String body = null;
    if (entry.getDescription() != null) {
      body = entry.getDescription().getValue();
    } else if (!entry.getContents().isEmpty()) {
      SyndContent content = entry.getContents().get(0);
      body = content.getValue();
    }
    if (body != null && !body.isBlank()) {
      text.append(text.length() > 0 ? "\n" : "").append(body.trim());
    }
    return text.toString();
  }

  private static Set<String> seen(ObjectNode state) {
    Set<String> seen = new LinkedHashSet<>();
    JsonNode array = state.get("seen");
    if (array != null) {
      array.forEach(n -> seen.add(n.asText()));
    }
    return seen;
  }
}
