package dev.pulse.crd.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.pulse.crd.common.SecretKeyRef;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The Qdrant collection that holds the pipeline's post embeddings. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VectorStoreSpec {

  /** Qdrant's distance functions. */
  public enum Distance { Cosine, Dot, Euclid, Manhattan }

  @Required
  @Size(min = 1, max = 253)
  @Pattern("^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?$")
  @JsonPropertyDescription("Qdrant host name, e.g. qdrant.vector.svc (the operator connects over gRPC).")
  private String host;

  @Default("6334")
  @Min(1)
  @Max(65535)
  @JsonPropertyDescription("Qdrant gRPC port. Default 6334.")
  private Integer grpcPort;

  @Default("false")
  @JsonPropertyDescription("Use TLS to reach Qdrant. Default false (in-cluster traffic).")
  private Boolean tls;

  @JsonPropertyDescription("Secret key with the Qdrant API key. The key defaults to api-key. Omit for a Qdrant without authentication.")
  private SecretKeyRef apiKeySecret;

  @Required
  @Size(min = 1, max = 255)
  @Pattern("^[A-Za-z0-9_-]+$")
  @ValidationRule(value = "self == oldSelf", message = "vectorStore.collection cannot be changed: the vectors live in the old collection; create a new pipeline or migrate the collection first")
  @JsonPropertyDescription("Collection name (letters, digits, '_' and '-'). Created by the operator when missing.")
  private String collection;

  @Default("384")
  @ValidationRule(value = "self == 384", message = "vectorStore.vectorSize must be 384: Pulse embeds posts with all-MiniLM-L6-v2, which produces 384-dimensional vectors")
  @JsonPropertyDescription("Vector size of the collection. Must be 384 (all-MiniLM-L6-v2).")
  private Integer vectorSize;

  @Default("Cosine")
  @JsonPropertyDescription("Distance function of the collection: Cosine (default, what MiniLM embeddings are trained for), Dot, Euclid or Manhattan.")
  private Distance distance;

  @Default("false")
  @JsonPropertyDescription("When true the collection is kept when the pipeline is deleted; otherwise the operator deletes it (finalizer), if the operator created it (status.createdCollection): a collection that already existed is kept. Set it to let a pipeline go whose collection cannot be deleted (Qdrant unreachable).")
  private Boolean retainOnDelete;

  public String getHost() { return host; }
  public void setHost(String host) { this.host = host; }
  public Integer getGrpcPort() { return grpcPort; }
  public void setGrpcPort(Integer grpcPort) { this.grpcPort = grpcPort; }
  public Boolean getTls() { return tls; }
  public void setTls(Boolean tls) { this.tls = tls; }
  public SecretKeyRef getApiKeySecret() { return apiKeySecret; }
  public void setApiKeySecret(SecretKeyRef apiKeySecret) { this.apiKeySecret = apiKeySecret; }
  public String getCollection() { return collection; }
  public void setCollection(String collection) { this.collection = collection; }
  public Integer getVectorSize() { return vectorSize; }
  public void setVectorSize(Integer vectorSize) { this.vectorSize = vectorSize; }
  public Distance getDistance() { return distance; }
  public void setDistance(Distance distance) { this.distance = distance; }
  public Boolean getRetainOnDelete() { return retainOnDelete; }
  public void setRetainOnDelete(Boolean retainOnDelete) { this.retainOnDelete = retainOnDelete; }
}
