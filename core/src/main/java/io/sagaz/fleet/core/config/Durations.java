package io.sagaz.fleet.core.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration grammar of configuration keys and saga definitions: {@code 500ms}, {@code 5s},
 * {@code 2m}, {@code 1h}, {@code 2d} or ISO-8601 ({@code PT5S}).
 */
public final class Durations {
  private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private Durations() {}

  /** The duration {@code text} denotes; {@link IllegalArgumentException} saying what is accepted otherwise. */
  public static Duration parse(String text) {
    String t = text == null ? "" : text.trim();
    Matcher m = SHORT.matcher(t);
    if (m.matches()) {
      long n;
      try {
        n = Long.parseLong(m.group(1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("duration '" + text + "' is too large");
      }
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    if (t.startsWith("P") || t.startsWith("p")) {
      try {
        return Duration.parse(t);
      } catch (DateTimeParseException e) {
        // fall through to the common message
      }
    }
    throw new IllegalArgumentException("bad duration '" + text + "' (use e.g. 500ms, 5s, 2m, 1h or PT5S)");
  }

  /** Parses a configuration value; a bad one fails naming {@code key}. */
  public static Duration parse(String key, String text) {
    try {
      return parse(text);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key, "expected a duration like 500ms, 30s, 5m or 1h, was '" + text + "'");
    }
  }

  /** The short form used when rendering a definition back ({@code 500ms}, {@code 5s}, ...). */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}
