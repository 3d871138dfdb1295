package io.sagaz.fleet.core.partition;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * An inclusive range of days, as the seed CLI writes it: {@code 2025-01-01:2025-12-31}.
 *
 * @param from first day, inclusive
 * @param to   last day, inclusive, not before {@code from}
 */
public record DateRange(LocalDate from, LocalDate to) {
  public DateRange {
    if (from == null || to == null) {
      throw new InvalidPartitionInputException("a date range needs both ends, was " + from + ":" + to);
    }
    if (from.isAfter(to)) {
      throw new InvalidPartitionInputException("invalid range " + from + ":" + to + ": from is after to");
    }
  }

  /**
   * Parses {@code YYYY-MM-DD:YYYY-MM-DD}.
   *
   * @throws InvalidPartitionInputException naming the text and what was wrong with it
   */
  public static DateRange parse(String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidPartitionInputException("date range is missing: expected FROM:TO, e.g. 2025-01-01:2025-12-31");
    }
    String[] parts = text.trim().split(":", -1);
    if (parts.length != 2) {
      throw new InvalidPartitionInputException("invalid range '" + text + "': expected FROM:TO, e.g. 2025-01-01:2025-12-31");
    }
    return new DateRange(date(text, "from", parts[0]), date(text, "to", parts[1]));
  }

  private static LocalDate date(String range, String end, String value) {
    try {
      return LocalDate.parse(value.trim());
    } catch (DateTimeParseException e) {
      throw new InvalidPartitionInputException(
          "invalid range '" + range + "': " + end + " date '" + value + "' is not a date like 2025-01-31", e);
    }
  }

  @Override
  public String toString() {
    return from + ":" + to;
  }
}
