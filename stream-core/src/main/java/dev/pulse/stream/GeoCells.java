package dev.pulse.stream;

import dev.pulse.event.Geo;

/**
 * The geo cell of a post: a 1°×1° grid cell from coordinates ({@code "48,2"} for lat 48.85, lon 2.35; floor of
 * each), else the country code, else none (such posts count in the per-source and roll-up aggregates only).
 */
public final class GeoCells {
  private GeoCells() {}

  public static String of(Geo geo) {
    if (geo == null) return null;
    if (geo.lat() != null) {
      return (int) Math.floor(geo.lat()) + "," + (int) Math.floor(geo.lon());
    }
    return geo.country();
  }
}
