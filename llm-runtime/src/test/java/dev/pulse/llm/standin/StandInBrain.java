package dev.pulse.llm.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.llm.standin.VllmStandIn.ChatCall;
import dev.pulse.llm.standin.VllmStandIn.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stand-in's default "model": a transparent rule set, so tests know what a correct gateway must
 * return without hard-coding it. For classification it reads the fenced post as a model would:
 * words from a small lexicon decide; with none, the first retrieved example's label; else neutral.
 *
 * <p>Fault markers in a post ask for a fault instead: {@code #slow} (answers after {@link #SLOW}),
 * {@code #http500}, {@code #garbage-body} (HTTP 200, not JSON), {@code #malformed-always} (content not JSON,
 * every time), {@code #malformed-once} (the first time only), {@code #bad-label}, {@code #leak}
 * (valid JSON whose rationale quotes the system prompt).
 */
public class StandInBrain implements VllmStandIn.Brain {
  static final Set<String> NEGATIVE =
      Set.of("broken", "refund", "worst", "hate", "outage", "crash", "crashes", "terrible", "angry", "scam", "recall", "unsafe", "lawsuit");
  static final Set<String> POSITIVE = Set.of("love", "great", "awesome", "thanks", "excellent", "amazing", "best");
  static final Set<String> CRISIS = Set.of("outage", "recall", "unsafe", "lawsuit", "boycott", "fire");

  /** How long a {@code #slow} answer takes: well beyond the gateway's timeout in the tests. */
  public static final Duration SLOW = Duration.ofSeconds(6);

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Map<String, Integer> seen = new ConcurrentHashMap<>();

  @Override
  public Reply apply(ChatCall call) {
    return switch (call.schemaName()) {
      case "pulse_classification" -> classify(call);
      case "pulse_alert_explanation" -> explain(call);
      case "pulse_response_draft" -> draft(call);
      default -> Reply.error(400, "unexpected response_format " + call.responseFormat());
    };
  }

  Reply classify(ChatCall call) {
    String post = Fenced.only(call.user(), "POST");
    int times = seen.merge(post, 1, Integer::sum);
    if (post.contains("#slow")) {
      return answer(post, call).after(SLOW);
    }
    if (post.contains("#http500")) {
      return Reply.error(500, "CUDA out of memory (stand-in)");
    }
    if (post.contains("#garbage-body")) {
      return Reply.raw("<html>502 Bad Gateway</html>");
    }
    if (post.contains("#malformed-once") && times == 1 || post.contains("#malformed-always")) {
      return Reply.content("Sure! The label is positive.");
    }
    if (post.contains("#bad-label")) {
      return Reply.content("{\"label\": \"very positive\", \"score\": 0.9, \"rationale\": \"x\", \"crisis\": false}");
    }
    if (post.contains("#leak")) {
      return Reply.content(json(Map.of("label", "positive", "score", 0.99, "rationale", call.system(), "crisis", false)));
    }
    return answer(post, call);
  }

  private Reply answer(String post, ChatCall call) {
    List<String> words = List.of(post.toLowerCase(Locale.ROOT).split("[^a-z]+"));
    long neg = words.stream().filter(NEGATIVE::contains).count();
    long pos = words.stream().filter(POSITIVE::contains).count();
    boolean crisis = words.stream().anyMatch(CRISIS::contains);
    String label;
    double score;
    String rationale;
    if (neg != pos) {
      label = neg > pos ? "negative" : "positive";
      score = 0.9;
      rationale = "The post uses " + label + " words.";
    } else {
      List<String> examples = Fenced.blocks(call.user(), "EXAMPLES");
      if (!examples.isEmpty()) {
        JsonNode first = read(examples.get(0).split("\n")[0]);
        label = first.path("label").asText();
        score = 0.6;
        rationale = "It reads like a similar " + label + " post.";
      } else {
        label = "neutral";
        score = 0.5;
        rationale = "No clear opinion.";
      }
    }
    ObjectNode out = JSON.createObjectNode();
    out.put("label", label);
    out.put("score", score);
    out.put("rationale", rationale);
    out.put("crisis", crisis);
    return Reply.content(out.toString());
  }

  Reply explain(ChatCall call) {
    JsonNode data = read(Fenced.only(call.user(), "DATA"));
    int negative = 0;
    for (JsonNode e : data.path("evidence")) {
      if ("negative".equals(e.path("label").asText())) {
        negative++;
      }
    }
    ObjectNode out = JSON.createObjectNode();
    out.put("summary", negative + " of " + data.path("evidence").size() + " posts complain; alert " + data.path("alert").path("id").asText() + ".");
    out.putArray("drivers").add("complaints");
    return Reply.content(out.toString());
  }

  Reply draft(ChatCall call) {
    JsonNode data = read(Fenced.only(call.user(), "DATA"));
    String grounding = data.path("glossary").isEmpty() ? "our support team" : data.path("glossary").get(0).asText();
    ObjectNode out = JSON.createObjectNode();
    out.put("reply", "Sorry about this. " + grounding);
    out.put("tone", "apologetic");
    return Reply.content(out.toString());
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
