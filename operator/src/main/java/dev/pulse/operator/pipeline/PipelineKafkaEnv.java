package dev.pulse.operator.pipeline;

import dev.pulse.contract.KafkaClientEnv;
import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.crd.v1alpha1.feed.KafkaSecurity;
import dev.pulse.crd.v1alpha1.pipeline.PipelineKafka;
import dev.pulse.operator.kafka.KafkaClientSecurity;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.ArrayList;
import java.util.List;

/**
 * The pipeline's {@code spec.kafka.security} as the {@link KafkaClientEnv} variables of the Spark driver and executors
 * (both launchers) and the dashboard. The CA's PEM and the SASL password are secretKeyRefs only, so no value is in
 * any object the operator writes. No security (or a Strimzi cluster): no variables, so existing pods do not change.
 */
public final class PipelineKafkaEnv {

  private PipelineKafkaEnv() {}

  public static List<EnvVar> env(SentimentPipeline p) {
    PipelineKafka kafka = p.getSpec().getKafka();
    KafkaSecurity security = kafka == null ? null : kafka.getSecurity();
    if (security == null || kafka.getBootstrapServers() == null) {
      return List.of();
    }
    List<EnvVar> env = new ArrayList<>();
    env.add(Pods.env(KafkaClientEnv.PROTOCOL, security.protocolOrDefault().name()));
    if (security.getCaSecret() != null) {
      env.add(Pods.secretEnv(KafkaClientEnv.CA_CERTIFICATES, security.getCaSecret(),
          KafkaClientSecurity.DEFAULT_CA_KEY));
    }
    if (security.getSasl() != null) {
      var sasl = security.getSasl();
      env.add(Pods.env(KafkaClientEnv.SASL_MECHANISM, sasl.mechanismOrDefault().kafkaName()));
      env.add(Pods.env(KafkaClientEnv.SASL_USERNAME, sasl.getUsername()));
      env.add(Pods.secretEnv(KafkaClientEnv.SASL_PASSWORD, sasl.getPasswordSecret(),
          KafkaClientSecurity.DEFAULT_PASSWORD_KEY));
    }
    return env;
  }
}
