package io.sagaz.fleet.core.partition;

import io.sagaz.fleet.core.config.MaintenanceConfig;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

/**
 * Which partitions maintenance keeps, seen from a given day (UTC): the same arithmetic as
 * {@code maintain_all_partitions} in migration V2, for callers that report on it (e.g. how far ahead
 * partitions exist) or pass its arguments.
 *
 * @param monthsAhead               monthly partitions after the current month
 * @param daysAhead                 daily outbox partitions after today
 * @param executionsRetentionMonths months before the current one kept for saga_executions and saga_audit_log
 * @param outboxRetentionDays       days before today kept for saga_outbox
 */
public record PartitionWindow(int monthsAhead, int daysAhead, int executionsRetentionMonths, int outboxRetentionDays) {
  public PartitionWindow {
    if (monthsAhead < 0 || monthsAhead > 120) {
      throw new InvalidPartitionInputException("monthsAhead must be between 0 and 120, was " + monthsAhead);
    }
    if (daysAhead < 0 || daysAhead > 1000) {
      throw new InvalidPartitionInputException("daysAhead must be between 0 and 1000, was " + daysAhead);
    }
    if (executionsRetentionMonths < 1) {
      throw new InvalidPartitionInputException("executionsRetentionMonths must be at least 1, was " + executionsRetentionMonths);
    }
    if (outboxRetentionDays < 1) {
      throw new InvalidPartitionInputException("outboxRetentionDays must be at least 1, was " + outboxRetentionDays);
    }
  }

  /** The seed defaults, also the defaults of {@code maintain_all_partitions()}: 3 months, 7 days, 12 months, 30 days. */
  public static PartitionWindow defaults() {
    return new PartitionWindow(3, 7, 12, 30);
  }

  /** The window a maintenance configuration asks for. */
  public static PartitionWindow of(MaintenanceConfig config) {
    return new PartitionWindow(config.monthsAhead(), config.daysAhead(),
        config.executionsRetentionMonths(), config.outboxRetentionDays());
  }

  /** First day of the last partition that must exist ahead of {@code today}. */
  public LocalDate lastAhead(PartitionedTable table, LocalDate today) {
    return table.period().plus(today, table.period() == PartitionPeriod.MONTH ? monthsAhead : daysAhead);
  }

  /**
   * First days of the periods from today's to {@link #lastAhead} that have no partition of the seed
   * name in {@code existing}, oldest first: what a run creates, one step each. A period covered by a
   * partition of another name is listed too; {@code create_partitions} then reports it as existing.
   */
  public List<LocalDate> missingAhead(PartitionedTable table, LocalDate today, Set<String> existing) {
    return table.partitionStarts(new DateRange(table.period().start(today), lastAhead(table, today))).stream()
        .filter(start -> !existing.contains(table.partitionName(start)))
        .toList();
  }

  /**
   * The retention cut-off: a partition whose range ends on or before this day is dropped (outbox
   * partitions only once they hold no unsent rows). Also the first day of the oldest partition kept.
   */
  public LocalDate retentionCutoff(PartitionedTable table, LocalDate today) {
    return table.period() == PartitionPeriod.MONTH
        ? table.period().plus(today, -executionsRetentionMonths)
        : today.minusDays(outboxRetentionDays);
  }

  /**
   * How many whole periods after the current one are covered when partitions exist up to (excluding)
   * {@code coveredUntil}; 0 when only the current period is covered, negative when not even that.
   */
  public static long periodsAhead(PartitionedTable table, LocalDate today, LocalDate coveredUntil) {
    return table.period().between(today, coveredUntil) - 1;
  }
}
