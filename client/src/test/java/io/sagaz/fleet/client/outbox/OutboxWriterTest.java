package io.sagaz.fleet.client.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sagaz.fleet.client.Addresses;
import io.sagaz.fleet.client.sql.SqlStatement;
import io.sagaz.fleet.core.outbox.OutboxValidationException;
import io.sagaz.fleet.testkit.PostgresFixture;
import io.sagaz.fleet.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OutboxWriterTest {
  private TestDatabase db;
  private Vertx vertx;
  private Pool pool;

  @BeforeEach
  void setUp() {
    db = PostgresFixture.shared().createMigratedDatabase();
    vertx = Vertx.vertx();
    pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(db.url())).using(vertx).build();
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  private long rows(String where) throws Exception {
    try (var c = db.connect(); ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM saga_outbox WHERE " + where)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void writesEventsAsPendingRowsWithJsonPayloadAndHeaders() throws Exception {
    OutboxWriter writer = new OutboxWriter(vertx);
    OutboxEvent e = OutboxEvent.of("orders", "OrderCreated", "order", "o-1", new JsonObject().put("total", 12.5))
        .withHeaders(new JsonObject().put("tenant", "acme"));
    List<java.util.UUID> ids = pool.withTransaction(conn -> writer.write(conn, List.of(e, Events.other()))).await();
    assertThat(ids).hasSize(2).first().isEqualTo(e.eventId());
    Row row = pool.query("SELECT status, payload->>'total' AS total, headers->>'tenant' AS tenant, attempts FROM saga_outbox "
        + "WHERE event_id = '" + e.eventId() + "'").execute().await().iterator().next();
    assertThat(row.getString("status")).isEqualTo("pending");
    assertThat(row.getString("total")).isEqualTo("12.5");
    assertThat(row.getString("tenant")).isEqualTo("acme");
    assertThat(row.getInteger("attempts")).isZero();
    assertThat(rows("true")).isEqualTo(2);
  }

  @Test
  void aMalformedEventIsRefusedNamingTheFieldAndTheTransactionDecides() throws Exception {
    OutboxWriter writer = new OutboxWriter(vertx, 64);
    OutboxEvent good = Events.other();
    OutboxEvent badTopic = OutboxEvent.of("has space", "T", "order", "1", new JsonObject());
    OutboxEvent tooBig = OutboxEvent.of("t", "T", "order", "1", new JsonObject().put("blob", "x".repeat(100)));

    assertThatThrownBy(() -> pool.withTransaction(conn -> writer.write(conn, List.of(good, badTopic))).await())
        .isInstanceOf(OutboxValidationException.class)
        .hasMessageStartingWith("events[1].topic: 'has space' may only contain");
    assertThatThrownBy(() -> pool.withTransaction(conn -> writer.write(conn, tooBig)).await())
        .hasMessageMatching("payload: is \\d+ bytes, the limit \\(outbox.maxPayloadBytes\\) is 64");
    assertThat(rows("true")).as("nothing written, not even the good event of the refused batch").isZero();

    // The caller's transaction decides: here it carries on without the bad event and commits.
    pool.withTransaction(conn -> writer.write(conn, badTopic)
        .recover(err -> writer.write(conn, good))).await();
    assertThat(rows("event_id = '" + good.eventId() + "'")).isEqualTo(1);
  }

  @Test
  void theWakeUpHintGoesOutAfterCommitAndNotAfterRollback() {
    OutboxWriter writer = new OutboxWriter(vertx);
    AtomicInteger hints = hintCounter();

    pool.withTransaction(conn -> writer.write(conn, Events.other()).compose(id -> Future.failedFuture("rollback")))
        .otherwiseEmpty().await();
    pool.query("SELECT pg_sleep(0.2)").execute().await();
    assertThat(hints.get()).as("no hint for a rolled-back write").isZero();

    pool.withTransaction(conn -> writer.write(conn, Events.other())).await();
    awaitHints(hints, 1);
  }

  @Test
  void commitRunsTheStatementsAndWritesTheEventsInOneTransactionThenHints() throws Exception {
    OutboxWriter writer = new OutboxWriter(vertx);
    AtomicInteger hints = hintCounter();
    pool.query("CREATE TABLE orders (id text PRIMARY KEY, total numeric NOT NULL)").execute().await();
    OutboxEvent created = OutboxEvent.of("orders", "OrderCreated", "order", "o-9", new JsonObject().put("total", 3));
    OutboxEvent other = Events.other();

    List<UUID> ids = writer.commit(pool,
        List.of(SqlStatement.of("INSERT INTO orders VALUES ($1, $2)", "o-9", 3),
            SqlStatement.of("UPDATE orders SET total = total + $2 WHERE id = $1", "o-9", 4)),
        List.of(created, other)).await();

    assertThat(ids).containsExactly(created.eventId(), other.eventId());
    assertThat(pool.query("SELECT total FROM orders WHERE id = 'o-9'").execute().await().iterator().next()
        .getInteger(0)).as("both statements ran, in order").isEqualTo(7);
    assertThat(rows("status = 'pending'")).isEqualTo(2);
    awaitHints(hints, 1);
  }

  @Test
  void commitWhoseStatementFailsCommitsNothingAndWakesNobody() throws Exception {
    OutboxWriter writer = new OutboxWriter(vertx);
    AtomicInteger hints = hintCounter();
    pool.query("CREATE TABLE orders (id text PRIMARY KEY)").execute().await();
    pool.query("INSERT INTO orders VALUES ('taken')").execute().await();

    // The failing statement comes after a good one and before the events: all of it rolls back.
    assertThatThrownBy(() -> writer.commit(pool,
        List.of(SqlStatement.of("INSERT INTO orders VALUES ($1)", "new"), SqlStatement.of("INSERT INTO orders VALUES ($1)", "taken")),
        List.of(Events.other())).await()).hasMessageContaining("duplicate key");

    assertThat(rows("true")).as("no event").isZero();
    assertThat(pool.query("SELECT count(*) FROM orders").execute().await().iterator().next().getLong(0))
        .as("the good statement rolled back with the bad one").isEqualTo(1);
    pool.query("SELECT pg_sleep(0.2)").execute().await();
    assertThat(hints.get()).as("no hint for a rolled-back commit").isZero();
    // every connection of the pool is out of the aborted transaction
    for (int i = 0; i < 8; i++) {
      writer.commit(pool, SqlStatement.of("INSERT INTO orders VALUES ($1)", "next-" + i), Events.other()).await();
    }
    assertThat(rows("true")).isEqualTo(8);
  }

  @Test
  void commitRefusesBadInputNamingItAndSendsNothing() throws Exception {
    OutboxWriter writer = new OutboxWriter(vertx);
    pool.query("CREATE TABLE orders (id text PRIMARY KEY)").execute().await();
    SqlStatement insert = SqlStatement.of("INSERT INTO orders VALUES ($1)", "o-1");

    assertThatThrownBy(() -> writer.commit(pool, List.of(insert),
        List.of(OutboxEvent.of("orders", " ", "order", "o-1", new JsonObject()))).await())
        .isInstanceOf(OutboxValidationException.class).hasMessageStartingWith("eventType:");
    assertThatThrownBy(() -> writer.commit(pool, java.util.Arrays.asList(insert, null), List.of(Events.other())).await())
        .isInstanceOf(OutboxValidationException.class).hasMessageStartingWith("statements[1]: must not be null");
    assertThatThrownBy(() -> writer.commit(pool, null, List.of(Events.other())).await())
        .hasMessageStartingWith("statements: must not be null");
    assertThatThrownBy(() -> SqlStatement.of(" ", 1)).hasMessage("sql must not be empty");

    assertThat(rows("true")).isZero();
    assertThat(pool.query("SELECT count(*) FROM orders").execute().await().iterator().next().getLong(0))
        .as("the valid statement of a refused commit was not sent").isZero();
  }

  /** Counts the wake-up hints published from now on. */
  private AtomicInteger hintCounter() {
    AtomicInteger hints = new AtomicInteger();
    vertx.eventBus().consumer(Addresses.OUTBOX_WAKEUP, m -> hints.incrementAndGet()).completion().await();
    return hints;
  }

  private static void awaitHints(AtomicInteger hints, int n) {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (hints.get() < n && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(hints.get()).isEqualTo(n);
  }

  /** Small event factory. */
  static final class Events {
    static OutboxEvent other() {
      return OutboxEvent.of("orders", "OrderShipped", "order", "o-2", new JsonObject().put("ok", true));
    }
  }
}
