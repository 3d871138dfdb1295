package io.sagaz.fleet.core.partition;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The time-partitioned tables (design.md section 3), their partition period, seed partition names and
 * default retention. The SQL functions of migration V2 accept exactly these table names.
 */
public enum PartitionedTable {
  SAGA_EXECUTIONS("saga_executions", PartitionPeriod.MONTH, PartitionAge.months(12)),
  SAGA_AUDIT_LOG("saga_audit_log", PartitionPeriod.MONTH, PartitionAge.months(12)),
  SAGA_OUTBOX("saga_outbox", PartitionPeriod.DAY, PartitionAge.days(30));

  /** Most partitions one request may create, the same limit {@code create_partitions} enforces. */
  public static final int MAX_PARTITIONS_PER_REQUEST = 1000;

  private final String tableName;
  private final PartitionPeriod period;
  private final PartitionAge defaultRetention;

  PartitionedTable(String tableName, PartitionPeriod period, PartitionAge defaultRetention) {
    this.tableName = tableName;
    this.period = period;
    this.defaultRetention = defaultRetention;
  }

  /** The SQL table name, e.g. {@code saga_outbox}. */
  public String tableName() {
    return tableName;
  }

  public PartitionPeriod period() {
    return period;
  }

  /** Retention from the seed: 12 months for the monthly tables, 30 days for the outbox. */
  public PartitionAge defaultRetention() {
    return defaultRetention;
  }

  /** The DEFAULT partition's name, e.g. {@code saga_outbox_default}. */
  public String defaultPartitionName() {
    return tableName + "_default";
  }

  /**
   * The seed name of the partition holding {@code date}: {@code saga_executions_y2025m01},
   * {@code saga_outbox_y2025m01d15}.
   */
  public String partitionName(LocalDate date) {
    LocalDate start = period.start(date);
    String month = String.format(Locale.ROOT, "%s_y%04dm%02d", tableName, start.getYear(), start.getMonthValue());
    return period == PartitionPeriod.MONTH ? month : month + String.format(Locale.ROOT, "d%02d", start.getDayOfMonth());
  }

  /**
   * The first day of every partition covering {@code range} (whole periods, both ends included).
   *
   * @throws InvalidPartitionInputException when the range spans more than {@link #MAX_PARTITIONS_PER_REQUEST}
   */
  public List<LocalDate> partitionStarts(DateRange range) {
    long count = period.between(range.from(), range.to()) + 1;
    if (count > MAX_PARTITIONS_PER_REQUEST) {
      throw new InvalidPartitionInputException("range " + range + " spans " + count + " " + tableName
          + " partitions, more than " + MAX_PARTITIONS_PER_REQUEST + " at once");
    }
    List<LocalDate> starts = new ArrayList<>((int) count);
    for (LocalDate d = period.start(range.from()); !d.isAfter(range.to()); d = period.next(d)) {
      starts.add(d);
    }
    return starts;
  }

  /**
   * The table with this SQL name.
   *
   * @throws InvalidPartitionInputException naming the value and the tables there are
   */
  public static PartitionedTable of(String name) {
    if (name != null) {
      String wanted = name.trim();
      for (PartitionedTable t : values()) {
        if (t.tableName.equals(wanted)) {
          return t;
        }
      }
    }
    throw new InvalidPartitionInputException("unknown partitioned table '" + name + "': expected one of "
        + Arrays.stream(values()).map(PartitionedTable::tableName).collect(Collectors.joining(", ")));
  }
}
