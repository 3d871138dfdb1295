package io.sagaz.fleet.app.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagaz.fleet.testkit.PgBouncerFixture;
import io.sagaz.fleet.testkit.PostgresFixture;
import io.sagaz.fleet.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

/** {@code sagaz migrate} with {@code db.pgbouncer}: Flyway's migrations through PgBouncer in transaction mode. */
class PgBouncerMigrationTest {

  @Test
  void migrationsApplyThroughPgBouncerAndAgainFindNothingToDo() throws Exception {
    TestDatabase db = PostgresFixture.shared().createDatabase();
    try (PgBouncerFixture bouncer = PgBouncerFixture.transactionMode(db, 2)) {
      DbTarget target = DbTarget.parse(bouncer.url()).throughPgBouncer(true);
      assertThat(target.jdbcUrl()).endsWith("?prepareThreshold=0");

      assertThat(Migrations.apply(target)).as("PgBouncer log:%n%s", bouncer.log()).isPositive();
      assertThat(Migrations.apply(target)).isZero();
      try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery(
          "SELECT count(*) FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid WHERE c.relname = 'saga_outbox'")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(1);
      }
    } finally {
      PostgresFixture.shared().drop(db);
    }
  }
}
