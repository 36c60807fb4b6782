package dev.pulse.stream;

import dev.pulse.event.Aggregate;
import dev.pulse.event.ScoredPost;
import dev.pulse.event.TermCount;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What one window of one key (source × geo cell) has seen, in bounded memory: counts, score sum, term counts (pruned
 * of singletons past {@link #MAX_TERMS}), and the evidence candidates (the most negative crisis-keyword posts and the
 * most negative posts, each by score then id). The candidates do not depend on the order posts arrive in, so the
 * Spark job (whose grouping reorders them) and the in-process engine pick the same evidence.
 */
public final class WindowStats implements Serializable {
  private static final long serialVersionUID = 1L;
  static final int MAX_TERMS = 5_000;
  static final int TOP_TERMS = 10;

  /** A candidate for evidence: its score and post id (ordered by score, then id, for a deterministic pick). */
  record Candidate(double score, String id) implements Serializable, Comparable<Candidate> {
    @Override
    public int compareTo(Candidate o) {
      int c = Double.compare(score, o.score);
      return c != 0 ? c : id.compareTo(o.id);
    }
  }

  long count;
  double sumScore;
  long negative;
  long neutral;
  long positive;
  long keywordPosts;
  private final Map<String, Long> terms = new HashMap<>();
  private final TreeSet<Candidate> keywordCandidates = new TreeSet<>();
  private final TreeSet<Candidate> mostNegative = new TreeSet<>();

  public void add(ScoredPost p, List<String> words, boolean crisisKeyword, int evidenceLimit) {
    count++;
    sumScore += p.score();
    switch (p.label()) {
      case NEGATIVE -> negative++;
      case NEUTRAL -> neutral++;
      case POSITIVE -> positive++;
    }
    for (String w : words) terms.merge(w, 1L, Long::sum);
    if (terms.size() > MAX_TERMS) terms.values().removeIf(c -> c <= 1);
    if (crisisKeyword) {
      keywordPosts++;
      keywordCandidates.add(new Candidate(p.score(), p.post().id()));
      if (keywordCandidates.size() > evidenceLimit) keywordCandidates.pollLast();
    }
    mostNegative.add(new Candidate(p.score(), p.post().id()));
    if (mostNegative.size() > evidenceLimit) mostNegative.pollLast();
  }

  public double meanScore() {
    return count == 0 ? 0 : Math.max(-1, Math.min(1, sumScore / count));
  }

  /** Crisis-keyword posts first, then the most negative ones; {@code negativeOnly} keeps to NEGATIVE-scored ones. */
  public List<String> evidence(int limit, boolean negativeOnly) {
    LinkedHashSet<String> out = new LinkedHashSet<>();
    for (Candidate c : keywordCandidates) out.add(c.id());
    for (Candidate c : mostNegative) {
      if (out.size() >= limit) break;
      if (!negativeOnly || c.score() < 0) out.add(c.id());
    }
    return new ArrayList<>(out).subList(0, Math.min(limit, out.size()));
  }

  public List<TermCount> topTerms() {
    return terms.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .limit(TOP_TERMS).map(e -> new TermCount(e.getKey(), e.getValue())).toList();
  }

  public Aggregate toAggregate(String pipeline, Instant start, Instant end, String source, String geoCell) {
    return Aggregate.of(pipeline, start, end, source, geoCell, negative, neutral, positive, meanScore(), topTerms());
  }
}
