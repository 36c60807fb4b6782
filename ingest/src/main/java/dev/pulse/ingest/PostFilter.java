package dev.pulse.ingest;

import dev.pulse.event.Post;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The SourceFeed's keyword and language filters. A post passes when it contains any keyword (case-insensitive; no
 * keywords = all pass) and its language is listed (no languages = all pass; a post whose source gives no language
 * passes, since dropping it would silently lose e.g. every Reddit post).
 */
public final class PostFilter {
  private final List<String> keywords;
  private final Set<String> languages;

  public PostFilter(List<String> keywords, List<String> languages) {
    this.keywords = keywords == null ? List.of()
        : keywords.stream().map(k -> k.toLowerCase(Locale.ROOT).trim()).filter(k -> !k.isEmpty()).toList();
    this.languages = languages == null ? Set.of()
        : languages.stream().map(PostFilter::baseLanguage).collect(Collectors.toUnmodifiableSet());
  }

  /** Empty when the post passes; otherwise the reason it was filtered ("keyword" or "language"). */
  public Optional<String> rejection(Post post) {
    if (!languages.isEmpty() && post.lang() != null && !languages.contains(baseLanguage(post.lang()))) {
      return Optional.of("language");
    }
    if (!keywords.isEmpty()) {
      String text = post.text().toLowerCase(Locale.ROOT);
      if (keywords.stream().noneMatch(text::contains)) {
        return Optional.of("keyword");
      }
    }
    return Optional.empty();
  }

  /** "en-US" and "en_us" both mean "en" for filtering. */
  static String baseLanguage(String tag) {
    String lower = tag.toLowerCase(Locale.ROOT).trim();
    int cut = lower.indexOf('-') >= 0 ? lower.indexOf('-') : lower.indexOf('_');
    return cut > 0 ? lower.substring(0, cut) : lower;
  }
}
