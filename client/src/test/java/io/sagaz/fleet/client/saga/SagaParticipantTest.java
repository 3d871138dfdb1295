package io.sagaz.fleet.client.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sagaz.fleet.core.failure.FailureCode;
import io.sagaz.fleet.core.saga.StepPhase;
import io.sagaz.fleet.testkit.PostgresFixture;
import io.sagaz.fleet.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The participant helper on a real PostgreSQL: a command's effect happens once however often it is sent. */
class SagaParticipantTest {
  private TestDatabase db;
  private Vertx vertx;
  private Pool pool;
  private final AtomicInteger runs = new AtomicInteger();
  private volatile boolean refuse;

  @BeforeEach
  void setUp() throws Exception {
    db = PostgresFixture.shared().createMigratedDatabase();
    try (var c = db.connect()) {
      c.createStatement().execute("CREATE TABLE effects (command_id uuid, note text)");
    }
    vertx = Vertx.vertx();
    pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(8)).connectingTo(PgConnectOptions.fromUri(db.url())).using(vertx).build();
    SagaParticipant.create(vertx, pool, "payments")
        .action("pay.charge", (cmd, tx) -> {
          runs.incrementAndGet();
          if (refuse) {
            return Future.failedFuture(new StepFailure(FailureCode.CONFLICT, "card declined"));
          }
          return vertx.timer(100).compose(v -> tx.preparedQuery("INSERT INTO effects VALUES ($1, 'charged')")
              .execute(io.vertx.sqlclient.Tuple.of(cmd.commandId())))
              .map(r -> new JsonObject().put("charged", cmd.input().getInteger("amount")).put("run", runs.get()));
        })
        .register().await();
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
    PostgresFixture.shared().drop(db);
  }

  private JsonObject command(UUID commandId) {
    return new StepCommand(UUID.randomUUID(), "order", "charge", StepPhase.ACTION, 1, commandId,
        new JsonObject().put("amount", 42), new JsonObject()).toJson();
  }

  private long effects() throws Exception {
    try (var c = db.connect(); ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM effects")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void aResentCommandGetsTheStoredReplyWithoutRepeatingTheEffect() throws Exception {
    UUID id = UUID.randomUUID();
    JsonObject first = vertx.eventBus().<JsonObject>request("pay.charge", command(id)).await().body();
    JsonObject again = vertx.eventBus().<JsonObject>request("pay.charge", command(id)).await().body();
    assertThat(again).isEqualTo(first).isEqualTo(new JsonObject().put("charged", 42).put("run", 1));
    assertThat(runs.get()).isEqualTo(1);
    assertThat(effects()).isEqualTo(1);
  }

  @Test
  void concurrentCopiesOfOneCommandRunTheHandlerOnce() throws Exception {
    UUID id = UUID.randomUUID();
    List<Future<Message<JsonObject>>> copies = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      copies.add(vertx.eventBus().request("pay.charge", command(id)));
    }
    Future.all(copies).await();
    assertThat(copies).allMatch(f -> f.result().body().getInteger("run") == 1);
    assertThat(runs.get()).isEqualTo(1);
    assertThat(effects()).isEqualTo(1);
  }

  @Test
  void aFailedCommandLeavesNoTraceSoItsRetryRunsAgain() throws Exception {
    UUID id = UUID.randomUUID();
    refuse = true;
    ReplyException e = catchThrowableOfType(ReplyException.class,
        () -> vertx.eventBus().request("pay.charge", command(id)).await());
    assertThat(e.failureCode()).isEqualTo(409);
    assertThat(e.getMessage()).isEqualTo("card declined");
    refuse = false;
    assertThat(vertx.eventBus().<JsonObject>request("pay.charge", command(id)).await().body().getInteger("run")).isEqualTo(2);
    assertThat(effects()).isEqualTo(1);
  }

  @Test
  void aMalformedCommandIsRefusedWith400NamingTheField() {
    JsonObject bad = command(UUID.randomUUID()).put("commandId", "nope");
    ReplyException e = catchThrowableOfType(ReplyException.class, () -> vertx.eventBus().request("pay.charge", bad).await());
    assertThat(e.failureCode()).isEqualTo(400);
    assertThat(e.getMessage()).startsWith("commandId:");
    JsonObject badPhase = command(UUID.randomUUID()).put("phase", "undo");
    e = catchThrowableOfType(ReplyException.class, () -> vertx.eventBus().request("pay.charge", badPhase).await());
    assertThat(e.getMessage()).startsWith("phase:");
    // not an object at all: a 400 at once, not a timeout
    e = catchThrowableOfType(ReplyException.class,
        () -> vertx.eventBus().request("pay.charge", command(UUID.randomUUID()).encode()).await(5, java.util.concurrent.TimeUnit.SECONDS));
    assertThat(e.failureCode()).isEqualTo(400);
    assertThat(e.getMessage()).isEqualTo("body: must be a JSON object, was a String");
    assertThat(runs.get()).isZero();
  }
}
