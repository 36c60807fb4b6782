package dev.pulse.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A QLoRA fine-tune of a small base model on labelled posts, trained by a Job and served by vLLM. */
@JsonClassDescription("A LoRA fine-tune of a small base model on labelled posts, trained by a Kubernetes Job (QLoRA on GPUs, LoRA on CPUs) and served by the pipelines that reference it.")
@Group(PulseApi.GROUP)
@Version(PulseApi.VERSION)
@ShortNames({"ma", "adapter"})
@Categories(PulseApi.CATEGORY)
@AdditionalPrinterColumn(name = "Base", jsonPath = ".spec.baseModel.name", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Macro-Recall", jsonPath = ".status.metrics.macroRecall", type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ModelAdapter extends CustomResource<ModelAdapterSpec, ModelAdapterStatus> implements Namespaced {}
