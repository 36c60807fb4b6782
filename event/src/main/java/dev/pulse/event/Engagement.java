package dev.pulse.event;

/**
 * Engagement counts as the source reports them; null where the source has no such count. For Reddit, likes is the
 * post's score and replies its comment count; for X they are public_metrics.
 */
public record Engagement(Long likes, Long reposts, Long replies, Long quotes, Long views) {
  public static final Engagement NONE = new Engagement(null, null, null, null, null);
}
