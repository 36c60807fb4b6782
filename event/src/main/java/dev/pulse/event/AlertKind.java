package dev.pulse.event;

/**
 * CRISIS: negative ratio over the pipeline's rule; SPIKE: volume far over its baseline; TREND_SHIFT: mean sentiment
 * moved significantly from its recent baseline.
 */
public enum AlertKind {
  CRISIS,
  SPIKE,
  TREND_SHIFT
}
