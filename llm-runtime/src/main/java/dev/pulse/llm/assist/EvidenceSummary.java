package dev.pulse.llm.assist;

import dev.pulse.llm.model.EvidencePost;
import dev.pulse.llm.model.Sentiment;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** What can be said about an alert without the LLM: the negative share and the most repeated words. */
public final class EvidenceSummary {
  private static final Set<String> STOP_WORDS =
      Set.of(
          "the", "a", "an", "and", "or", "but", "is", "are", "was", "were", "be", "been", "to", "of",
          "in", "on", "at", "for", "with", "this", "that", "it", "its", "my", "your", "our", "i",
          "you", "we", "they", "me", "so", "not", "no", "just", "have", "has", "had", "do", "does",
          "did", "from", "by", "as", "about", "all", "can", "will", "get", "got", "again", "now");

  private EvidenceSummary() {}

  public static String summary(List<EvidencePost> evidence) {
    long negative = evidence.stream().filter(p -> p.label() == Sentiment.NEGATIVE).count();
    List<String> terms = topTerms(evidence, 3);
    return negative + " of " + evidence.size() + " evidence posts are negative"
        + (terms.isEmpty() ? "." : "; the most repeated words are " + String.join(", ", terms) + ".");
  }

  /** The most frequent words of the negative posts (all posts when none is negative). */
  public static List<String> topTerms(List<EvidencePost> evidence, int n) {
    List<EvidencePost> negative =
        evidence.stream().filter(p -> p.label() == Sentiment.NEGATIVE).toList();
    Map<String, Integer> counts = new HashMap<>();
    for (EvidencePost p : negative.isEmpty() ? evidence : negative) {
      Arrays.stream(p.text().toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}']+"))
          .filter(w -> w.length() > 2 && !STOP_WORDS.contains(w))
          .distinct()
          .forEach(w -> counts.merge(w, 1, Integer::sum));
    }
    return counts.entrySet().stream()
        .filter(e -> e.getValue() > 1)
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .limit(n)
        .map(Map.Entry::getKey)
        .toList();
  }
}
