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
    return send(request, what, Long.MAX_VALUE, null);
  }

  /**
   * As {@link #send(HttpRequest, String)}, with a cap on the body ({@link BodyTooLargeException} once more arrives,
   * not retried) and on the time of each attempt, body included ({@code limit}; null: none beyond the request's own
   * timeout, which ends at the response's headers).
   */
  public HttpResponse<byte[]> send(HttpRequest request, String what, long maxBodyBytes, Duration limit)
      throws IOException, InterruptedException {
    return send(request, what, maxBodyBytes, limit, this::exchange);
  }

  /** One attempt of a request: sent once, its body read up to a cap within a time limit (null: none). */
  @FunctionalInterface
  public interface Exchange {
    HttpResponse<byte[]> exchange(HttpRequest request, String what, long maxBodyBytes, Duration limit)
        throws IOException, InterruptedException;
  }

  /**
   * As {@link #send(HttpRequest, String, long, Duration)}, each attempt made by {@code exchange} instead of this
   * policy's JDK client (RSS: {@link PinnedHttpClient}, which connects only to addresses that were checked). A
   * refused address is not retried.
   */
  public HttpResponse<byte[]> send(HttpRequest request, String what, long maxBodyBytes, Duration limit,
      Exchange exchange) throws IOException, InterruptedException {
    for (int attempt = 0; ; attempt++) {
      boolean last = attempt + 1 >= backoff.maxAttempts();
      Optional<Duration> hint = Optional.empty();
      int status;
      try {
        HttpResponse<byte[]> response = exchange.exchange(request, what, maxBodyBytes, limit);
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
        if (e instanceof HttpStatusException || e instanceof BodyTooLargeException
            || e instanceof RefusedAddressException || last) {
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

  private HttpResponse<byte[]> exchange(HttpRequest request, String what, long maxBodyBytes, Duration limit)
      throws IOException, InterruptedException {
    HttpResponse.BodyHandler<byte[]> handler = maxBodyBytes == Long.MAX_VALUE
        ? HttpResponse.BodyHandlers.ofByteArray() : CappedBody.handler(what, maxBodyBytes);
    if (limit == null) {
      return client.send(request, handler);
    }
    java.util.concurrent.CompletableFuture<HttpResponse<byte[]>> future = client.sendAsync(request, handler);
    try {
      return future.get(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      future.cancel(true);
      throw new java.net.http.HttpTimeoutException(what + ": no complete response within " + limit.toMillis() + " ms");
    } catch (InterruptedException e) {
      future.cancel(true);
      throw e;
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      for (Throwable t = cause; t != null; t = t.getCause()) {
        if (t instanceof BodyTooLargeException tooLarge) {
          throw tooLarge;
        }
      }
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IOException(what + ": " + cause, cause);
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
