package dev.pulse.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpServer;
import dev.pulse.contract.IngestConfig;
import dev.pulse.ingest.StandInServer.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server-side request forgery and resource limits of the RSS fetcher, against a real HTTP stand-in on loopback and
 * the fetcher the ingester image uses ({@link PinnedHttpClient}, given the image's retry policy over
 * {@link Http#defaultClient()}, which would follow redirects by itself). Before: any
 * http(s) URL was fetched, redirects were followed to any address, and a body was buffered whole.
 */
class RssFetchSafetyTest {
  private static final String LOOPBACK = "127.0.0.1/32";
  private final StandInServer site = new StandInServer();
  private final IngestMetrics metrics = new IngestMetrics("acme-news", "RSS");

  @TempDir
  Path dir;

  @AfterEach
  void close() {
    site.close();
  }

  private RssSource rss(List<String> feeds, List<String> allowed, Long maxBody, String timeout) {
    Backoff once = new Backoff(Duration.ofMillis(1), Duration.ofMillis(1), 1, Duration.ofMillis(1));
    Http http = new Http(Http.defaultClient(), once, metrics, Sleeper.REAL, Clock.systemUTC(), new Random(1));
    return new RssSource("acme-news", new IngestConfig.Rss(feeds, 100, allowed, maxBody, timeout), http,
        new AuthorHash("salt"));
  }

  private static com.fasterxml.jackson.databind.node.ObjectNode cursor() {
    return JsonNodeFactory.instance.objectNode();
  }

  @Test
  void aLoopbackFeedIsRefusedByDefaultAndNothingIsFetched() {
    site.on("/rss.xml", Response.xml(TestSupport.fixture("rss/news-rss2.xml"), Map.of()));
    RssSource rss = rss(List.of(site.baseUrl() + "/rss.xml"), null, null, null);
    assertThatThrownBy(() -> rss.poll(cursor())).isInstanceOf(RefusedAddressException.class)
        .hasMessageContaining("127.0.0.1, a loopback address").hasMessageContaining("rss.allowedNetworks");
    assertThat(site.requests()).isEmpty();
    assertThat(metrics.count("pulse.ingest.failures", "reason", "refused_address")).isEqualTo(1);
  }

  @Test
  void theAllowListLetsAPrivateFeedThrough() throws Exception {
    site.on("/rss.xml", Response.xml(TestSupport.fixture("rss/news-rss2.xml"), Map.of()));
    assertThat(rss(List.of(site.baseUrl() + "/rss.xml"), List.of(LOOPBACK), null, null).poll(cursor()).posts())
        .isNotEmpty();
  }

  @Test
  void aRedirectToAPrivateOrMetadataAddressIsRefusedBeforeConnecting() throws Exception {
    site.on("/meta", new Response(302, Map.of("Location", "http://169.254.169.254/latest/meta-data/iam/"),
        new byte[0]));
    site.on("/ten", new Response(301, Map.of("Location", "http://10.0.0.7:8080/admin"), new byte[0]));
    site.on("/v6", new Response(307, Map.of("Location", "http://[::1]:" + port() + "/rss.xml"), new byte[0]));
    site.on("/rss.xml", Response.xml(TestSupport.fixture("rss/news-rss2.xml"), Map.of()));
    for (String[] c : new String[][] {{"/meta", "169.254.169.254, a link-local"}, {"/ten", "10.0.0.7, a private"},
        {"/v6", "a loopback"}}) {
      RssSource rss = rss(List.of(site.baseUrl() + c[0]), List.of(LOOPBACK), null, null);
      assertThatThrownBy(() -> rss.poll(cursor())).as(c[0]).isInstanceOf(RefusedAddressException.class)
          .hasMessageContaining(c[1]);
    }
    // The allowed hop was fetched, the refused targets never: the stand-in saw no request for /rss.xml via ::1.
    assertThat(site.requests("/rss.xml")).isEmpty();
    assertThat(metrics.count("pulse.ingest.failures", "reason", "refused_address")).isEqualTo(3);
  }

  @Test
  void anAllowedRedirectIsFollowedWithTheChecksOnEveryHop() throws Exception {
    site.on("/old", new Response(301, Map.of("Location", "/new"), new byte[0]));
    site.on("/new", new Response(302, Map.of("Location", site.baseUrl() + "/rss.xml"), new byte[0]));
    site.on("/rss.xml", Response.xml(TestSupport.fixture("rss/news-rss2.xml"), Map.of()));
    assertThat(rss(List.of(site.baseUrl() + "/old"), List.of(LOOPBACK), null, null).poll(cursor()).posts())
        .isNotEmpty();
    site.on("/loop", new Response(302, Map.of("Location", "/loop"), new byte[0]));
    RssSource looping = rss(List.of(site.baseUrl() + "/loop"), List.of(LOOPBACK), null, null);
    assertThatThrownBy(() -> looping.poll(cursor())).hasMessageContaining("more than 5 redirects");
  }

  @Test
  void anOversizedBodyIsCutOffAtTheCap() throws Exception {
    String feed = TestSupport.fixture("rss/news-rss2.xml");
    site.on("/big.xml", Response.xml(feed + " ".repeat(200_000), Map.of()));
    RssSource rss = rss(List.of(site.baseUrl() + "/big.xml"), List.of(LOOPBACK), 100_000L, null);
    assertThatThrownBy(() -> rss.poll(cursor())).isInstanceOf(BodyTooLargeException.class)
        .hasMessageContaining("larger than 100000 bytes");
    assertThat(metrics.count("pulse.ingest.failures", "reason", "body_too_large")).isEqualTo(1);
    // Chunked (no Content-Length): cut off while it streams.
    try (Endless endless = new Endless()) {
      RssSource chunked = rss(List.of(endless.url()), List.of(LOOPBACK), 1_000_000L, "60s");
      assertThatThrownBy(() -> chunked.poll(cursor())).isInstanceOf(BodyTooLargeException.class);
    }
  }

  @Test
  void aFeedThatNeverFinishesIsAbandonedAtTheFetchTimeout() throws Exception {
    try (Endless slow = new Endless(Duration.ofMillis(200))) {
      RssSource rss = rss(List.of(slow.url()), List.of(LOOPBACK), null, "2s");
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> rss.poll(cursor())).isInstanceOf(IOException.class)
          .hasMessageContaining("within");
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(60));
    }
  }

  /**
   * Pins Rome's safe XML defaults: a DOCTYPE is refused, so no external entity (a local file), external DTD (a
   * request to an internal host) or entity expansion ("billion laughs") is ever resolved.
   */
  @Test
  void xxeAndEntityExpansionAreNeverResolved() throws Exception {
    Path secret = dir.resolve("secret.txt");
    Files.writeString(secret, "TOP-SECRET-FILE-CONTENT");
    String dtdUrl = site.baseUrl() + "/evil.dtd";
    site.on("/evil.dtd", Response.xml("<!ENTITY leak \"DTD-WAS-FETCHED\">", Map.of()));
    StringBuilder laughs = new StringBuilder("<!ENTITY l0 \"lol\">");
    for (int i = 1; i <= 9; i++) {
      laughs.append("<!ENTITY l").append(i).append(" \"").append(("&l" + (i - 1) + ";").repeat(10)).append("\">");
    }
    Map<String, String> docs = Map.of(
        "/xxe.xml", "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
            + "<rss version=\"2.0\"><channel><title>t</title><item><title>&x;</title><guid>1</guid></item>"
            + "</channel></rss>",
        "/dtd.xml", "<?xml version=\"1.0\"?><!DOCTYPE rss SYSTEM \"" + dtdUrl + "\">"
            + "<rss version=\"2.0\"><channel><title>t</title><item><title>&leak;</title><guid>2</guid></item>"
            + "</channel></rss>",
        "/param.xml", "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY % p SYSTEM \"" + dtdUrl + "\"> %p;]>"
            + "<rss version=\"2.0\"><channel><title>t</title><item><title>x</title><guid>3</guid></item>"
            + "</channel></rss>",
        "/laughs.xml", "<?xml version=\"1.0\"?><!DOCTYPE rss [" + laughs + "]>"
            + "<rss version=\"2.0\"><channel><title>t</title><item><title>&l9;</title><guid>4</guid></item>"
            + "</channel></rss>");
    docs.forEach((path, xml) -> site.on(path, Response.xml(xml, Map.of())));
    for (String path : docs.keySet()) {
      RssSource rss = rss(List.of(site.baseUrl() + path), List.of(LOOPBACK), null, null);
      assertThatThrownBy(() -> rss.poll(cursor())).as(path).isInstanceOf(MalformedPayloadException.class)
          .hasMessageContaining("DOCTYPE").satisfies(e -> assertThat(e.getMessage())
              .doesNotContain("TOP-SECRET").doesNotContain("DTD-WAS-FETCHED").doesNotContain("lollol"));
    }
    assertThat(site.requests("/evil.dtd")).as("the external DTD was never requested").isEmpty();
  }

  @Test
  void specialAddressesAreRecognisedAndAllowListsParsed() throws Exception {
    for (String a : List.of("127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.100.100.200",
        "0.0.0.0", "::1", "::", "fe80::1", "fd00:ec2::254", "fc00::1", "::ffff:10.0.0.1", "64:ff9b::a00:1",
        "2002:a00:1::1", "224.0.0.1", "255.255.255.255", "198.18.0.1")) {
      assertThat(AddressGuard.special(InetAddress.getByName(a))).as(a).isNotNull();
    }
    for (String a : List.of("93.184.216.34", "8.8.8.8", "2606:4700::1111", "64:ff9b::808:808")) {
      assertThat(AddressGuard.special(InetAddress.getByName(a))).as(a).isNull();
    }
    AddressGuard guard = new AddressGuard(List.of("10.1.0.0/16", "fd00::/8"),
        host -> new InetAddress[] {InetAddress.getByName(host)});
    guard.check(java.net.URI.create("http://10.1.200.3/rss"));
    guard.check(java.net.URI.create("https://[fd00::5]/rss"));
    assertThatThrownBy(() -> guard.check(java.net.URI.create("http://10.2.0.1/rss")))
        .isInstanceOf(RefusedAddressException.class);
    assertThatThrownBy(() -> new AddressGuard(List.of("10.0.0.0"), InetAddress::getAllByName))
        .hasMessageContaining("not a CIDR block");
    assertThatThrownBy(() -> new AddressGuard(List.of("example.com/8"), InetAddress::getAllByName))
        .hasMessageContaining("not a CIDR block");
  }

  private int port() {
    return Integer.parseInt(site.baseUrl().substring(site.baseUrl().lastIndexOf(':') + 1));
  }

  /** A server on loopback whose answer never ends: chunks of 64 KiB, every {@code pause}, for ever. */
  private static final class Endless implements AutoCloseable {
    private final HttpServer server;

    Endless() throws IOException {
      this(Duration.ZERO);
    }

    Endless(Duration pause) throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/", exchange -> {
        exchange.getResponseHeaders().set("Content-Type", "application/rss+xml");
        exchange.sendResponseHeaders(200, 0);
        byte[] chunk = "<!-- padding -->".repeat(4096).getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>".getBytes(StandardCharsets.UTF_8));
          while (true) {
            out.write(chunk);
            out.flush();
            if (!pause.isZero()) {
              Thread.sleep(pause.toMillis());
            }
          }
        } catch (IOException | InterruptedException gone) {
          exchange.close();
        }
      });
      server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/feed.xml";
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
