package dev.pulse.dashboard.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.dashboard.history.RecentHistory;
import dev.pulse.dashboard.labelled.LabelledTopicWriter;
import dev.pulse.event.Label;
import dev.pulse.event.LabelledExamples;
import dev.pulse.event.ScoredPost;
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * An analyst's correction of a post's label: {@code POST /api/pipelines/{pipeline}/posts/{id}/label} with
 * {@code {"label":"negative"}} writes a labelled example to the pipeline's labelled topic (what the next adapter and
 * light scorer train on). Under /api, so it needs the dashboard's bearer token wherever the dashboard has one.
 */
@RestController
@RequestMapping("/api")
public class CorrectionsController {
  private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);
  private final DashboardQueries queries;
  private final RecentHistory history;
  private final LabelledTopicWriter writer;
  private final Clock clock;

  public CorrectionsController(DashboardQueries queries, RecentHistory history, LabelledTopicWriter writer,
      Clock clock) {
    this.queries = queries;
    this.history = history;
    this.writer = writer;
    this.clock = clock;
  }

  @PostMapping("/pipelines/{pipeline}/posts/{id}/label")
  @ResponseStatus(HttpStatus.ACCEPTED)
  public Map<String, String> label(@PathVariable String pipeline, @PathVariable String id,
      @RequestBody(required = false) JsonNode body, Principal principal) {
    queries.requirePipeline(pipeline);
    Label label = label(body);
    ScoredPost held = history.post(id).orElseThrow(() -> new NotFoundException("no post '" + id + "' is held"));
    try {
      writer.write(id, LabelledExamples.fromAnalyst(held, label, principal == null ? null : principal.getName(),
          clock.instant()), WRITE_TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("interrupted while writing the correction");
    } catch (Exception e) {
      throw new UnavailableException("the correction could not be written to " + writer.topic() + ": "
          + e.getClass().getSimpleName());
    }
    return Map.of("postId", id, "label", label.name().toLowerCase(Locale.ROOT), "topic", writer.topic());
  }

  private static Label label(JsonNode body) {
    String value = body == null ? null : body.path("label").asText(null);
    if (value == null) throw new BadRequestException("the body must be {\"label\": \"negative|neutral|positive\"}");
    try {
      return Label.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("unknown label '" + value + "': negative, neutral or positive");
    }
  }
}
