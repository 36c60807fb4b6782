package dev.pulse.operator.pipeline;

import dev.pulse.operator.qdrant.QdrantCollections;

import dev.pulse.operator.qdrant.QdrantEndpoint;

import dev.pulse.crd.common.SecretKeyRef;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.pipeline.VectorStoreSpec;
import dev.pulse.operator.pipeline.PipelineDefaults;
import dev.pulse.operator.support.References;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qdrant.client.grpc.Collections.Distance;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The Qdrant endpoint of a pipeline with its API key read from the referenced Secret. The key is held only
 * in the returned {@link QdrantEndpoint} (whose toString hides it) and is never logged or written anywhere.
 */
public final class VectorStoreAccess {

  public static final String DEFAULT_KEY = "api-key";

  private VectorStoreAccess() {}

  /** Either an endpoint, or the reference problem that prevents building one. */
  public record Resolved(QdrantEndpoint endpoint, References.Problem problem) {}

  public static Resolved resolve(KubernetesClient client, SentimentPipeline p) {
    VectorStoreSpec v = PipelineDefaults.vectorStore(p);
    String apiKey = null;
    SecretKeyRef ref = v.getApiKeySecret();
    if (ref != null) {
      String namespace = p.getMetadata().getNamespace();
      var problem = References.secretKey(client, namespace, ref.getName(), ref.keyOr(DEFAULT_KEY), "Qdrant API key");
      if (problem.isPresent()) {
        return new Resolved(null, problem.get());
      }
      apiKey = value(client.secrets().inNamespace(namespace).withName(ref.getName()).get(), ref.keyOr(DEFAULT_KEY));
    }
    return new Resolved(new QdrantEndpoint(v.getHost(), PipelineDefaults.grpcPort(v), Boolean.TRUE.equals(v.getTls()),
        apiKey), null);
  }

  public static QdrantCollections.Shape shape(SentimentPipeline p) {
    VectorStoreSpec v = PipelineDefaults.vectorStore(p);
    return new QdrantCollections.Shape(PipelineDefaults.vectorSize(v), Distance.valueOf(PipelineDefaults.distance(v).name()));
  }

  private static String value(Secret secret, String key) {
    if (secret == null) {
      return null;
    }
    if (secret.getStringData() != null && secret.getStringData().containsKey(key)) {
      return secret.getStringData().get(key);
    }
    String encoded = secret.getData() == null ? null : secret.getData().get(key);
    return encoded == null ? null : new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8).trim();
  }
}
