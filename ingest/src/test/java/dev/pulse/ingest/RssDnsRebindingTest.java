package dev.pulse.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.pulse.contract.IngestConfig;
import dev.pulse.ingest.StandInServer.Response;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * DNS rebinding against the RSS fetcher's address check: a name server that answers a public address to the check
 * and 127.0.0.1 a moment later. The feed's host is "localhost", so a client that resolves again on its own (the JDK
 * HttpClient did: the check and the connection were two lookups) reaches the loopback stand-in below, which records
 * every request. Before the fix this test's first poll fetched the stand-in's feed; now the connection goes only to
 * the addresses the check returned, and the next lookup's loopback answer is refused.
 */
class RssDnsRebindingTest {
  /** TEST-NET-3 (RFC 5737): public to the check, never routed, so the pinned connection cannot reach anything. */
  private static final byte[] PUBLIC = {(byte) 203, 0, 113, 7};

  private final StandInServer local = new StandInServer();
  private final IngestMetrics metrics = new IngestMetrics("rebind", "RSS");

  @AfterEach
  void close() {
    local.close();
  }

  @Test
  void aNameThatRebindsToLoopbackAfterTheCheckNeverReachesTheLocalServer() throws Exception {
    local.on("/rss.xml", Response.xml(TestSupport.fixture("rss/news-rss2.xml"), Map.of()));
    AtomicInteger lookups = new AtomicInteger();
    AddressGuard.Resolver rebinding = host -> new InetAddress[] {lookups.incrementAndGet() == 1
        ? InetAddress.getByAddress(host, PUBLIC) : InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})};
    Backoff once = new Backoff(Duration.ofMillis(1), Duration.ofMillis(1), 1, Duration.ofMillis(1));
    Http http = new Http(Http.defaultClient(), once, metrics, Sleeper.REAL, Clock.systemUTC(), new Random(1));
    String url = "http://localhost:" + java.net.URI.create(local.baseUrl()).getPort() + "/rss.xml";
    RssSource rss = new RssSource("rebind", new IngestConfig.Rss(List.of(url), 100, null, null, "2s"), http,
        new AuthorHash("salt"), rebinding);

    // First poll: the check sees the public address, and the connection may go there only (it fails: unroutable).
    Throwable first = catchThrowable(() -> rss.poll(JsonNodeFactory.instance.objectNode()));
    assertThat(local.requests()).as("requests that reached the loopback server after a public answer").isEmpty();
    assertThat(first).isInstanceOf(IOException.class).isNotInstanceOf(RefusedAddressException.class);
    assertThat(lookups).as("one lookup per fetch: the connection used the checked answer").hasValue(1);
    // Second poll: the name now answers loopback, and the check refuses it before any connection.
    assertThatThrownBy(() -> rss.poll(JsonNodeFactory.instance.objectNode()))
        .isInstanceOf(RefusedAddressException.class).hasMessageContaining("127.0.0.1, a loopback address");
    assertThat(lookups).hasValue(2);
    assertThat(metrics.count("pulse.ingest.failures", "reason", "refused_address")).isEqualTo(1);
    assertThat(local.requests()).as("requests that reached the loopback server").isEmpty();
  }
}
