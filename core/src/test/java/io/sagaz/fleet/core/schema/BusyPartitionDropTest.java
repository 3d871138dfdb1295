package io.sagaz.fleet.core.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagaz.fleet.core.partition.PartitionedTable;
import io.sagaz.fleet.testkit.PostgresFixture;
import io.sagaz.fleet.testkit.TestDatabase;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A partition past retention that something is working on (autovacuum holds SHARE UPDATE EXCLUSIVE
 * while it vacuums or analyzes) is skipped at once, before the table is locked, so writers never wait
 * behind a drop that waits for autovacuum (migration V43); the other expired partitions are dropped.
 */
class BusyPartitionDropTest {
  private static final PartitionedTable EXECUTIONS = PartitionedTable.SAGA_EXECUTIONS;

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.sagaz.fleet.core.schema.Servers#all")
  void aPartitionAutovacuumHoldsIsSkippedWithoutLockingTheTable(PostgresFixture server) throws Exception {
    TestDatabase database = server.createMigratedDatabase();
    try (Db db = new Db(database); Db vacuum = new Db(database)) {
      LocalDate month = db.today().withDayOfMonth(1);
      String busy = EXECUTIONS.partitionName(month.minusMonths(15));
      String idle = EXECUTIONS.partitionName(month.minusMonths(14));
      db.exec("SELECT * FROM create_partitions('saga_executions', '" + month.minusMonths(15) + "', '" + month.minusMonths(14) + "')");
      // What autovacuum holds while it vacuums or analyzes a partition.
      vacuum.connection().setAutoCommit(false);
      vacuum.exec("LOCK TABLE " + busy + " IN SHARE UPDATE EXCLUSIVE MODE");

      db.exec("SET lock_timeout = '5s'");
      long started = System.nanoTime();
      List<Map<String, Object>> actions = db.rows(
          "SELECT * FROM drop_partitions_older_than('saga_executions', '" + month.minusMonths(13) + "')");
      long tookMillis = (System.nanoTime() - started) / 1_000_000;

      assertThat(actions).extracting(r -> r.get("action") + " " + r.get("partition_name"))
          .containsExactly("skipped " + busy, "dropped " + idle);
      assertThat((String) actions.get(0).get("detail")).contains("busy").contains("next run");
      assertThat(tookMillis).as("the busy partition is not waited for (lock_timeout is 5 s)").isLessThan(2_000);

      vacuum.connection().commit();
      assertThat(db.rows("SELECT * FROM drop_partitions_older_than('saga_executions', '" + month.minusMonths(13) + "')"))
          .extracting(r -> r.get("action") + " " + r.get("partition_name")).containsExactly("dropped " + busy);
      assertThat(db.partitions("saga_executions")).doesNotContain(busy, idle);
    }
  }
}
