package dev.pulse.operator.pipeline;

import dev.pulse.crd.v1alpha1.SentimentPipeline;
import dev.pulse.event.LabelledExamples;
import dev.pulse.operator.support.OwnedNames;

/**
 * Names of everything a SentimentPipeline owns, derived from its name by {@link OwnedNames}: DNS-1035 labels of at
 * most 63 characters (valid for Services), topic names within Kafka's 249 characters, whatever the pipeline's name.
 */
public final class PipelineNames {

  public static final String SPARK = "spark";
  public static final String VLLM = "vllm";
  public static final String GATEWAY = "llm-gateway";
  public static final String DASHBOARD = "dashboard";
  public static final String TOPICS = "topics";
  public static final String MONITORING = "monitoring";

  private PipelineNames() {}

  private static String name(SentimentPipeline p) { return p.getMetadata().getName(); }

  /** At most 56 characters: the Spark operator adds {@code -ui-svc} for the UI Service, a 63-character label. */
  public static String sparkApplication(SentimentPipeline p) { return OwnedNames.child(name(p), "stream", 56); }
  public static String checkpointClaim(SentimentPipeline p) { return OwnedNames.child(name(p), "checkpoints"); }
  public static String vllm(SentimentPipeline p) { return OwnedNames.child(name(p), "vllm"); }
  public static String gateway(SentimentPipeline p) { return OwnedNames.child(name(p), "llm-gateway"); }
  public static String dashboard(SentimentPipeline p) { return OwnedNames.child(name(p), "dashboard"); }
  public static String monitoring(SentimentPipeline p) { return OwnedNames.child(name(p), "pulse"); }
  /** The gateway token Secret the operator makes when spec.llm.gatewayTokenSecret names none. */
  public static String gatewayToken(SentimentPipeline p) { return OwnedNames.child(name(p), "gateway-token"); }

  /**
   * Kafka topic of an output: pulse.pipeline.&lt;namespace&gt;.&lt;name&gt;.&lt;suffix&gt;, beside the feeds' topics.
   * The labelled topic is derived from the scored one by event's {@code LabelledExamples.topicFor}, as the Spark job
   * and the dashboard, which write it, derive it: one rule, so no setting carries its name to them.
   */
  public static String topic(SentimentPipeline p, OutputTopics.Kind kind) {
    if (kind == OutputTopics.Kind.LABELLED) {
      return LabelledExamples.topicFor(topic(p, OutputTopics.Kind.SCORED));
    }
    return OwnedNames.topic("pulse.pipeline." + p.getMetadata().getNamespace() + "." + name(p), "." + kind.suffix());
  }

  /** The KafkaTopic object of an output (a DNS name; the Kafka topic name is in spec.topicName). */
  public static String kafkaTopicObject(SentimentPipeline p, OutputTopics.Kind kind) {
    return OwnedNames.subdomainChild(name(p), kind.suffix());
  }

  /** In-cluster URLs the parts use to reach each other. */
  public static String vllmBaseUrl(SentimentPipeline p) {
    return "http://" + vllm(p) + "." + p.getMetadata().getNamespace() + ".svc:" + VllmServer.PORT + "/v1";
  }

  public static String gatewayUrl(SentimentPipeline p) {
    return "http://" + gateway(p) + "." + p.getMetadata().getNamespace() + ".svc:" + LlmGateway.PORT;
  }

  public static String dashboardServiceUrl(SentimentPipeline p) {
    return "http://" + dashboard(p) + "." + p.getMetadata().getNamespace() + ".svc:" + Dashboard.PORT;
  }
}
