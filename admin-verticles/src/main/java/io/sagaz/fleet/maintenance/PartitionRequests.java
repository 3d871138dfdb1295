package io.sagaz.fleet.maintenance;

import io.sagaz.fleet.core.partition.DateRange;
import io.sagaz.fleet.core.partition.InvalidPartitionInputException;
import io.sagaz.fleet.core.partition.PartitionAge;
import io.sagaz.fleet.core.partition.PartitionedTable;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Validates the bodies of {@code PARTITIONS_CREATE} and {@code PARTITIONS_DROP} with the core partition
 * model; every refusal names the field that was wrong, before anything touches the database.
 */
final class PartitionRequests {
  private PartitionRequests() {}

  /** {@code {table, from, to}}: both ends included. */
  record Create(PartitionedTable table, DateRange range) {}

  /** {@code {table?, olderThan}}: no table means every partitioned table. */
  record Drop(List<PartitionedTable> tables, LocalDate before) {}

  static Create create(JsonObject body) {
    PartitionedTable table = field("table", () -> PartitionedTable.of(text(body, "table")));
    LocalDate from = date(body, "from");
    LocalDate to = date(body, "to");
    DateRange range = field("from", () -> new DateRange(from, to));
    field("to", () -> table.partitionStarts(range));
    return new Create(table, range);
  }

  static Drop drop(JsonObject body, LocalDate today) {
    String table = text(body, "table");
    List<PartitionedTable> tables = table == null || table.isBlank()
        ? Arrays.asList(PartitionedTable.values())
        : List.of(field("table", () -> PartitionedTable.of(table)));
    String olderThan = text(body, "olderThan");
    LocalDate before = field("olderThan", () -> olderThan != null && olderThan.matches("\\d{4}-\\d{2}-\\d{2}")
        ? parseDate("olderThan", olderThan)
        : PartitionAge.parse(olderThan).before(today));
    if (before.isAfter(today)) {
      throw MaintenanceFailure.invalid("olderThan: cut-off " + before + " is in the future (today is " + today + " UTC)");
    }
    return new Drop(tables, before);
  }

  private static <T> T field(String name, Supplier<T> parse) {
    try {
      return parse.get();
    } catch (InvalidPartitionInputException e) {
      throw MaintenanceFailure.invalid(name + ": " + e.getMessage());
    }
  }

  private static String text(JsonObject body, String name) {
    Object raw = body.getValue(name);
    if (raw != null && !(raw instanceof String)) {
      throw MaintenanceFailure.invalid(name + ": must be a string, was " + raw);
    }
    return (String) raw;
  }

  private static LocalDate date(JsonObject body, String name) {
    String raw = text(body, name);
    if (raw == null || raw.isBlank()) {
      throw MaintenanceFailure.invalid(name + ": is required, a date like 2025-01-31");
    }
    return parseDate(name, raw.trim());
  }

  private static LocalDate parseDate(String name, String raw) {
    try {
      return LocalDate.parse(raw);
    } catch (DateTimeParseException e) {
      throw new InvalidPartitionInputException(name + ": '" + raw + "' is not a date like 2025-01-31");
    }
  }
}
