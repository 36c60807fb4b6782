package dev.pulse.llm.health;

import dev.pulse.llm.settings.GatewayProperties;
import io.qdrant.client.QdrantClient;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Whether the pipeline's collection exists in Qdrant. It is part of /actuator/health but not of the
 * liveness or readiness groups: without Qdrant the gateway still answers, with less context.
 */
@Component("qdrant")
public class QdrantHealthIndicator implements HealthIndicator {
  private final QdrantClient client;
  private final GatewayProperties.Qdrant config;

  public QdrantHealthIndicator(QdrantClient client, GatewayProperties properties) {
    this.client = client;
    this.config = properties.qdrant();
  }

  @Override
  public Health health() {
    Health.Builder builder =
        Health.unknown().withDetail("endpoint", config.host() + ":" + config.port()).withDetail("collection", config.collection());
    try {
      boolean exists =
          client.collectionExistsAsync(config.collection(), config.timeout())
              .get(config.timeout().toMillis() + 500, TimeUnit.MILLISECONDS);
      return (exists ? builder.up() : builder.down().withDetail("error", "collection does not exist")).build();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return builder.down().build();
    } catch (Exception e) {
      return builder.down().withDetail("error", e.getClass().getSimpleName()).build();
    }
  }
}
