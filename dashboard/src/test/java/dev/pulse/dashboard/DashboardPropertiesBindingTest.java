package dev.pulse.dashboard;

import dev.pulse.dashboard.config.DashboardProperties;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The environment the operator gives the dashboard's pod binds to these properties (Spring's relaxed env names). */
class DashboardPropertiesBindingTest {

  @Test
  void theOperatorsEnvironmentBinds() {
    Map<String, Object> env = Map.ofEntries(Map.entry("PULSE_DASHBOARD_BRANDS",
            "Acme Phone=acme phone|#acmephone,Globex"),
        Map.entry("PULSE_DASHBOARD_HISTORY_LOOKBACK", "6h"),
        Map.entry("PULSE_DASHBOARD_GATEWAY_URL", "http://acme-llm-gateway:8090"),
        Map.entry("PULSE_DASHBOARD_MODE", "cluster"),
        Map.entry("PULSE_DASHBOARD_PIPELINE", "acme"),
        Map.entry("PULSE_DASHBOARD_NAMESPACE", "brands"),
        Map.entry("PULSE_DASHBOARD_KAFKA_BOOTSTRAP_SERVERS", "pulse-kafka-kafka-bootstrap:9092"),
        Map.entry("PULSE_DASHBOARD_KAFKA_SCOREDTOPIC", "pulse.pipeline.brands.acme.scored"),
        Map.entry("PULSE_DASHBOARD_KAFKA_ALERTSTOPIC", "pulse.pipeline.brands.acme.alerts"),
        Map.entry("PULSE_DASHBOARD_VECTORS_QDRANT_HOST", "qdrant.db.svc"),
        Map.entry("PULSE_DASHBOARD_VECTORS_QDRANT_PORT", "6334"),
        Map.entry("PULSE_DASHBOARD_VECTORS_QDRANT_TLS", "true"),
        Map.entry("PULSE_DASHBOARD_VECTORS_QDRANT_COLLECTION", "acme-posts"));
    MutablePropertySources sources = new MutablePropertySources();
    sources.addFirst(new SystemEnvironmentPropertySource("systemEnvironment", env));
    DashboardProperties p = new Binder(ConfigurationPropertySources.from(sources))
        .bindOrCreate("pulse.dashboard", DashboardProperties.class);

    assertThat(p.local()).isFalse();
    assertThat(p.kafka().bootstrapServers()).isEqualTo("pulse-kafka-kafka-bootstrap:9092");
    assertThat(p.scoredTopic()).isEqualTo("pulse.pipeline.brands.acme.scored");
    assertThat(p.aggregatesTopic()).as("derived like the operator names it").isEqualTo("pulse.pipeline.brands.acme.aggregates");
    assertThat(p.alertsTopic()).isEqualTo("pulse.pipeline.brands.acme.alerts");
    assertThat(p.vectors().qdrant().enabled()).isTrue();
    assertThat(p.vectors().qdrant().tls()).isTrue();
    assertThat(p.vectors().qdrant().collection()).isEqualTo("acme-posts");
    assertThat(p.vectors().qdrant().timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(p.history().maxPosts()).isEqualTo(10_000);
    assertThat(p.auth().enabled()).isFalse();
    assertThat(p.brands()).containsExactly("Acme Phone=acme phone|#acmephone", "Globex");
    assertThat(dev.pulse.dashboard.brand.BrandCatalog.parse(p.brands()).of("Loving my new #AcmePhone from Globex"))
        .containsExactly("Acme Phone", "Globex");
    assertThat(p.history().lookback()).isEqualTo(Duration.ofHours(6));
    assertThat(p.windowLimit()).as("the smaller of the look-back and api.maxWindow").isEqualTo(Duration.ofHours(6));
    assertThat(p.gateway().enabled()).isTrue();
  }
}
