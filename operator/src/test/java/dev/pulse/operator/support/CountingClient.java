package dev.pulse.operator.support;

import dev.pulse.testing.KubeApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A client for the operator under test that records every request it sends (method and path) through the HTTP
 * client's interceptor chain, below everything fabric8 and the Java Operator SDK do: what it counts is what reached
 * the API server.
 */
public final class CountingClient {

  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final KubernetesClient client;

  public CountingClient(KubeApiServer server) {
    client = new KubernetesClientBuilder().withConfig(server.clientConfig())
        .withHttpClientBuilderConsumer(builder -> builder.addOrReplaceInterceptor("pulse-test-count", new Interceptor() {
          @Override
          public void before(BasicBuilder b, HttpRequest request, Interceptor.RequestTags tags) {
            requests.add(request.method() + " " + request.uri().getPath());
          }
        }))
        .build();
  }

  public KubernetesClient client() {
    return client;
  }

  /** Starts counting afresh. */
  public void reset() {
    requests.clear();
  }

  /** Requests that may change something: anything but GET (watches and lists are GETs). */
  public List<String> writes() {
    return requests.stream().filter(r -> !r.startsWith("GET ")).toList();
  }

  public List<String> all() {
    return List.copyOf(requests);
  }
}
