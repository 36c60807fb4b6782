package dev.pulse.scoring.glossary;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A pipeline's brand and crisis terminology (a SentimentPipeline field): terms whose polarity overrides the
 * lexicon (a term may be several words, e.g. "recall notice") and keywords whose presence flags a post as
 * crisis-related. Matching is case-insensitive on whole words.
 */
public record Glossary(List<Term> terms, List<String> crisisKeywords) implements Serializable {

  public static final Glossary EMPTY = new Glossary(List.of(), List.of());

  /** A term and its polarity in [-1, 1] (scaled to the lexicon's [-4, 4] valence range when applied). */
  public record Term(String term, double polarity) implements Serializable {
    public Term {
      Objects.requireNonNull(term, "term");
      if (term.isBlank()) throw new IllegalArgumentException("glossary term is blank");
      if (!(polarity >= -1 && polarity <= 1)) {
        throw new IllegalArgumentException(
            "glossary term '" + term + "' has polarity " + polarity + ": expected a value in [-1, 1]");
      }
      term = term.trim().toLowerCase(Locale.ROOT);
    }
  }

  public Glossary {
    terms = List.copyOf(terms == null ? List.of() : terms);
    crisisKeywords =
        (crisisKeywords == null ? List.<String>of() : crisisKeywords).stream()
            .map(k -> k.trim().toLowerCase(Locale.ROOT))
            .filter(k -> !k.isEmpty())
            .toList();
  }

  public boolean isEmpty() {
    return terms.isEmpty() && crisisKeywords.isEmpty();
  }
}
