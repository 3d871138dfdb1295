package io.sagaz.fleet.core.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagaz.fleet.core.partition.PartitionedTable;
import io.sagaz.fleet.testkit.PostgresFixture;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Statistics are autovacuum's job (migration V42): maintenance analyzes a recent partition that was
 * never analyzed, or one that autovacuum does not analyze (off on the server or on the partition) and
 * whose statistics are stale by autovacuum's rule: more rows changed since the last whole ANALYZE than
 * {@code autovacuum_analyze_threshold + autovacuum_analyze_scale_factor * reltuples}, the partition's
 * own settings first. Runs on a server with autovacuum off (the local PostgreSQL 15 service here) and
 * on the embedded PostgreSQL 17, where it is on.
 */
class StaleStatisticsTest {
  private static final PartitionedTable OUTBOX = PartitionedTable.SAGA_OUTBOX;

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.sagaz.fleet.core.schema.Servers#all")
  void onlyPartitionsChangedPastTheAutovacuumThresholdAreAnalyzed(PostgresFixture server) throws Exception {
    try (Db db = new Db(server.createMigratedDatabase())) {
      LocalDate today = db.today();
      String current = OUTBOX.partitionName(today);
      db.exec("ALTER TABLE " + current + " SET (autovacuum_enabled = false)");
      insert(db, today, 1_000, 1_000);
      assertThat(analyzedBy(db, current)).as("never analyzed").isTrue();
      assertThat(db.value("SELECT reltuples::bigint FROM pg_class WHERE relname = '" + current + "'")).isEqualTo(1_000L);

      // The server's defaults: 50 rows + 10% of 1,000 = 150 changed rows before the statistics are stale.
      insert(db, today, 140, 140);
      assertThat(analyzedBy(db, current)).as("140 of 1,000 rows changed").isFalse();
      insert(db, today, 20, 160);
      assertThat(analyzedBy(db, current)).as("160 of 1,000 rows changed").isTrue();

      // The partition's own thresholds win over the server's.
      db.exec("ALTER TABLE " + current + " SET (autovacuum_analyze_threshold = 0, autovacuum_analyze_scale_factor = 0)");
      insert(db, today, 1, 1);
      assertThat(analyzedBy(db, current)).as("1 row changed, threshold 0").isTrue();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.sagaz.fleet.core.schema.Servers#all")
  void whereAutovacuumAnalyzesAStalePartitionMaintenanceLeavesItAlone(PostgresFixture server) throws Exception {
    try (Db db = new Db(server.createMigratedDatabase())) {
      LocalDate today = db.today();
      String current = OUTBOX.partitionName(today);
      boolean autovacuum = "on".equals(db.value("SHOW autovacuum"));
      assertThat(db.value("SELECT sagaz_autovacuum_analyzes('" + current + "')")).isEqualTo(autovacuum);
      db.exec("ALTER TABLE " + current + " SET (autovacuum_analyze_threshold = 0, autovacuum_analyze_scale_factor = 0)");
      db.exec("ANALYZE " + current);
      long analyzedBefore = autoanalyzeCount(db, current);
      insert(db, today, 10, 10, () -> autoanalyzeCount(db, current) > analyzedBefore);

      assertThat(analyzedBy(db, current)).as("stale, autovacuum %s on the server", autovacuum ? "on" : "off").isEqualTo(!autovacuum);

      db.exec("ALTER TABLE " + current + " SET (autovacuum_enabled = false)");
      assertThat(db.value("SELECT sagaz_autovacuum_analyzes('" + current + "')")).isEqualTo(false);
    }
  }

  private static long autoanalyzeCount(Db db, String partition) throws SQLException {
    return (Long) db.value("SELECT autoanalyze_count FROM pg_stat_user_tables WHERE relname = '" + partition + "'");
  }

  /** Whether a maintenance run analyzed {@code partition}. */
  private static boolean analyzedBy(Db db, String partition) throws SQLException {
    List<Map<String, Object>> actions = db.rows("SELECT * FROM maintain_all_partitions()");
    return actions.stream().anyMatch(r -> "analyzed".equals(r.get("action")) && partition.equals(r.get("partition_name")));
  }

  /**
   * Inserts {@code n} outbox rows on {@code day} and waits until the statistics system counts
   * {@code changedSinceAnalyze} rows changed since the partition's last ANALYZE (a backend reports its
   * counters when it goes idle, up to a second later).
   */
  private static void insert(Db db, LocalDate day, int n, long changedSinceAnalyze) throws Exception {
    insert(db, day, n, changedSinceAnalyze, () -> false);
  }

  /** As above, or until {@code autovacuumAnalyzed} says autovacuum analyzed the partition meanwhile. */
  private static void insert(Db db, LocalDate day, int n, long changedSinceAnalyze, Check autovacuumAnalyzed) throws Exception {
    db.exec("INSERT INTO saga_outbox (aggregate_type, aggregate_id, event_type, topic, payload, created_at) "
        + "SELECT 'order', 'o-' || g, 'OrderPlaced', 'orders', '{}', '" + day + " 06:00+00'::timestamptz + g * interval '1 second' "
        + "FROM generate_series(1, " + n + ") g");
    String partition = OUTBOX.partitionName(day);
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      long counted = (Long) db.value("SELECT pg_stat_get_mod_since_analyze('" + partition + "'::regclass)");
      if (counted == changedSinceAnalyze || autovacuumAnalyzed.holds()) {
        return;
      }
      assertThat(System.nanoTime()).as("rows counted by the statistics system: %d, expected %d", counted, changedSinceAnalyze)
          .isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private interface Check {
    boolean holds() throws SQLException;
  }
}
