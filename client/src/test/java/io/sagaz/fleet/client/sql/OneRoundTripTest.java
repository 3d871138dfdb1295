package io.sagaz.fleet.client.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sagaz.fleet.testkit.PostgresFixture;
import io.sagaz.fleet.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pipelined transaction the pollers claim and settle with, on one real connection. */
class OneRoundTripTest {
  private final Vertx vertx = Vertx.vertx();
  private Pool pool;

  @BeforeEach
  void connect() {
    TestDatabase db = PostgresFixture.shared().createDatabase();
    // one connection: every transaction below runs on the same session, so leftovers would show
    pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(1))
        .connectingTo(PgConnectOptions.fromUri(db.url())).using(vertx).build();
    pool.query("CREATE TABLE t (n int PRIMARY KEY)").execute().await();
  }

  @AfterEach
  void close() {
    pool.close().await();
    vertx.close().await();
  }

  @Test
  void commitsTheStatementsWithTheSettingsAppliedInsideTheTransactionOnly() {
    String seen = OneRoundTrip.transaction(pool, "SET LOCAL lock_timeout = '1234ms'", conn -> {
      Future<RowSet<Row>> insert = conn.query("INSERT INTO t VALUES (1), (2)").execute();
      Future<RowSet<Row>> setting = conn.query("SHOW lock_timeout").execute();
      return Future.all(insert, setting).map(v -> setting.result().iterator().next().getString(0));
    }).await();

    assertThat(seen).isEqualTo("1234ms");
    assertThat(count()).isEqualTo(2);
    assertThat(pool.query("SHOW lock_timeout").execute().await().iterator().next().getString(0))
        .as("SET LOCAL ended with the transaction").isEqualTo("0");
  }

  @Test
  void aFailingStatementRollsBackEverythingAndLeavesTheConnectionUsable() {
    assertThatThrownBy(() -> OneRoundTrip.transaction(pool, "SET LOCAL lock_timeout = '1s'", conn -> {
      Future<RowSet<Row>> insert = conn.preparedQuery("INSERT INTO t VALUES ($1)").execute(Tuple.of(7));
      Future<RowSet<Row>> failing = conn.preparedQuery("INSERT INTO t VALUES ($1)").execute(Tuple.of(7));
      return Future.all(insert, failing);
    }).await()).hasMessageContaining("duplicate key");

    assertThat(count()).as("the first insert rolled back with the second").isZero();
    OneRoundTrip.transaction(pool, "SET LOCAL lock_timeout = '1s'",
        conn -> conn.query("INSERT INTO t VALUES (8)").execute()).await();
    assertThat(count()).as("the same connection, out of the aborted transaction, commits again").isEqualTo(1);
  }

  private long count() {
    return pool.query("SELECT count(*) FROM t").execute().await().iterator().next().getLong(0);
  }
}
