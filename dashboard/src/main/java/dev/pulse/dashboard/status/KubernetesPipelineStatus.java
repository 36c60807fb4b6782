package dev.pulse.dashboard.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Reads the SentimentPipeline's status (phase and conditions) from the API server with the pod's service account,
 * as in-cluster clients do (token and CA from /var/run/secrets/kubernetes.io/serviceaccount). Cached for a few
 * seconds so many browsers do not become many API calls. Needs RBAC "get" on sentimentpipelines.pulse.dev.
 */
public final class KubernetesPipelineStatus implements PipelineStatusSource {
  private static final Path SA = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");
  private static final Duration CACHE = Duration.ofSeconds(5);

  private final String namespace;
  private final ObjectMapper json;
  private volatile Status cached;
  private volatile Instant cachedAt = Instant.EPOCH;

  public KubernetesPipelineStatus(String namespace, ObjectMapper json) {
    this.namespace = namespace;
    this.json = json;
  }

  @Override
  public Status status(String pipeline) {
    if (cached != null && Instant.now().isBefore(cachedAt.plus(CACHE))) {
      return cached;
    }
    Status s;
    try {
      s = fetch(pipeline);
    } catch (Exception e) {
      s = new Status("cluster", "Unknown", List.of(new Condition("Ready", "Unknown", "StatusUnavailable",
          "cannot read SentimentPipeline " + namespace + "/" + pipeline + ": " + e.getMessage(), Instant.now())));
    }
    cached = s;
    cachedAt = Instant.now();
    return s;
  }

  private Status fetch(String pipeline) throws Exception {
    String host = System.getenv("KUBERNETES_SERVICE_HOST");
    String port = System.getenv().getOrDefault("KUBERNETES_SERVICE_PORT", "443");
    if (host == null) {
      throw new IllegalStateException("not running in a cluster (KUBERNETES_SERVICE_HOST is not set)");
    }
    String token = Files.readString(SA.resolve("token")).trim();
    HttpClient client = HttpClient.newBuilder().sslContext(trusting(SA.resolve("ca.crt")))
        .connectTimeout(Duration.ofSeconds(3)).build();
    URI uri = URI.create("https://" + host + ":" + port + "/apis/pulse.dev/v1alpha1/namespaces/" + namespace
        + "/sentimentpipelines/" + pipeline);
    HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
        .header("Authorization", "Bearer " + token).header("Accept", "application/json").build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("API server answered " + response.statusCode());
    }
    JsonNode status = json.readTree(response.body()).path("status");
    List<Condition> conditions = new ArrayList<>();
    for (JsonNode c : status.path("conditions")) {
      String at = c.path("lastTransitionTime").asText(null);
      conditions.add(new Condition(c.path("type").asText(), c.path("status").asText(), c.path("reason").asText(null),
          c.path("message").asText(null), at == null ? null : Instant.parse(at)));
    }
    return new Status("cluster", status.path("phase").asText("Unknown"), conditions);
  }

  private static SSLContext trusting(Path caFile) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = Files.newInputStream(caFile)) {
      int i = 0;
      for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca-" + i++, cert);
      }
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return ssl;
  }
}
