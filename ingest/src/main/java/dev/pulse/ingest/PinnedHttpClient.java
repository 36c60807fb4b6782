package dev.pulse.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;

/**
 * Sends a request (without a body: RSS only GETs) over Apache HttpClient 5, connecting only to addresses the caller
 * already resolved and checked ({@link AddressGuard#resolve}). The JDK's HttpClient has no resolver to plug in on
 * Java 17 and looks the host up again when it connects, so a name server could answer a public address to the check
 * and a private one to the connection (DNS rebinding); here the client's {@link DnsResolver} answers the request's
 * host with exactly the checked addresses and refuses any other name, so there is no second lookup.
 *
 * <p>One client per exchange (a feed is fetched once a poll; nothing to pool): redirects are not followed (the caller
 * checks each target first), nothing is retried here ({@link Http} does), no proxy, no cookies, no transparent
 * decompression. The body is read up to a cap (a larger Content-Length is refused before reading) and the whole
 * exchange, body included, must end within its time limit, after which the connection is torn down.
 */
final class PinnedHttpClient implements PinnedExchange {

  private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "pulse-fetch-deadline");
    t.setDaemon(true);
    return t;
  });

  private final Duration connectTimeout;
  private final SSLContext tls;

  PinnedHttpClient(Duration connectTimeout) {
    this(connectTimeout, null);
  }

  /**
   * With the TLS context to trust servers by (tests: their own CA; null: the JVM's). The certificate is checked
   * against the URL's host name, never the pinned address: pinning changes where the client connects, not whom it
   * believes it talks to.
   */
  PinnedHttpClient(Duration connectTimeout, SSLContext tls) {
    this.connectTimeout = connectTimeout;
    this.tls = tls;
  }

  @Override
  public HttpResponse<byte[]> send(HttpRequest request, List<InetAddress> addresses, String what, long maxBodyBytes,
      Duration limit) throws IOException {
    if (addresses.isEmpty()) {
      throw new UnknownHostException(request.uri().getHost() + ": no checked address to connect to");
    }
    Timeout whole = Timeout.ofMilliseconds(Math.max(1, limit.toMillis()));
    Timeout connect = Timeout.ofMilliseconds(Math.max(1, Math.min(connectTimeout.toMillis(), limit.toMillis())));
    PoolingHttpClientConnectionManagerBuilder connections = PoolingHttpClientConnectionManagerBuilder.create()
        .setDnsResolver(new Pinned(bare(request.uri().getHost()), addresses))
        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(connect).setSocketTimeout(whole)
            .build());
    if (tls != null) {
      connections.setTlsSocketStrategy(new DefaultClientTlsStrategy(tls));
    }
    CloseableHttpClient client = HttpClients.custom()
        .setConnectionManager(connections.build())
        .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(whole).build())
        .disableRedirectHandling().disableAutomaticRetries().disableCookieManagement().disableAuthCaching()
        .disableContentCompression()
        .build();
    HttpUriRequestBase out = new HttpUriRequestBase(request.method(), request.uri());
    request.headers().map().forEach((name, values) -> values.forEach(v -> out.addHeader(name, v)));
    AtomicBoolean expired = new AtomicBoolean();
    ScheduledFuture<?> deadline = DEADLINES.schedule(() -> {
      expired.set(true);
      out.cancel();
      client.close(CloseMode.IMMEDIATE);
    }, whole.toMilliseconds(), TimeUnit.MILLISECONDS);
    boolean complete = false;
    try {
      ClassicHttpResponse response = client.executeOpen(null, out, null);
      HttpResponse<byte[]> result = read(request, response, what, maxBodyBytes);
      complete = true;
      return result;
    } catch (IOException | RuntimeException e) {
      if (expired.get()) {
        throw new HttpTimeoutException(what + ": no complete response within " + limit.toMillis() + " ms");
      }
      throw e;
    } finally {
      deadline.cancel(false);
      if (!complete) {
        out.cancel(); // tear the connection down: closing it normally would read an endless body to its end
      }
      client.close(CloseMode.IMMEDIATE);
    }
  }

  private static HttpResponse<byte[]> read(HttpRequest request, ClassicHttpResponse response, String what,
      long maxBodyBytes) throws IOException {
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (Header h : response.getHeaders()) {
      headers.computeIfAbsent(h.getName(), n -> new ArrayList<>()).add(h.getValue());
    }
    HttpEntity entity = response.getEntity();
    byte[] body = new byte[0];
    if (entity != null) {
      if (entity.getContentLength() > maxBodyBytes) {
        throw new BodyTooLargeException(what, maxBodyBytes);
      }
      body = capped(entity.getContent(), what, maxBodyBytes);
    }
    return new Fetched(request, response.getCode(), HttpHeaders.of(headers, (n, v) -> true), body);
  }

  /** Reads the stream to its end, refusing it once more than {@code max} bytes arrived (not closed here). */
  private static byte[] capped(InputStream in, String what, long max) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] chunk = new byte[16 * 1024];
    for (int n; (n = in.read(chunk)) != -1; ) {
      if ((long) out.size() + n > max) {
        throw new BodyTooLargeException(what, max);
      }
      out.write(chunk, 0, n);
    }
    return out.toByteArray();
  }

  private static String bare(String host) {
    String h = host == null ? "" : host;
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return h.toLowerCase(Locale.ROOT);
  }

  /** Answers one host name with the addresses that were checked for it, and no other name at all. */
  private record Pinned(String host, List<InetAddress> addresses) implements DnsResolver {
    @Override
    public InetAddress[] resolve(String name) throws UnknownHostException {
      if (!bare(name).equals(host)) {
        throw new UnknownHostException(name + ": only " + host + " may be connected to, through its checked addresses");
      }
      return addresses.toArray(InetAddress[]::new);
    }

    @Override
    public String resolveCanonicalHostname(String name) {
      return name;
    }
  }

  /** The response in the JDK's shape, which the retry policy ({@link Http}) and the feed parser read. */
  private record Fetched(HttpRequest request, int statusCode, HttpHeaders headers, byte[] body)
      implements HttpResponse<byte[]> {
    @Override
    public Optional<HttpResponse<byte[]>> previousResponse() {
      return Optional.empty();
    }

    @Override
    public Optional<SSLSession> sslSession() {
      return Optional.empty();
    }

    @Override
    public URI uri() {
      return request.uri();
    }

    @Override
    public java.net.http.HttpClient.Version version() {
      return java.net.http.HttpClient.Version.HTTP_1_1;
    }
  }
}
