package io.sagaz.fleet.maintenance;

import io.sagaz.fleet.core.config.MaintenanceConfig;
import io.sagaz.fleet.core.maintenance.MaintenanceSql;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import io.sagaz.fleet.core.partition.PartitionWindow;
import io.sagaz.fleet.core.partition.PartitionedTable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The maintenance work itself, as {@link FencedRunner.Work} to run under the lease, plus the
 * read-only partition statistics. All partition DDL happens in the schema's SQL functions.
 */
final class MaintenanceJobs {
  private final Pool pool;
  private final MaintenanceConfig config;

  MaintenanceJobs(Pool pool, MaintenanceConfig config) {
    this.pool = pool;
    this.config = config;
  }

  /**
   * The full run as short steps: create each partition missing ahead in its own step (ATTACH takes
   * only a weak lock on the table, writers go on; one partition at a time keeps each step's burst of
   * catalog work and index-file syncs short), then drop each partition past retention in its own
   * transaction (a DETACH locks the whole table, so each drop holds it for milliseconds, not for the
   * whole run), then {@code maintain_all_partitions} for what is left (statistics of active partitions,
   * DEFAULT rows of past periods, reports) and the inbox retention.
   */
  Future<List<FencedRunner.Work>> maintainAll(LocalDate today) {
    PartitionWindow window = PartitionWindow.of(config);
    List<FencedRunner.Work> steps = new ArrayList<>();
    return statistics().map(stats -> {
      List<JsonObject> partitions = stats.getJsonArray("partitions").stream().map(JsonObject.class::cast).toList();
      Set<String> existing = partitions.stream().map(p -> p.getString("partition")).collect(Collectors.toSet());
      for (PartitionedTable t : PartitionedTable.values()) {
        window.missingAhead(t, today, existing).forEach(start -> steps.add(create(t.tableName(), start, start)));
      }
      for (PartitionedTable t : PartitionedTable.values()) {
        LocalDate cutoff = window.retentionCutoff(t, today);
        partitions.stream()
            .filter(p -> t.tableName().equals(p.getString("table")) && !p.getBoolean("isDefault") && p.getString("to") != null)
            .map(p -> new Expired(p.getString("partition"), Instant.parse(p.getString("to")).atOffset(ZoneOffset.UTC).toLocalDate()))
            .filter(e -> !e.end().isAfter(cutoff))
            .sorted(Comparator.comparing(Expired::end))
            .forEach(e -> steps.add(dropOne(t.tableName(), e)));
      }
      steps.add(conn -> conn.preparedQuery(MaintenanceSql.MAINTAIN_ALL)
          .execute(Tuple.of(config.monthsAhead(), config.daysAhead(), config.executionsRetentionMonths(), config.outboxRetentionDays()))
          .map(MaintenanceJobs::actions)
          .compose(actions -> cleanupInbox(conn).map(actions::add)));
      return steps;
    });
  }

  private record Expired(String partition, LocalDate end) {}

  /** Drops one expired partition (the function drops everything ending by its end; older ones are gone or kept). */
  private FencedRunner.Work dropOne(String table, Expired e) {
    return conn -> conn.preparedQuery(MaintenanceSql.DROP_PARTITIONS_OLDER_THAN).execute(Tuple.of(table, e.end()))
        .map(MaintenanceJobs::actions);
  }

  /** Creates the partitions of {@code table} covering {@code from}..{@code to} (idempotent). */
  FencedRunner.Work create(String table, LocalDate from, LocalDate to) {
    return conn -> conn.preparedQuery(MaintenanceSql.CREATE_PARTITIONS).execute(Tuple.of(table, from, to))
        .map(MaintenanceJobs::actions);
  }

  /** Drops partitions wholly before {@code before} in each table; outbox partitions with unsent rows stay. */
  FencedRunner.Work dropOlderThan(List<String> tables, LocalDate before) {
    return conn -> {
      JsonArray all = new JsonArray();
      Future<Void> chain = Future.succeededFuture();
      for (String table : tables) {
        chain = chain.compose(v -> conn.preparedQuery(MaintenanceSql.DROP_PARTITIONS_OLDER_THAN)
            .execute(Tuple.of(table, before))
            .map(rows -> {
              actions(rows).forEach(all::add);
              return null;
            }));
      }
      return chain.map(v -> all);
    };
  }

  /** {@code {partitions: [...], defaults: [...]}} from get_partition_statistics(). */
  Future<JsonObject> statistics() {
    return pool.query(MaintenanceSql.PARTITION_STATISTICS).execute().map(rows -> {
      JsonArray partitions = new JsonArray();
      JsonArray defaults = new JsonArray();
      for (Row r : rows) {
        JsonObject p = new JsonObject()
            .put("table", r.getString("table_name"))
            .put("partition", r.getString("partition_name"))
            .put("from", instant(r.getOffsetDateTime("range_from")))
            .put("to", instant(r.getOffsetDateTime("range_to")))
            .put("isDefault", Boolean.TRUE.equals(r.getBoolean("is_default")))
            .put("estimatedRows", r.getLong("estimated_rows"))
            .put("rowCount", r.getLong("row_count"))
            .put("totalBytes", r.getLong("total_bytes"));
        partitions.add(p);
        if (p.getBoolean("isDefault")) {
          defaults.add(new JsonObject().put("table", p.getString("table")).put("partition", p.getString("partition"))
              .put("rowCount", p.getLong("rowCount") == null ? 0L : p.getLong("rowCount")));
        }
      }
      return new JsonObject().put("version", 1).put("partitions", partitions).put("defaults", defaults);
    });
  }

  private Future<JsonObject> cleanupInbox(SqlConnection conn) {
    return conn.preparedQuery(MaintenanceSql.CLEANUP_INBOX).execute(Tuple.of(config.inboxRetentionDays()))
        .map(rows -> new JsonObject().put("action", "cleanup").put("table", "consumer_inbox").putNull("partition")
            .put("detail", "deleted " + rows.iterator().next().getLong("deleted") + " rows older than "
                + config.inboxRetentionDays() + " days"));
  }

  private static JsonArray actions(RowSet<Row> rows) {
    JsonArray out = new JsonArray();
    for (Row r : rows) {
      out.add(new JsonObject()
          .put("action", r.getString("action"))
          .put("table", r.getString("table_name"))
          .put("partition", r.getString("partition_name"))
          .put("detail", r.getString("detail")));
    }
    return out;
  }

  private static String instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }
}
