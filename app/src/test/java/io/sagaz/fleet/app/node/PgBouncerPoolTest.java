package io.sagaz.fleet.app.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sagaz.fleet.core.config.DbConfig;
import io.sagaz.fleet.testkit.PgBouncerFixture;
import io.sagaz.fleet.testkit.PostgresFixture;
import io.sagaz.fleet.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The node's pool through a real PgBouncer in transaction mode (as pgbouncer-rw): the kinds of
 * statements the fleet runs (prepared queries, batches, transactions), many at once, over fewer
 * server connections than client connections, so PgBouncer really moves clients between servers.
 */
class PgBouncerPoolTest {
  private static final int JOBS = 40;

  private TestDatabase db;
  private PgBouncerFixture bouncer;
  private Vertx vertx;

  @BeforeEach
  void start() {
    db = PostgresFixture.shared().createMigratedDatabase();
    bouncer = PgBouncerFixture.transactionMode(db, 2);
    vertx = NodeRuntime.vertx(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), "127.0.0.1").build();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
    bouncer.close();
    PostgresFixture.shared().drop(db);
  }

  @Test
  void withDbPgbouncerEveryStatementKindSucceeds() {
    Pool pool = NodeRuntime.pool(vertx, config(true), bouncer.url());
    Queue<Throwable> failures = run(pool);

    assertThat(failures).as("failures through PgBouncer; its log:%n%s", bouncer.log()).isEmpty();
    long rows = pool.preparedQuery("SELECT count(*) FROM saga_outbox WHERE topic = $1").execute(Tuple.of("pgb"))
        .map(r -> r.iterator().next().getLong(0)).await();
    assertThat(rows).isEqualTo(JOBS * 3L);
    long sent = pool.query("SELECT count(*) FROM saga_outbox WHERE status = 'sent'").execute()
        .map(r -> r.iterator().next().getLong(0)).await();
    assertThat(sent).isEqualTo(JOBS);
  }

  @Test
  void withoutDbPgbouncerPreparedStatementsBreak() {
    Pool pool = NodeRuntime.pool(vertx, config(false), bouncer.url());
    Queue<Throwable> failures = run(pool);

    assertThat(failures).isNotEmpty();
    assertThat(failures).anySatisfy(e -> assertThat(e.getMessage()).contains("prepared statement"));
  }

  private DbConfig config(boolean pgbouncer) {
    return new DbConfig(Optional.of(bouncer.url()), Optional.empty(), 8, 0, pgbouncer, Optional.empty());
  }

  /** JOBS jobs at once, each a prepared query, a batch insert and a transaction; returns their failures. */
  private static Queue<Throwable> run(Pool pool) {
    Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
    List<Future<?>> jobs = new ArrayList<>();
    for (int i = 0; i < JOBS; i++) {
      jobs.add(job(pool, i).onFailure(failures::add).otherwiseEmpty());
    }
    Future.join(jobs).otherwiseEmpty().await();
    return failures;
  }

  private static Future<?> job(Pool pool, int i) {
    String aggregate = "agg-" + i;
    return pool.preparedQuery("SELECT $1::int + 1").execute(Tuple.of(i))
        .map(rows -> check(rows.iterator().next().getInteger(0) == i + 1, "wrong sum for " + i))
        .compose(v -> pool.preparedQuery("""
            INSERT INTO saga_outbox (aggregate_type, aggregate_id, event_type, topic, payload)
            VALUES ($1, $2, $3, 'pgb', $4::jsonb)""").executeBatch(List.of(
                Tuple.of("order", aggregate, "created", "{\"n\":1}"),
                Tuple.of("order", aggregate, "paid", "{\"n\":2}"),
                Tuple.of("order", aggregate, "shipped", "{\"n\":3}"))))
        .compose(v -> pool.withTransaction(tx -> tx
            .preparedQuery("UPDATE saga_outbox SET status = 'sent', sent_at = now() WHERE aggregate_id = $1 AND event_type = $2")
            .execute(Tuple.of(aggregate, "created"))
            .compose(updated -> tx.preparedQuery("SELECT count(*) FROM saga_outbox WHERE aggregate_id = $1 AND status = 'sent'")
                .execute(Tuple.of(aggregate)))
            .map(rows -> check(rows.iterator().next().getLong(0) == 1, "transaction of " + aggregate + " saw no update"))));
  }

  private static Void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalStateException(message);
    }
    return null;
  }
}
