package dev.pulse.event;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;

/**
 * The labelled topic: posts with a label better than the light scorer's, for the next adapter and the next light
 * scorer to learn from (the closed loop's first step). Two kinds of record, one JSON object each, keyed by post id:
 * an LLM verdict that disagrees with the light scorer with confidence at least {@link #CONFIDENT} ({@code source}
 * "llm"), and an analyst's correction from the dashboard ({@code source} "analyst"). A record is a line of the
 * trainer's dataset as it stands ({@code text}, {@code label}, {@code rationale}, and {@code lightLabel} /
 * {@code lightConfidence}, which its escalation gate compares with) and of {@code ./pulse train-scorer --labelled}.
 */
public final class LabelledExamples {
  /** An LLM verdict at least this sure, against the light label, is worth learning from. */
  public static final double CONFIDENT = 0.8;
  private static final ObjectMapper JSON = new ObjectMapper();

  private LabelledExamples() {}

  /** Kafka's limit on a topic name. */
  static final int TOPIC_MAX = 249;
  private static final String SUFFIX = ".labelled";

  /**
   * The labelled topic beside a pipeline's scored topic: {@code ….scored} → {@code ….labelled}. Every writer and the
   * operator, which creates it, derive it here from the scored topic, so no process needs a setting of its own for it.
   * Two characters longer than {@code .scored}: where that passes Kafka's 249 characters the head is cut and a hash
   * of the full name keeps it unique (as the operator's other topic names are cut).
   */
  public static String topicFor(String scoredTopic) {
    String head = scoredTopic.endsWith(".scored")
        ? scoredTopic.substring(0, scoredTopic.length() - ".scored".length()) : scoredTopic;
    String full = head + SUFFIX;
    if (full.length() <= TOPIC_MAX) return full;
    String hash = sha256Hex(full).substring(0, 6);
    String cut = head.substring(0, TOPIC_MAX - SUFFIX.length() - hash.length() - 1).replaceAll("[-.]+$", "");
    return cut + "-" + hash + SUFFIX;
  }

  private static String sha256Hex(String text) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  /** Whether the LLM's verdict on a post disagrees confidently with its light score. */
  public static boolean confidentDisagreement(ScoredPost light, ScoredPost verdict) {
    return verdict.tier() == ScoredBy.LLM && verdict.label() != light.label() && verdict.confidence() >= CONFIDENT;
  }

  /** The record for an LLM verdict that disagrees confidently with {@code light}. */
  public static byte[] fromLlm(ScoredPost light, ScoredPost verdict, Instant now) {
    ObjectNode n = base(light.post().id(), light.post().text(), verdict.label(), "llm", now)
        .put("lightLabel", name(light.label())).put("lightConfidence", light.confidence())
        .put("confidence", verdict.confidence());
    if (verdict.rationale() != null) n.put("rationale", verdict.rationale());
    return n.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The record for an analyst's correction of {@code held} (the post as the dashboard holds it); the light
   * scorer's verdict is included when {@code held} still carries it (tier LIGHT).
   */
  public static byte[] fromAnalyst(ScoredPost held, Label label, String analyst, Instant now) {
    ObjectNode n = base(held.post().id(), held.post().text(), label, "analyst", now);
    if (held.tier() == ScoredBy.LIGHT) {
      n.put("lightLabel", name(held.label())).put("lightConfidence", held.confidence());
    }
    n.put("was", name(held.label())).put("wasScoredBy", held.tier().name());
    if (analyst != null) n.put("analyst", analyst);
    return n.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static ObjectNode base(String id, String text, Label label, String source, Instant now) {
    return JSON.createObjectNode().put("postId", id).put("text", text).put("label", name(label)).put("source", source)
        .put("labelledAt", now.toString());
  }

  private static String name(Label l) {
    return l.name().toLowerCase(Locale.ROOT);
  }
}
