package dev.pulse.event;

/**
 * Where a post was made, when the source says so: coordinates and/or a named place. Every field may be null,
 * but not all of them at once (a geo with nothing in it is written as no geo).
 */
public record Geo(Double lat, Double lon, String country, String place) {
  public Geo {
    if (lat == null && lon == null && country == null && place == null) {
      throw new IllegalArgumentException("geo has neither coordinates nor a place");
    }
    if ((lat == null) != (lon == null)) {
      throw new IllegalArgumentException("geo needs both lat and lon, or neither");
    }
    if (lat != null && (lat < -90 || lat > 90)) {
      throw new IllegalArgumentException("geo.lat out of range [-90, 90]: " + lat);
    }
    if (lon != null && (lon < -180 || lon > 180)) {
      throw new IllegalArgumentException("geo.lon out of range [-180, 180]: " + lon);
    }
  }
}
