package io.sagaz.fleet.core.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagaz.fleet.core.outbox.OutboxSql;
import io.sagaz.fleet.core.partition.PartitionedTable;
import io.sagaz.fleet.testkit.PostgresFixture;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The partition functions of migration V2 on a PostgreSQL 15 server and the embedded PostgreSQL 17:
 * naming, idempotence, moving rows out of DEFAULT, retention, the outbox's unsent-row guard, bad
 * input and lock timeouts.
 */
class PartitionFunctionsTest {
  private static final PartitionedTable EXECUTIONS = PartitionedTable.SAGA_EXECUTIONS;
  private static final PartitionedTable OUTBOX = PartitionedTable.SAGA_OUTBOX;

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.sagaz.fleet.core.schema.Servers#all")
  void partitionsGetTheSeedNamesAndUtcBounds(PostgresFixture server) throws Exception {
    try (Db db = new Db(server.createMigratedDatabase())) {
      // A session in another time zone must not shift the bounds.
      db.exec("SET TimeZone = 'America/New_York'");
      assertThat(db.value("SELECT create_saga_audit_log_partition('2025-03-17')")).isEqualTo("saga_audit_log_y2025m03");
      assertThat(db.value("SELECT create_saga_outbox_partition('2024-02-29')")).isEqualTo("saga_outbox_y2024m02d29");
      db.exec("SET TimeZone = 'UTC'");
      Map<String, Object> audit = stat(db, "saga_audit_log_y2025m03");
      assertThat(audit.get("range_from")).hasToString("2025-03-01 00:00:00+00");
      assertThat(audit.get("range_to")).hasToString("2025-04-01 00:00:00+00");
      Map<String, Object> outbox = stat(db, "saga_outbox_y2024m02d29");
      assertThat(outbox.get("range_from")).hasToString("2024-02-29 00:00:00+00");
      assertThat(outbox.get("range_to")).hasToString("2024-03-01 00:00:00+00");

      // 23:30 in New York on the 28th is the 29th in UTC.
      db.exec("INSERT INTO saga_outbox (aggregate_type, aggregate_id, event_type, topic, payload, created_at) "
          + "VALUES ('a', '1', 'e', 't', '{}', '2024-02-28 23:30:00-05')");
      assertThat(db.value("SELECT tableoid::regclass::text FROM saga_outbox WHERE aggregate_id = '1'"))
          .isEqualTo("saga_outbox_y2024m02d29");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.sagaz.fleet.core.schema.Servers#all")
  void creatingTwiceIsANoOpThatReturnsTheName(PostgresFixture server) throws Exception {
    try (Db db = new Db(server.createMigratedDatabase())) {
      assertThat(db.value("SELECT create_saga_executions_partition('2025-12-01'::DATE)")).isEqualTo("saga_executions_y2025m12");
      List<String> before = db.relations();
      assertThat(db.value("SELECT create_saga_executions_partition('2025-12-20'::DATE)")).isEqualTo("saga_executions_y2025m12");
      assertThat(db.relations()).isEqualTo(before);

      List<Map<String, Object>> first = db.rows("SELECT * FROM create_partitions('saga_outbox', '2025-06-01', '2025-06-03')");
      assertThat(first).extracting(r -> r.get("action") + " " + r.get("partition_name")).containsExactly(
          "created saga_outbox_y2025m06d01", "created saga_outbox_y2025m06d02", "created saga_outbox_y2025m06d03");
      List<Map<String, Object>> again = db.rows("SELECT * FROM create_partitions('saga_outbox', '2025-06-01', '2025-06-03')");
      assertThat(again).extracting(r -> r.get("action")).containsOnly("exists").hasSize(3);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.sagaz.fleet.core.schema.Servers#all")
  void theSeedCliRangeCreatesTwelveMonthlyPartitions(PostgresFixture server) throws Exception {
    try (Db db = new Db(server.createMigratedDatabase())) {
      List<Map<String, Object>> rows = db.rows("SELECT * FROM create_partitions('saga_executions', '2025-01-01', '2025-12-31')");
      List<String> expected = EXECUTIONS.partitionStarts(io.sagaz.fleet.core.partition.DateRange.parse("2025-01-01:2025-12-31"))
          .stream().map(EXECUTIONS::partitionName).collect(Collectors.toList());
      assertThat(rows).extracting(r -> r.get("partition_name")).containsExactlyElementsOf(expected);
      assertThat(rows).allSatisfy(r -> assertThat(r.get("table_name")).isEqualTo("saga_executions"));
      assertThat(rows.get(0).get("detail")).isEqualTo("[2025-01-01, 2025-02-01)");
      assertThat(db.partitions("saga_executions")).containsAll(expected);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.sagaz.fleet.core.schema.Servers#all")
  void rowsInDefaultMoveIntoTheNewPartition(PostgresFixture server) throws Exception {
    try (Db db = new Db(server.createMigratedDatabase())) {
      insertOutbox(db, LocalDate.of(2025, 12, 15), "pending", 3);
      insertOutbox(db, LocalDate.of(2025, 12, 16), "sent", 2);
      assertThat(db.count("SELECT count(*) FROM saga_outbox_default")).isEqualTo(5);

      assertThat(db.value("SELECT create_saga_outbox_partition('2025-12-15'::DATE);")).isEqualTo("saga_outbox_y2025m12d15");
      assertThat(db.count("SELECT count(*) FROM saga_outbox_y2025m12d15")).isEqualTo(3);
      assertThat(db.count("SELECT count(*) FROM saga_outbox_default")).isEqualTo(2);

      List<Map<String, Object>> rows = db.rows("SELECT * FROM create_partitions('saga_outbox', '2025-12-16', '2025-12-16')");
      assertThat(rows).extracting(r -> r.get("action") + " " + r.get("partition_name")).containsExactly(
          "created saga_outbox_y2025m12d16", "moved saga_outbox_y2025m12d16");
      assertThat(rows.get(1).get("detail")).isEqualTo("2 rows moved out of saga_outbox_default");
      assertThat(db.count("SELECT count(*) FROM saga_outbox_default")).isZero();
      assertThat(db.count("SELECT count(*) FROM saga_outbox")).isEqualTo(5);
      // The moved rows are reachable through the partition's indexes (ATTACH built them).
      assertThat(db.count("SELECT count(*) FROM saga_outbox_y2025m12d16 WHERE status = 'sent'")).isEqualTo(2);
      assertThat(db.count("SELECT count(*) FROM pg_indexes WHERE tablename = 'saga_outbox_y2025m12d16'")).isEqualTo(5);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.sagaz.fleet.core.schema.Servers#all")
  void maintenanceMovesDefaultRowsWithinRetentionAndReportsTheRest(PostgresFixture server) throws Exception {
    try (Db db = new Db(server.createMigratedDatabase())) {
      LocalDate today = db.today();
      LocalDate fiveMonthsAgo = today.minusMonths(5).withDayOfMonth(10);
      db.exec("INSERT INTO saga_executions (saga_name, status, created_at) VALUES "
          + "('recent', 'SUCCESS', '" + fiveMonthsAgo + " 12:00+00'), "
          + "('ancient', 'SUCCESS', '" + today.minusYears(3) + " 12:00+00')");

      List<Map<String, Object>> actions = db.rows("SELECT * FROM maintain_all_partitions()");
      String recentPartition = EXECUTIONS.partitionName(fiveMonthsAgo);
      assertThat(summary(actions, "saga_executions")).contains(
          "created " + recentPartition, "moved " + recentPartition, "analyzed " + recentPartition,
          "kept saga_executions_default");
      assertThat(db.value("SELECT tableoid::regclass::text FROM saga_executions WHERE saga_name = 'recent'"))
          .isEqualTo(recentPartition);
      // Rows outside the window are never deleted, only reported.
      assertThat(db.value("SELECT tableoid::regclass::text FROM saga_executions WHERE saga_name = 'ancient'"))
          .isEqualTo("saga_executions_default");
      assertThat(actions).filteredOn(r -> "kept".equals(r.get("action")))
          .extracting(r -> r.get("detail")).singleElement().asString().startsWith("1 rows outside the maintained window");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.sagaz.fleet.core.schema.Servers#all")
  void maintenanceCreatesAheadAndDropsWhatIsPastRetention(PostgresFixture server) throws Exception {
    try (Db db = new Db(server.createMigratedDatabase())) {
      LocalDate today = db.today();
      LocalDate month = today.withDayOfMonth(1);
      db.exec("SELECT * FROM create_partitions('saga_executions', '" + month.minusMonths(14) + "', '" + month.minusMonths(12) + "')");
      db.exec("SELECT * FROM create_partitions('saga_audit_log', '" + month.minusMonths(13) + "', '" + month.minusMonths(13) + "')");
      db.exec("SELECT * FROM create_partitions('saga_outbox', '" + today.minusDays(33) + "', '" + today.minusDays(30) + "')");
      db.exec("INSERT INTO saga_executions (saga_name, status, created_at) VALUES ('old', 'SUCCESS', '" + month.minusMonths(14) + " 01:00+00')");

      List<Map<String, Object>> actions = db.rows("SELECT * FROM maintain_all_partitions(4, 8)");
      assertThat(summary(actions, "saga_executions")).contains(
          "dropped " + EXECUTIONS.partitionName(month.minusMonths(14)),
          "dropped " + EXECUTIONS.partitionName(month.minusMonths(13)),
          "created " + EXECUTIONS.partitionName(month.plusMonths(4)));
      assertThat(summary(actions, "saga_audit_log")).contains(
          "dropped saga_audit_log" + EXECUTIONS.partitionName(month.minusMonths(13)).substring("saga_executions".length()),
          "created saga_audit_log" + EXECUTIONS.partitionName(month.plusMonths(4)).substring("saga_executions".length()));
      assertThat(summary(actions, "saga_outbox")).contains(
          "dropped " + OUTBOX.partitionName(today.minusDays(33)),
          "dropped " + OUTBOX.partitionName(today.minusDays(31)),
          "created " + OUTBOX.partitionName(today.plusDays(8)));
      // The boundary partitions stay: their ranges end after the cut-off.
      assertThat(db.partitions("saga_executions")).contains(EXECUTIONS.partitionName(month.minusMonths(12)))
          .doesNotContain(EXECUTIONS.partitionName(month.minusMonths(13)));
      assertThat(db.partitions("saga_outbox")).contains(OUTBOX.partitionName(today.minusDays(30)))
          .doesNotContain(OUTBOX.partitionName(today.minusDays(31)));
      assertThat(db.count("SELECT count(*) FROM saga_executions WHERE saga_name = 'old'")).isZero();

      // A second run has nothing left to create or drop, and nothing changed since the analyze.
      assertThat(db.rows("SELECT * FROM maintain_all_partitions(4, 8)")).isEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.sagaz.fleet.core.schema.Servers#all")
  void anOutboxPartitionWithUnsentRowsIsKeptUntilTheyAreSent(PostgresFixture server) throws Exception {
    try (Db db = new Db(server.createMigratedDatabase())) {
      LocalDate old = db.today().minusDays(40);
      String partition = OUTBOX.partitionName(old);
      db.exec("SELECT create_saga_outbox_partition('" + old + "')");
      insertOutbox(db, old, "pending", 1);
      insertOutbox(db, old, "claimed", 1);
      insertOutbox(db, old, "failed", 1);
      insertOutbox(db, old, "sent", 4);
      insertOutbox(db, old, "dead_letter", 1);

      String range = " in [" + old + ", " + old.plusDays(1) + ") (";
      List<Map<String, Object>> first = db.rows("SELECT * FROM maintain_all_partitions()");
      assertThat(first).filteredOn(r -> partition.equals(r.get("partition_name"))).singleElement().satisfies(r -> {
        assertThat(r.get("action")).isEqualTo("kept");
        assertThat(r.get("detail")).isEqualTo("4 unsent rows" + range + "3 pending, claimed or failed; 1 dead letters: replay or delete them); not dropped");
      });
      assertThat(db.count("SELECT count(*) FROM " + partition)).isEqualTo(8);
      assertThat(db.rows("SELECT * FROM drop_partitions_older_than('saga_outbox', '" + old.plusDays(1) + "')"))
          .extracting(r -> r.get("action") + " " + r.get("partition_name")).containsExactly("kept " + partition);

      db.exec("UPDATE saga_outbox SET status = 'sent' WHERE created_at < '" + old.plusDays(1) + "' AND status <> 'failed'");
      assertThat(db.rows("SELECT * FROM drop_partitions_older_than('saga_outbox', '" + old.plusDays(1) + "')"))
          .extracting(r -> r.get("action") + " " + r.get("detail")).containsExactly(
              "kept 1 unsent rows" + range + "1 pending, claimed or failed; 0 dead letters: replay or delete them); not dropped");

      // A dead letter is not delivered either: an operator may still replay it.
      db.exec("UPDATE saga_outbox SET status = 'dead_letter' WHERE status = 'failed'");
      assertThat(db.rows("SELECT * FROM drop_partitions_older_than('saga_outbox', '" + old.plusDays(1) + "')"))
          .extracting(r -> r.get("action") + " " + r.get("detail")).containsExactly(
              "kept 1 unsent rows" + range + "0 pending, claimed or failed; 1 dead letters: replay or delete them); not dropped");

      // Replayed, it moves into today's partition, pending; the old partition goes at the next run.
      String replayAll = OutboxSql.REPLAY_BY_FILTER.replace("$1", "NULL").replace("$2", "NULL").replace("$3", "NULL");
      assertThat(db.rows("WITH r AS (" + replayAll + ") SELECT event_id FROM r")).hasSize(1);
      assertThat(db.count("SELECT count(*) FROM saga_outbox WHERE status = 'pending' AND created_at >= '" + db.today() + "'")).isEqualTo(1);
      List<Map<String, Object>> last = db.rows("SELECT * FROM maintain_all_partitions()");
      assertThat(summary(last, "saga_outbox")).contains("dropped " + partition);
      assertThat(db.partitions("saga_outbox")).doesNotContain(partition);
      assertThat(db.count("SELECT count(*) FROM saga_outbox WHERE status = 'pending'")).isEqualTo(1);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.sagaz.fleet.core.schema.Servers#all")
  void theDefaultPartitionIsNeverDropped(PostgresFixture server) throws Exception {
    try (Db db = new Db(server.createMigratedDatabase())) {
      insertOutbox(db, db.today().minusYears(2), "sent", 2);
      db.rows("SELECT * FROM drop_partitions_older_than('saga_outbox', '" + db.today() + "')");
      db.rows("SELECT * FROM drop_partitions_older_than('saga_executions', '" + db.today() + "')");
      db.rows("SELECT * FROM maintain_all_partitions(0, 0, 1, 1)");
      assertThat(db.partitions("saga_outbox")).contains("saga_outbox_default");
      assertThat(db.partitions("saga_executions")).contains("saga_executions_default");
      assertThat(db.count("SELECT count(*) FROM saga_outbox_default")).isEqualTo(2);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.sagaz.fleet.core.schema.Servers#all")
  void badInputRaisesAClearErrorAndChangesNothing(PostgresFixture server) throws Exception {
    try (Db db = new Db(server.createMigratedDatabase())) {
      db.exec("CREATE TABLE saga_outbox_y2025m01d03 (x int)"); // a name clash on the third day
      List<String> before = db.relations();

      assertError(db, "SELECT * FROM create_partitions('saga_outboxx', '2025-01-01', '2025-01-02')", "22023", "'saga_outboxx'");
      assertError(db, "SELECT * FROM create_partitions('consumer_inbox', '2025-01-01', '2025-01-02')", "22023", "'consumer_inbox'");
      assertError(db, "SELECT * FROM create_partitions('saga_outbox', '2025-12-31', '2025-01-01')", "22023",
          "from 2025-12-31 is after to 2025-01-01");
      assertError(db, "SELECT * FROM create_partitions('saga_outbox', NULL, '2025-01-01')", "22023", "both ends");
      assertError(db, "SELECT * FROM create_partitions('saga_outbox', '2020-01-01', '2025-01-01')", "22023", "1828 partitions");
      assertError(db, "SELECT create_saga_outbox_partition(NULL)", "22023", "must not be NULL");
      assertError(db, "SELECT * FROM drop_partitions_older_than('nope; DROP TABLE saga_outbox', '2025-01-01')", "22023",
          "'nope; DROP TABLE saga_outbox'");
      assertError(db, "SELECT * FROM drop_partitions_older_than('saga_outbox', '2999-01-01')", "22023", "is in the future");
      assertError(db, "SELECT * FROM maintain_all_partitions(-1)", "22023", "p_months_ahead must be between 0 and 120, was -1");
      assertError(db, "SELECT * FROM maintain_all_partitions(3, 7, 0)", "22023", "p_executions_retention_months");
      assertError(db, "SELECT cleanup_consumer_inbox(0)", "22023", "days must be a positive number of days, was 0");
      assertError(db, "SELECT cleanup_consumer_inbox(NULL)", "22023", "was NULL");
      // Fails on its third partition: the two created before it are rolled back with it.
      assertError(db, "SELECT * FROM create_partitions('saga_outbox', '2025-01-01', '2025-01-05')", "42P07", "saga_outbox_y2025m01d03");

      assertThat(db.relations()).isEqualTo(before);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.sagaz.fleet.core.schema.Servers#all")
  void cleanupConsumerInboxDeletesOnlyEntriesOlderThanTheAge(PostgresFixture server) throws Exception {
    try (Db db = new Db(server.createMigratedDatabase())) {
      db.exec("INSERT INTO consumer_inbox (consumer_name, event_id, processed_at) "
          + "SELECT 'c' || g, gen_random_uuid(), now() - interval '100 days' FROM generate_series(1, 3) g");
      db.exec("INSERT INTO consumer_inbox (consumer_name, event_id, processed_at) "
          + "SELECT 'c' || g, gen_random_uuid(), now() - interval '89 days' FROM generate_series(1, 2) g");
      assertThat(db.value("SELECT cleanup_consumer_inbox(90);")).isEqualTo(3L);
      assertThat(db.count("SELECT count(*) FROM consumer_inbox")).isEqualTo(2);
      assertThat(db.value("SELECT cleanup_consumer_inbox(90);")).isEqualTo(0L);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.sagaz.fleet.core.schema.Servers#all")
  void maintenanceAnalyzesRecentPartitionsWhole(PostgresFixture server) throws Exception {
    try (Db db = new Db(server.createMigratedDatabase())) {
      LocalDate today = db.today();
      String current = OUTBOX.partitionName(today);
      insertOutbox(db, today, "pending", 40);

      List<Map<String, Object>> actions = db.rows("SELECT * FROM maintain_all_partitions()");

      assertThat(actions).filteredOn(r -> "analyzed".equals(r.get("action")) && current.equals(r.get("partition_name")))
          .singleElement().satisfies(r -> assertThat(r.get("detail")).isEqualTo("about 40 rows"));
      assertThat(db.value("SELECT reltuples::bigint FROM pg_class WHERE relname = '" + current + "'")).isEqualTo(40L);
      // Every column, as autovacuum would: then autovacuum's count of changed rows starts over too.
      List<Map<String, Object>> analyzed = db.rows("SELECT attname FROM pg_stats WHERE tablename = '" + current + "'");
      assertThat(analyzed).extracting(r -> r.get("attname")).contains("next_attempt_at", "created_at", "payload", "headers");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.sagaz.fleet.core.schema.Servers#all")
  void statisticsCountDefaultRowsExactlyAndEstimateTheOthers(PostgresFixture server) throws Exception {
    try (Db db = new Db(server.createMigratedDatabase())) {
      LocalDate today = db.today();
      insertOutbox(db, today, "pending", 50);
      insertOutbox(db, today.plusYears(3), "pending", 4);
      db.exec("ANALYZE " + OUTBOX.partitionName(today));

      List<Map<String, Object>> stats = db.rows("SELECT * FROM get_partition_statistics();");
      assertThat(stats).extracting(r -> r.get("table_name")).containsOnly("saga_executions", "saga_audit_log", "saga_outbox");
      assertThat(stats).hasSize(7 + 1 + 7 + 1 + 15 + 1);
      Map<String, Object> def = stat(db, "saga_outbox_default");
      assertThat(def.get("is_default")).isEqualTo(true);
      assertThat(def.get("row_count")).isEqualTo(4L);
      assertThat(def.get("range_from")).isNull();
      Map<String, Object> current = stat(db, OUTBOX.partitionName(today));
      assertThat(current.get("is_default")).isEqualTo(false);
      assertThat(current.get("row_count")).isNull();
      assertThat(current.get("estimated_rows")).isEqualTo(50L);
      assertThat((Long) current.get("total_bytes")).isPositive();
      // Never analyzed: reltuples is -1, reported as 0.
      assertThat(stat(db, OUTBOX.partitionName(today.plusDays(7))).get("estimated_rows")).isEqualTo(0L);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.sagaz.fleet.core.schema.Servers#all")
  void stepsThatCannotGetTheirLockAreSkippedInsteadOfQueueing(PostgresFixture server) throws Exception {
    var database = server.createMigratedDatabase();
    try (Db db = new Db(database); Db reader = new Db(database); Db vacuum = new Db(database)) {
      LocalDate today = db.today();
      String old = OUTBOX.partitionName(today.minusDays(35));
      String ahead = OUTBOX.partitionName(today.plusDays(8));
      db.exec("SELECT create_saga_outbox_partition('" + today.minusDays(35) + "')");
      insertOutbox(db, today, "pending", 1);
      // A long reader of the outbox (ACCESS SHARE on every partition, DEFAULT included): the drop needs
      // ACCESS EXCLUSIVE on saga_outbox, the attach of a new partition ACCESS EXCLUSIVE on DEFAULT.
      reader.connection().setAutoCommit(false);
      reader.rows("SELECT count(*) FROM saga_outbox");
      // Something holding today's partition the way autovacuum does.
      vacuum.connection().setAutoCommit(false);
      vacuum.exec("LOCK TABLE " + OUTBOX.partitionName(today) + " IN SHARE UPDATE EXCLUSIVE MODE");

      db.connection().setAutoCommit(false);
      db.exec("SET LOCAL lock_timeout = '200ms'");
      long started = System.nanoTime();
      List<Map<String, Object>> actions = db.rows("SELECT * FROM maintain_all_partitions(3, 8)");
      long millis = (System.nanoTime() - started) / 1_000_000;
      db.connection().commit();
      reader.connection().rollback();
      vacuum.connection().rollback();

      assertThat(actions).filteredOn(r -> "skipped".equals(r.get("action")))
          .extracting(r -> r.get("partition_name") + ": " + r.get("detail"))
          .anySatisfy(d -> assertThat(d).startsWith("null: drop: ").contains("lock timeout"))
          .anySatisfy(d -> assertThat(d).startsWith(ahead + ": create: ").contains("lock timeout"))
          .anySatisfy(d -> assertThat(d).startsWith(OUTBOX.partitionName(today) + ": analyze: busy"));
      assertThat(millis).isLessThan(5_000);
      // Nothing half-done is left behind: the old partition is still there, the new one not even as a table.
      assertThat(db.partitions("saga_outbox")).contains(old).doesNotContain(ahead);
      assertThat(db.relations()).doesNotContain(ahead);
      db.connection().commit();

      // Once the locks are gone the next run does the work.
      List<Map<String, Object>> retry = db.rows("SELECT * FROM maintain_all_partitions(3, 8)");
      db.connection().commit();
      assertThat(summary(retry, "saga_outbox")).contains("dropped " + old, "created " + ahead,
          "analyzed " + OUTBOX.partitionName(today));

      // Without a caller setting, the functions bound their own lock waits to 100ms.
      db.exec("SELECT create_saga_outbox_partition('2025-01-01')");
      assertThat(db.value("SHOW lock_timeout")).isEqualTo("100ms");
      db.connection().commit();
      db.connection().setAutoCommit(true);
      assertThat(db.value("SHOW lock_timeout")).isEqualTo("0");
    }
  }

  private static void insertOutbox(Db db, LocalDate day, String status, int n) throws SQLException {
    db.exec("INSERT INTO saga_outbox (aggregate_type, aggregate_id, event_type, topic, payload, status, created_at) "
        + "SELECT 'order', 'o-' || g, 'OrderPlaced', 'orders', '{}', '" + status + "', '"
        + OffsetDateTime.of(day.atTime(6, 0), ZoneOffset.UTC) + "'::timestamptz + g * interval '1 second' "
        + "FROM generate_series(1, " + n + ") g");
  }

  private static Map<String, Object> stat(Db db, String partition) throws SQLException {
    return db.rows("SELECT table_name, partition_name, range_from::text AS range_from, range_to::text AS range_to, "
            + "is_default, estimated_rows, row_count, total_bytes FROM get_partition_statistics() "
            + "WHERE partition_name = '" + partition + "'")
        .stream().findFirst().orElseThrow(() -> new AssertionError("no statistics for " + partition));
  }

  private static List<String> summary(List<Map<String, Object>> actions, String table) {
    return actions.stream().filter(r -> table.equals(r.get("table_name")))
        .map(r -> r.get("action") + " " + r.get("partition_name")).collect(Collectors.toList());
  }

  private static void assertError(Db db, String sql, String sqlState, String messagePart) {
    SQLException e = db.failure(sql);
    assertThat(e.getSQLState()).as(sql).isEqualTo(sqlState);
    assertThat(e.getMessage()).as(sql).contains(messagePart);
  }
}
