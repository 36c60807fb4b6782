package dev.pulse.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** The whole path for one brand or topic: feeds, Spark job, scoring, LLM, vector store and dashboard. */
@JsonClassDescription("The whole path for one brand or topic: the feeds it reads, the Spark job that scores posts, the LLM that takes the unsure ones, the vector store and the dashboard.")
@Group(PulseApi.GROUP)
@Version(PulseApi.VERSION)
@ShortNames({"sp", "pipeline"})
@Categories(PulseApi.CATEGORY)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Feeds", jsonPath = ".status.feedCount", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Spark", jsonPath = ".status.sparkApplicationState", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Threshold", jsonPath = ".spec.scoring.escalationThreshold", type = AdditionalPrinterColumn.Type.NUMBER, priority = 1)
@AdditionalPrinterColumn(name = "Dashboard", jsonPath = ".status.dashboardUrl", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class SentimentPipeline extends CustomResource<SentimentPipelineSpec, SentimentPipelineStatus> implements Namespaced {}
