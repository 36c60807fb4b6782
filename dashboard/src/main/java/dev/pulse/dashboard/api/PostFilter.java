package dev.pulse.dashboard.api;

import dev.pulse.dashboard.brand.BrandCatalog;
import dev.pulse.event.Label;
import dev.pulse.event.ScoredPost;
import dev.pulse.event.Source;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which posts a view or a drill-down asks for: every field is optional (null = any). {@code from}/{@code to} bound
 * the ingestion time (the pipeline's windows are on ingestion time), {@code term} is a word the text must contain,
 * {@code cell} a 2-degree map cell given by its centre ("51,-1").
 */
public record PostFilter(Label sentiment, Source source, String geo, String brand, Instant from, Instant to,
    String term, double[] cell) {
  static final Pattern WORDS = Pattern.compile("[^\\p{L}\\p{N}#@']+");

  public static final PostFilter ANY = new PostFilter(null, null, null, null, null, null, null, null);

  public boolean matches(ScoredPost p, BrandCatalog brands) {
    var post = p.post();
    if (sentiment != null && p.label() != sentiment) {
      return false;
    }
    if (source != null && post.source() != source) {
      return false;
    }
    if (geo != null && (post.geo() == null || !geo.equalsIgnoreCase(post.geo().country()))) {
      return false;
    }
    if (from != null && post.ingestedAt().isBefore(from)) {
      return false;
    }
    if (to != null && !post.ingestedAt().isBefore(to)) {
      return false;
    }
    if (cell != null && (post.geo() == null || post.geo().lat() == null || post.geo().lon() == null
        || cellCentre(post.geo().lat()) != cell[0] || cellCentre(post.geo().lon()) != cell[1])) {
      return false;
    }
    if (term != null && !List.of(WORDS.split(post.text().toLowerCase(Locale.ROOT))).contains(term)) {
      return false;
    }
    return brand == null || brands.of(post.text()).stream().anyMatch(brand::equalsIgnoreCase);
  }

  /** The centre of the 2-degree cell a coordinate falls in, as the map draws it. */
  public static double cellCentre(double degrees) {
    return Math.floor(degrees / 2) * 2 + 1;
  }
}
