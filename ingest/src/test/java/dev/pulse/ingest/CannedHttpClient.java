package dev.pulse.ingest;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * An HttpClient that answers every request with the next canned body (status 200), without a socket: fuzzing a
 * parser with thousands of payloads through a real server would measure the network, not the parser.
 */
final class CannedHttpClient extends HttpClient {
  private final Supplier<byte[]> bodies;

  CannedHttpClient(Supplier<byte[]> bodies) {
    this.bodies = bodies;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
    byte[] body = bodies.get();
    return (HttpResponse<T>) new HttpResponse<byte[]>() {
      @Override public int statusCode() { return 200; }
      @Override public HttpRequest request() { return request; }
      @Override public Optional<HttpResponse<byte[]>> previousResponse() { return Optional.empty(); }
      @Override public HttpHeaders headers() { return HttpHeaders.of(Map.of(), (a, b) -> true); }
      @Override public byte[] body() { return body; }
      @Override public Optional<javax.net.ssl.SSLSession> sslSession() { return Optional.empty(); }
      @Override public URI uri() { return request.uri(); }
      @Override public Version version() { return Version.HTTP_1_1; }
    };
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    try {
      return CompletableFuture.completedFuture(send(request, handler));
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
      HttpResponse.PushPromiseHandler<T> push) {
    throw new UnsupportedOperationException();
  }

  @Override public Optional<CookieHandler> cookieHandler() { return Optional.empty(); }
  @Override public Optional<Duration> connectTimeout() { return Optional.empty(); }
  @Override public Redirect followRedirects() { return Redirect.NEVER; }
  @Override public Optional<ProxySelector> proxy() { return Optional.empty(); }
  @Override public SSLContext sslContext() { return null; }
  @Override public SSLParameters sslParameters() { return null; }
  @Override public Optional<Authenticator> authenticator() { return Optional.empty(); }
  @Override public Version version() { return Version.HTTP_1_1; }
  @Override public Optional<Executor> executor() { return Optional.empty(); }

}
