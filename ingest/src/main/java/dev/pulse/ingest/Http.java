package dev.pulse.ingest;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends requests with the retry policy every ingester shares: 429 and 5xx (and I/O errors) are retried with
 * {@link Backoff}, waiting at least what the server's Retry-After / rate-limit-reset headers ask. Every status is
 * counted. Requests are logged by method and path only: never headers (they carry tokens) nor bodies.
 */
public final class Http {
  private static final Logger LOG = LoggerFactory.getLogger(Http.class);

  private final HttpClient client;
  private final Backoff backoff;
  private final IngestMetrics metrics;
  private final Sleeper sleeper;
  private final Clock clock;
  private final RandomGenerator random;

  public Http(HttpClient client, Backoff backoff, IngestMetrics metrics, Sleeper sleeper, Clock clock,
      RandomGenerator random) {
    this.client = client;
    this.backoff = backoff;
    this.metrics = metrics;
    this.sleeper = sleeper;
    this.clock = clock;
    this.random = random;
  }

  public static HttpClient defaultClient() {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NORMAL).build();
  }

  /** The response, once it is not a 429 or 5xx; throws after maxAttempts of those. */
  public HttpResponse<byte[]> send(HttpRequest request, String what) throws IOException, InterruptedException {
    for (int attempt = 0; ; attempt++) {
      boolean last = attempt + 1 >= backoff.maxAttempts();
      Optional<Duration> hint = Optional.empty();
      int status;
      try {
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        status = response.statusCode();
        metrics.httpStatus(status);
        if (status != 429 && status < 500) {
          return response;
        }
        hint = RateLimitHeaders.waitHint(response.headers(), clock.instant());
        if (last) {
          throw new HttpStatusException(status, what);
        }
      } catch (IOException e) {
        if (e instanceof HttpStatusException || last) {
          throw e;
        }
        status = -1;
        metrics.failed("io");
        LOG.warn("{} {}: {} (attempt {})", request.method(), request.uri().getPath(), e.toString(), attempt + 1);
      }
      Duration wait = backoff.delay(attempt, hint.orElse(null), random);
      if (status > 0) {
        LOG.warn("{} {} answered {}; retrying in {} ms (attempt {}/{}{})", request.method(), request.uri().getPath(),
            status, wait.toMillis(), attempt + 1, backoff.maxAttempts(),
            hint.map(h -> ", server asked for " + h.toMillis() + " ms").orElse(""));
      }
      sleeper.sleep(wait);
    }
  }

  public Sleeper sleeper() {
    return sleeper;
  }

  public Clock clock() {
    return clock;
  }

  public IngestMetrics metrics() {
    return metrics;
  }
}
