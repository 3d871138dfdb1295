package io.sagaz.fleet.core.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagaz.fleet.core.partition.PartitionedTable;
import io.sagaz.fleet.testkit.PostgresFixture;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The migrations on the environment's PostgreSQL server and on the embedded PostgreSQL 17: every
 * migration applies, the initial partitions exist, and the seed runbook statements work verbatim.
 */
class MigrationSmokeTest {

  @Test
  void embeddedServerIsPostgres17() {
    assertThat(PostgresFixture.embedded().serverVersion()).isEqualTo(17);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.sagaz.fleet.core.schema.Servers#all")
  void everyMigrationApplies(PostgresFixture server) throws Exception {
    try (Db db = new Db(server.createMigratedDatabase())) {
      List<Map<String, Object>> history = db.rows("SELECT version, success FROM flyway_schema_history "
          + "WHERE version IS NOT NULL ORDER BY installed_rank");
      assertThat(history).extracting(r -> r.get("version")).startsWith("1", "2", "3");
      assertThat(history).allSatisfy(r -> assertThat(r.get("success")).isEqualTo(true));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.sagaz.fleet.core.schema.Servers#all")
  void initialPartitionsSpanThreeMonthsAndSevenDaysEachWay(PostgresFixture server) throws Exception {
    try (Db db = new Db(server.createMigratedDatabase())) {
      LocalDate today = db.today();
      for (PartitionedTable t : List.of(PartitionedTable.SAGA_EXECUTIONS, PartitionedTable.SAGA_AUDIT_LOG)) {
        List<String> expected = new ArrayList<>();
        for (int m = -3; m <= 3; m++) {
          expected.add(t.partitionName(today.plusMonths(m)));
        }
        expected.add(t.defaultPartitionName());
        assertThat(db.partitions(t.tableName())).containsExactlyInAnyOrderElementsOf(expected);
      }
      List<String> outbox = new ArrayList<>();
      for (int d = -7; d <= 7; d++) {
        outbox.add(PartitionedTable.SAGA_OUTBOX.partitionName(today.plusDays(d)));
      }
      outbox.add("saga_outbox_default");
      assertThat(db.partitions("saga_outbox")).containsExactlyInAnyOrderElementsOf(outbox);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.sagaz.fleet.core.schema.Servers#all")
  void seedRunbookStatementsWorkAsWritten(PostgresFixture server) throws Exception {
    try (Db db = new Db(server.createMigratedDatabase())) {
      db.exec("INSERT INTO saga_executions (saga_name, status) VALUES ('test-saga','SUCCESS')");
      assertThat(db.count("SELECT COUNT(*) FROM saga_executions WHERE saga_name = 'test-saga'")).isEqualTo(1);
      // The row landed in this month's partition, not in DEFAULT.
      assertThat(db.value("SELECT tableoid::regclass::text FROM saga_executions WHERE saga_name = 'test-saga'"))
          .isEqualTo(PartitionedTable.SAGA_EXECUTIONS.partitionName(db.today()));

      // A hand-written outbox row with only the five business columns is a valid pending event.
      db.exec("INSERT INTO saga_outbox (aggregate_type, aggregate_id, event_type, topic, payload) "
          + "VALUES ('order', 'o-1', 'OrderPlaced', 'orders', '{\"total\": 10}')");
      assertThat(db.count("SELECT COUNT(*) FROM saga_outbox WHERE status='pending'")).isEqualTo(1);

      List<Map<String, Object>> stats = db.rows("SELECT * FROM get_partition_statistics();");
      assertThat(stats).extracting(r -> r.get("partition_name"))
          .contains("saga_executions_default", "saga_audit_log_default", "saga_outbox_default");
      assertThat(db.rows("SELECT * FROM maintain_all_partitions();"))
          .extracting(r -> r.get("action")).isNotEmpty().allMatch(a -> a.equals("analyzed"));
      assertThat(db.value("SELECT create_saga_outbox_partition('2025-12-15'::DATE);")).isEqualTo("saga_outbox_y2025m12d15");
      assertThat(db.value("SELECT create_saga_executions_partition('2025-12-01'::DATE);")).isEqualTo("saga_executions_y2025m12");
      assertThat(db.value("SELECT cleanup_consumer_inbox(90);")).isEqualTo(0L);
      db.exec("SELECT maintain_partitions();");
    }
  }
}
