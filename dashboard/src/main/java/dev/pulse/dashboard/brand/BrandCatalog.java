package dev.pulse.dashboard.brand;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The brands (or topics) a pipeline tracks, as the dashboard is told them: each entry is {@code Name} or
 * {@code Name=term|term…}, and a post belongs to a brand when its text mentions one of the terms (the name itself when
 * none is given) case-insensitively on word boundaries, so "#NorthwindAir" matches the term "northwindair". A post that
 * mentions two brands counts for both; one that mentions none belongs to no brand (and is still in the pipeline's
 * totals).
 */
public final class BrandCatalog {
  private final List<Brand> brands;

  public record Brand(String name, List<String> terms, Pattern pattern) {
    boolean mentionedIn(String text) {
      return pattern.matcher(text).find();
    }
  }

  private BrandCatalog(List<Brand> brands) {
    this.brands = List.copyOf(brands);
  }

  public static BrandCatalog parse(List<String> entries) {
    List<Brand> out = new ArrayList<>();
    for (String raw : entries == null ? List.<String>of() : entries) {
      String entry = raw.trim();
      if (entry.isEmpty()) {
        continue;
      }
      int eq = entry.indexOf('=');
      String name = (eq < 0 ? entry : entry.substring(0, eq)).trim();
      List<String> terms = new ArrayList<>();
      for (String t : (eq < 0 ? name : entry.substring(eq + 1)).split("\\|")) {
        if (!t.isBlank()) {
          terms.add(t.trim().toLowerCase(Locale.ROOT));
        }
      }
      if (name.isEmpty() || terms.isEmpty()) {
        throw new IllegalArgumentException("brand entry '" + raw + "' must be Name or Name=term|term");
      }
      if (out.stream().anyMatch(b -> b.name().equalsIgnoreCase(name))) {
        throw new IllegalArgumentException("brand '" + name + "' is declared twice");
      }
      String alternatives = String.join("|", terms.stream().map(Pattern::quote).toList());
      out.add(new Brand(name, List.copyOf(terms), Pattern.compile(
          "(?<![\\p{L}\\p{N}_])(?:" + alternatives + ")(?![\\p{L}\\p{N}_])",
          Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)));
    }
    return new BrandCatalog(out);
  }

  public List<Brand> brands() {
    return brands;
  }

  public List<String> names() {
    return brands.stream().map(Brand::name).toList();
  }

  public boolean isEmpty() {
    return brands.isEmpty();
  }

  /** The brand with this name (any case), or null. */
  public Brand named(String name) {
    return brands.stream().filter(b -> b.name().equalsIgnoreCase(name)).findFirst().orElse(null);
  }

  /** The brands a text mentions, in declaration order. */
  public List<String> of(String text) {
    if (brands.isEmpty() || text == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>(1);
    for (Brand b : brands) {
      if (b.mentionedIn(text)) {
        out.add(b.name());
      }
    }
    return out;
  }
}
