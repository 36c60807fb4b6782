package dev.pulse.llm.classify;

import dev.pulse.llm.model.FallbackReason;
import dev.pulse.llm.model.Sentiment;
import dev.pulse.llm.model.Source;

import dev.pulse.llm.model.PostClassification;
import dev.pulse.llm.model.PostIn;

/** The result when the LLM is not used: the light scorer's label and score stand, marked as such. */
public final class LightScoreFallback {
  private LightScoreFallback() {}

  public static PostClassification of(PostIn post, FallbackReason reason) {
    double score = post.lightScore() == null ? 0.0 : post.lightScore();
    Sentiment label = post.lightLabel() != null ? post.lightLabel() : Sentiment.ofScore(score);
    return new PostClassification(
        post.id(), label, score, null, rationale(reason), false, Source.FALLBACK, reason);
  }

  static String rationale(FallbackReason reason) {
    String why =
        switch (reason) {
          case BUDGET -> "the pipeline's LLM budget for this minute is spent";
          case TIMEOUT -> "the LLM did not answer in time";
          case UPSTREAM_ERROR -> "the LLM server failed";
          case INVALID_OUTPUT -> "the LLM's answer failed validation twice";
          case OVERLOADED -> "the gateway's LLM queue is full";
        };
    return "Light score kept: " + why + ".";
  }
}
