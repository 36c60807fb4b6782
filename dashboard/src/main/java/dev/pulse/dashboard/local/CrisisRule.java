package dev.pulse.dashboard.local;

import dev.pulse.event.Alert;
import dev.pulse.event.AlertKind;
import dev.pulse.event.Label;
import dev.pulse.event.ScoredPost;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SentimentPipeline's crisis rule, evaluated as windows close: over the last {@code span} windows, CRISIS when
 * at least {@code minVolume} posts and a share of at least {@code negativeRatio} that are negative or name a crisis
 * word (the glossary weighing in); SPIKE when the newest
 * window holds {@code spikeFactor}× the trailing average. Posts naming a crisis keyword count as evidence first. One
 * alert of a kind per cooldown, so a crisis is one alert and not one per window.
 */
final class CrisisRule {
  private final String pipeline;
  private final int span;
  private final int minVolume;
  private final double negativeRatio;
  private final double spikeFactor;
  private final Duration cooldown;
  private final Deque<WindowAggregator.ClosedWindow> recent = new ArrayDeque<>();
  private final Map<AlertKind, Instant> lastFired = new EnumMap<>(AlertKind.class);

  CrisisRule(String pipeline, int span, int minVolume, double negativeRatio, double spikeFactor, Duration cooldown) {
    this.pipeline = pipeline;
    this.span = span;
    this.minVolume = minVolume;
    this.negativeRatio = negativeRatio;
    this.spikeFactor = spikeFactor;
    this.cooldown = cooldown;
  }

  List<Alert> evaluate(WindowAggregator.ClosedWindow window, Instant now, java.util.function.Predicate<ScoredPost> crisisWord) {
    recent.addLast(window);
    while (recent.size() > 12 + span) {
      recent.removeFirst();
    }
    List<Alert> alerts = new ArrayList<>();
    List<WindowAggregator.ClosedWindow> last = new ArrayList<>(recent).subList(Math.max(0, recent.size() - span),
        recent.size());
    List<ScoredPost> posts = last.stream().flatMap(w -> w.posts().stream()).toList();
    // Crisis-glossary hits weigh in: a post naming a crisis word counts as negative even when the scorer hedged.
    long negative = posts.stream().filter(p -> p.label() == Label.NEGATIVE || crisisWord.test(p)).count();
    long hits = posts.stream().filter(crisisWord).count();
    double ratio = posts.isEmpty() ? 0 : (double) negative / posts.size();
    Instant start = last.get(0).start();
    if (posts.size() >= minVolume && ratio >= negativeRatio) {
      fire(AlertKind.CRISIS, now).ifPresent(k -> alerts.add(Alert.of(k, pipeline, start, window.end(),
          Map.of("negativeRatio", ratio, "count", (double) posts.size(), "crisisKeywordPosts", (double) hits),
          negativeRatio, evidence(posts, crisisWord), now)));
    }
    List<WindowAggregator.ClosedWindow> before = new ArrayList<>(recent).subList(0, recent.size() - 1);
    if (before.size() >= 6) {
      double baseline = before.stream().mapToInt(w -> w.posts().size()).average().orElse(0);
      int count = window.posts().size();
      if (baseline > 0 && count >= minVolume / (double) span && count >= spikeFactor * baseline) {
        fire(AlertKind.SPIKE, now).ifPresent(k -> alerts.add(Alert.of(k, pipeline, window.start(), window.end(),
            Map.of("count", (double) count, "baseline", baseline), spikeFactor,
            evidence(window.posts(), crisisWord), now)));
      }
    }
    return alerts;
  }

  private Optional<AlertKind> fire(AlertKind kind, Instant now) {
    Instant last = lastFired.get(kind);
    if (last != null && now.isBefore(last.plus(cooldown))) {
      return Optional.empty();
    }
    lastFired.put(kind, now);
    return Optional.of(kind);
  }

  /** The most negative posts, those with crisis words first: what an analyst reads to see why. */
  private static List<String> evidence(List<ScoredPost> posts, java.util.function.Predicate<ScoredPost> crisisWord) {
    return posts.stream()
        .sorted(Comparator.comparing((ScoredPost p) -> !crisisWord.test(p)).thenComparingDouble(ScoredPost::score))
        .limit(8).map(p -> p.post().id()).toList();
  }
}
