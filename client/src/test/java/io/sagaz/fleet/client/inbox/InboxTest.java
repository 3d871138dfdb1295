package io.sagaz.fleet.client.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sagaz.fleet.testkit.PostgresFixture;
import io.sagaz.fleet.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InboxTest {
  private Vertx vertx;
  private Pool pool;
  private Inbox inbox;

  @BeforeEach
  void setUp() {
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    vertx = Vertx.vertx();
    pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(db.url())).with(new PoolOptions().setMaxSize(8)).using(vertx).build();
    pool.query("CREATE TABLE balances (account text PRIMARY KEY, amount int NOT NULL)").execute().await();
    pool.query("INSERT INTO balances VALUES ('a', 0)").execute().await();
    inbox = new Inbox(pool);
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  private Function<SqlConnection, Future<JsonObject>> credit(AtomicInteger runs, int amount) {
    return conn -> {
      runs.incrementAndGet();
      return conn.query("UPDATE balances SET amount = amount + " + amount + " WHERE account = 'a' RETURNING amount").execute()
          .map(rows -> new JsonObject().put("balance", rows.iterator().next().getInteger("amount")));
    };
  }

  private int balance() {
    return pool.query("SELECT amount FROM balances").execute().await().iterator().next().getInteger(0);
  }

  @Test
  void aDuplicateReturnsTheStoredResultWithoutRunningTheHandler() {
    AtomicInteger runs = new AtomicInteger();
    UUID event = UUID.randomUUID();
    InboxResult first = inbox.consume("billing", event, credit(runs, 10)).await();
    InboxResult again = inbox.consume("billing", event, credit(runs, 10)).await();

    assertThat(first.duplicate()).isFalse();
    assertThat(again.duplicate()).isTrue();
    assertThat(again.result()).isEqualTo(new JsonObject().put("balance", 10));
    assertThat(runs.get()).isEqualTo(1);
    assertThat(balance()).isEqualTo(10);
  }

  @Test
  void eachConsumerProcessesTheSameEventOnce() {
    AtomicInteger runs = new AtomicInteger();
    UUID event = UUID.randomUUID();
    inbox.consume("billing", event, credit(runs, 10)).await();
    inbox.consume("audit", event, credit(runs, 1)).await();
    inbox.consume("audit", event, credit(runs, 1)).await();
    assertThat(runs.get()).isEqualTo(2);
    assertThat(balance()).isEqualTo(11);
  }

  @Test
  void aFailingHandlerLeavesNoTraceSoTheRedeliveryRuns() {
    AtomicInteger runs = new AtomicInteger();
    UUID event = UUID.randomUUID();
    Function<SqlConnection, Future<JsonObject>> failing = conn -> credit(runs, 10).apply(conn)
        .compose(r -> Future.failedFuture(new IllegalStateException("downstream refused")));
    assertThatThrownBy(() -> inbox.consume("billing", event, failing).await()).hasMessageContaining("downstream refused");
    assertThat(balance()).as("the handler's write rolled back with the inbox row").isZero();

    InboxResult retry = inbox.consume("billing", event, credit(runs, 10)).await();
    assertThat(retry.duplicate()).isFalse();
    assertThat(balance()).isEqualTo(10);
  }

  @Test
  void concurrentDeliveriesOfOneEventApplyItOnce() {
    AtomicInteger runs = new AtomicInteger();
    UUID event = UUID.randomUUID();
    List<Future<InboxResult>> all = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      all.add(inbox.consume("billing", event, credit(runs, 5)));
    }
    Future.all(all).await();
    assertThat(all.stream().filter(f -> !f.result().duplicate()).count()).isEqualTo(1);
    assertThat(balance()).isEqualTo(5);
  }

  @Test
  void aMissingConsumerNameOrEventIdIsRefused() {
    assertThatThrownBy(() -> inbox.consume(" ", UUID.randomUUID(), credit(new AtomicInteger(), 1)).await())
        .hasMessage("consumerName: must not be empty");
    assertThatThrownBy(() -> inbox.consume("x", null, credit(new AtomicInteger(), 1)).await())
        .hasMessage("eventId: must not be null");
  }
}
