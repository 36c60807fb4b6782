package dev.pulse.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS through the pinned fetcher: the connection goes to the checked address, and the server's certificate is still
 * checked against the URL's host name (pinning must not turn off hostname verification), against a real TLS server on
 * loopback whose certificate keytool made for "localhost".
 */
class PinnedHttpsTest {
  private static final char[] PASSWORD = "changeit".toCharArray();
  private static final List<InetAddress> LOOPBACK = List.of(InetAddress.getLoopbackAddress());

  @TempDir Path dir;
  private HttpsServer server;
  private SSLContext trusting;

  @BeforeEach
  void start() throws Exception {
    Path store = dir.resolve("server.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "site", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
        "-ext", "SAN=dns:localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
        "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)).redirectErrorStream(true).start();
    keytool.getInputStream().readAllBytes();
    assertThat(keytool.waitFor()).as("keytool").isZero();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, PASSWORD);
    }
    KeyManagerFactory km = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    km.init(keys, PASSWORD);
    SSLContext serverTls = SSLContext.getInstance("TLS");
    serverTls.init(km.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
    server.createContext("/rss.xml", exchange -> {
      byte[] body = "<rss version=\"2.0\"><channel><title>t</title></channel></rss>".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    TrustManagerFactory tm = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tm.init(keys);
    trusting = SSLContext.getInstance("TLS");
    trusting.init(null, tm.getTrustManagers(), null);
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private HttpResponse<byte[]> fetch(String host, SSLContext tls) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(
        URI.create("https://" + host + ":" + server.getAddress().getPort() + "/rss.xml")).GET().build();
    return new PinnedHttpClient(Duration.ofSeconds(10), tls).send(request, LOOPBACK, "feed", 1 << 20,
        Duration.ofSeconds(20));
  }

  @Test
  void theCertificateIsCheckedAgainstTheUrlsHostNotThePinnedAddress() throws Exception {
    HttpResponse<byte[]> ok = fetch("localhost", trusting);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(new String(ok.body(), StandardCharsets.UTF_8)).contains("<rss");

    // The same server and address, asked for as another name: its certificate does not name it.
    assertThatThrownBy(() -> fetch("feed.example", trusting)).isInstanceOf(SSLException.class)
        .hasMessageContaining("feed.example");
    // And a certificate nobody vouches for is refused (the JVM's trust store).
    assertThatThrownBy(() -> fetch("localhost", null)).isInstanceOf(SSLException.class);
  }
}
