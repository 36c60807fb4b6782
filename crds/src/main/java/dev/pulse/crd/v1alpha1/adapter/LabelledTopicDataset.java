package dev.pulse.crd.v1alpha1.adapter;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.pulse.crd.common.Validation;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A SentimentPipeline's labelled topic, read to its end by the training Job's init container. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LabelledTopicDataset {

  @Required
  @Size(min = 1, max = 253)
  @ValidationRule(value = Validation.DNS1123_SUBDOMAIN_RULE,
      message = "must be the name of a SentimentPipeline in this namespace")
  @JsonPropertyDescription("Name of a SentimentPipeline in this namespace. Its labelled topic "
      + "(pulse.pipeline.<namespace>.<pipeline>.labelled: the LLM's confident disagreements with the light scorer and "
      + "analysts' corrections, the latest record per post) is read to its end when a training Job starts. Pipelines "
      + "with Kafka TLS or SASL (spec.kafka.security) are not supported yet: export with ./pulse train-scorer "
      + "--labelled kafka://HOST:PORT/TOPIC --export-labelled FILE and use dataset.configMap or dataset.pvc.")
  private String pipeline;

  @Default("1")
  @Min(1)
  @Max(10_000_000)
  @JsonPropertyDescription("Fewest labelled posts to train on: with fewer, the Job fails with reason DatasetError "
      + "instead of training. Default 1.")
  private Integer minPosts;

  public String getPipeline() { return pipeline; }
  public void setPipeline(String pipeline) { this.pipeline = pipeline; }
  public Integer getMinPosts() { return minPosts; }
  public void setMinPosts(Integer minPosts) { this.minPosts = minPosts; }
}
