package io.sagaz.fleet.core.partition;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * The length of one partition. Periods are UTC calendar months or days, the same as the SQL functions
 * (migration V2) use, so a date here always names the partition PostgreSQL puts that day's rows in.
 */
public enum PartitionPeriod {
  MONTH(ChronoUnit.MONTHS),
  DAY(ChronoUnit.DAYS);

  private final ChronoUnit unit;

  PartitionPeriod(ChronoUnit unit) {
    this.unit = unit;
  }

  /** First day of the period containing {@code date}. */
  public LocalDate start(LocalDate date) {
    return this == MONTH ? date.withDayOfMonth(1) : date;
  }

  /** First day of the period after the one containing {@code date}. */
  public LocalDate next(LocalDate date) {
    return start(date).plus(1, unit);
  }

  /** First day of the period {@code n} periods after (negative: before) the one containing {@code date}. */
  public LocalDate plus(LocalDate date, long n) {
    return start(date).plus(n, unit);
  }

  /** Whole periods from the one containing {@code from} to the one containing {@code to} (negative when before). */
  public long between(LocalDate from, LocalDate to) {
    return unit.between(start(from), start(to));
  }
}
