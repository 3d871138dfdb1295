package io.sagaz.fleet.core.partition;

import java.time.LocalDate;
import java.time.Period;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An age such as {@code 30d}, {@code 2w}, {@code 12m} or {@code 1y}: the seed CLI's
 * {@code sagaz partition cleanup --older-than 12m} and retention settings. {@code m} means months
 * (there is no unit below a day for partitions).
 *
 * @param amount how many units, at least 1
 * @param unit   the unit
 */
public record PartitionAge(int amount, Unit unit) {
  private static final Pattern FORMAT = Pattern.compile("(\\d{1,5})\\s*([dwmy])");
  private static final int MAX_AMOUNT = 10_000;

  /** Units an age may be given in, with the letter that stands for each. */
  public enum Unit {
    DAYS('d'), WEEKS('w'), MONTHS('m'), YEARS('y');

    private final char letter;

    Unit(char letter) {
      this.letter = letter;
    }

    public char letter() {
      return letter;
    }

    static Unit of(char letter) {
      for (Unit u : values()) {
        if (u.letter == letter) {
          return u;
        }
      }
      throw new IllegalStateException("no unit " + letter);
    }
  }

  public PartitionAge {
    if (unit == null) {
      throw new InvalidPartitionInputException("age unit must not be null");
    }
    if (amount < 1 || amount > MAX_AMOUNT) {
      throw new InvalidPartitionInputException(
          "age must be between 1 and " + MAX_AMOUNT + " " + unit.name().toLowerCase(Locale.ROOT) + ", was " + amount);
    }
  }

  public static PartitionAge days(int n) {
    return new PartitionAge(n, Unit.DAYS);
  }

  public static PartitionAge months(int n) {
    return new PartitionAge(n, Unit.MONTHS);
  }

  /**
   * Parses {@code <number><d|w|m|y>}, case-insensitive, e.g. {@code 12m} = 12 months.
   *
   * @throws InvalidPartitionInputException naming the text and the accepted form
   */
  public static PartitionAge parse(String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidPartitionInputException("age is missing: expected a number and a unit, e.g. 30d, 2w, 12m or 1y");
    }
    Matcher m = FORMAT.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new InvalidPartitionInputException("invalid age '" + text
          + "': expected a whole number followed by d (days), w (weeks), m (months) or y (years), e.g. 30d or 12m");
    }
    return new PartitionAge(Integer.parseInt(m.group(1)), Unit.of(m.group(2).charAt(0)));
  }

  /** The age as a {@link Period}. */
  public Period toPeriod() {
    return switch (unit) {
      case DAYS -> Period.ofDays(amount);
      case WEEKS -> Period.ofWeeks(amount);
      case MONTHS -> Period.ofMonths(amount);
      case YEARS -> Period.ofYears(amount);
    };
  }

  /**
   * The cut-off date for "older than this age" seen from {@code today}: partitions whose range ends on
   * or before it are old enough (the {@code p_before} of {@code drop_partitions_older_than}).
   */
  public LocalDate before(LocalDate today) {
    return today.minus(toPeriod());
  }

  /** The canonical text, e.g. {@code 12m}; {@link #parse} reads it back. */
  @Override
  public String toString() {
    return amount + String.valueOf(unit.letter());
  }
}
