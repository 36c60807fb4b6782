package dev.pulse.llm.api;

import dev.pulse.llm.model.AlertExplanation;
import dev.pulse.llm.model.DraftRequest;
import dev.pulse.llm.model.DraftResponse;
import dev.pulse.llm.model.ExplainRequest;

import dev.pulse.llm.assist.AlertExplainer;
import dev.pulse.llm.assist.ResponseDrafter;
import dev.pulse.llm.classify.ClassificationService;
import dev.pulse.llm.settings.GatewayProperties;
import jakarta.validation.Valid;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** The gateway's HTTP API; see the README for request and response examples. */
@RestController
public class GatewayController {
  private final ClassificationService classifier;
  private final AlertExplainer explainer;
  private final ResponseDrafter drafter;
  private final String model;

  public GatewayController(
      ClassificationService classifier,
      AlertExplainer explainer,
      ResponseDrafter drafter,
      GatewayProperties properties) {
    this.classifier = classifier;
    this.explainer = explainer;
    this.drafter = drafter;
    this.model = properties.llm().model();
  }

  @PostMapping(path = "/v1/classify", consumes = MediaType.APPLICATION_JSON_VALUE)
  public ClassifyResponse classify(@Valid @RequestBody ClassifyRequest request,
      @RequestHeader(name = ClassificationService.DEADLINE_HEADER, required = false) Long callerWaitsMillis) {
    // A caller that says how long it waits gets its answer within that: the batch ends before it gives up.
    java.time.Duration callerWaits = callerWaitsMillis == null ? null : java.time.Duration.ofMillis(callerWaitsMillis);
    return new ClassifyResponse(
        request.pipeline(), model, classifier.classify(request.pipeline(), request.posts(), callerWaits));
  }

  @PostMapping(path = "/v1/alerts/explain", consumes = MediaType.APPLICATION_JSON_VALUE)
  public AlertExplanation explain(@Valid @RequestBody ExplainRequest request) {
    return explainer.explain(request);
  }

  @PostMapping(path = "/v1/responses/draft", consumes = MediaType.APPLICATION_JSON_VALUE)
  public DraftResponse draft(@Valid @RequestBody DraftRequest request) {
    return drafter.draft(request);
  }
}
