package dev.pulse.dashboard.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.dashboard.api.Views.PostView;
import dev.pulse.dashboard.api.Views.SeriesPoint;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * CSV (RFC 4180, UTF-8, CRLF) and JSON (an array) of posts and series, written as they are produced so a large
 * export streams page by page instead of being built in memory. A text cell that a spreadsheet would run as a formula
 * (it starts with =, +, - or @) gets a leading apostrophe.
 */
final class Exports {
  static final String POST_HEADER = "id,ingestedAt,createdAt,source,feed,brands,country,place,label,score,confidence,"
      + "tier,escalated,url,text,rationale";
  static final String SERIES_HEADER = "windowStart,windowEnd,count,negative,neutral,positive,meanScore";

  private Exports() {}

  enum Format {
    CSV("text/csv;charset=UTF-8", "csv"), JSON("application/json", "json");

    final String contentType;
    final String extension;

    Format(String contentType, String extension) {
      this.contentType = contentType;
      this.extension = extension;
    }

    static Format of(String value) {
      if (value == null || value.isBlank() || value.equalsIgnoreCase("csv")) {
        return CSV;
      }
      if (value.equalsIgnoreCase("json")) {
        return JSON;
      }
      throw new BadRequestException("format '" + value + "' is not csv or json");
    }
  }

  /** Writes rows to a stream in one format: open, any number of pages, close. */
  static final class Sink {
    private final Format format;
    private final OutputStream out;
    private final Writer text;
    private final JsonGenerator json;
    private final boolean posts;

    Sink(Format format, OutputStream out, ObjectMapper mapper, boolean posts) throws IOException {
      this.format = format;
      this.out = out;
      this.posts = posts;
      if (format == Format.CSV) {
        this.text = new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8);
        this.json = null;
        text.write((posts ? POST_HEADER : SERIES_HEADER) + "\r\n");
      } else {
        this.text = null;
        this.json = mapper.getFactory().createGenerator(out);
        json.writeStartArray();
      }
    }

    void posts(List<PostView> page) {
      try {
        for (PostView p : page) {
          if (format == Format.JSON) {
            json.writeObject(p);
          } else {
            text.write(String.join(",", cell(p.id()), cell(String.valueOf(p.ingestedAt())),
                cell(String.valueOf(p.createdAt())), cell(p.source()), cell(p.feed()),
                cell(String.join("|", p.brands())), cell(p.geo() == null ? null : p.geo().country()),
                cell(p.geo() == null ? null : p.geo().place()), cell(p.label()), number(p.score()),
                number(p.confidence()), cell(p.tier()), String.valueOf(p.escalated()), cell(p.url()), cell(p.text()),
                cell(p.rationale())) + "\r\n");
          }
        }
        flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void series(List<SeriesPoint> points) {
      try {
        for (SeriesPoint p : points) {
          if (format == Format.JSON) {
            json.writeObject(p);
          } else {
            text.write(String.join(",", cell(String.valueOf(p.windowStart())), cell(String.valueOf(p.windowEnd())),
                String.valueOf(p.count()), String.valueOf(p.negative()), String.valueOf(p.neutral()),
                String.valueOf(p.positive()), number(p.meanScore())) + "\r\n");
          }
        }
        flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private void flush() throws IOException {
      if (text != null) {
        text.flush();
      } else {
        json.flush();
      }
      out.flush();
    }

    void close() throws IOException {
      if (json != null) {
        json.writeEndArray();
        json.close();
      } else {
        text.flush();
      }
    }

    boolean posts() {
      return posts;
    }
  }

  static String cell(String v) {
    if (v == null) {
      return "";
    }
    String s = !v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0 && !isNumber(v) ? "'" + v : v;
    return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")
        ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }

  private static boolean isNumber(String v) {
    return v.matches("[-+]?\\d+(\\.\\d+)?");
  }

  static String number(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }
}
