package io.sagaz.fleet.app.it.saga;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagaz.fleet.app.cli.CliRun;
import io.sagaz.fleet.testkit.NodeProcess;
import io.sagaz.fleet.testkit.PostgresFixture;
import io.sagaz.fleet.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code sagaz saga list | show | cancel | retry-compensation} against a node process running the demo
 * participants: what an operator reads, and that each action reaches the saga engine.
 */
class SagaCliIT {
  private static TestDatabase db;
  private static NodeProcess node;

  @BeforeAll
  static void start() {
    db = PostgresFixture.shared().createMigratedDatabase();
    node = NodeProcess.builder().name("saga-cli").dbUrl(db.url()).roles("saga", "admin")
        .env("SAGAZ_NODE_DEMO", "true").env("SAGAZ_SAGA_DEFINITIONS_DIR", SlowOrderSaga.definitionsDir().toString()).start();
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
    PostgresFixture.shared().drop(db);
  }

  @Test
  void aFailedSagaIsFoundReadAndItsCompensationRetried() {
    // the shipment fails, and so does the payment's refund: the saga waits in FAILED for an operator
    String id = start("order", new JsonObject().put("failStep", "ship-order").put("failCompensation", "charge-payment"));
    assertThat(NodeProcess.eventually(Duration.ofSeconds(60), () -> "FAILED".equals(status(id)))).as("now " + status(id)).isTrue();

    CliRun list = run("saga", "list", "--status", "failed", "--name", "order");
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.out()).contains("SAGA ID", id, "FAILED", "1 saga(s)");

    CliRun show = run("saga", "show", id);
    assertThat(show.exit()).as(show.err()).isZero();
    assertThat(show.out()).contains("order " + id + ": FAILED", "STEP", "ship-order", "charge-payment", "AT", "step.failed");
    int eventsBefore = new JsonObject(run("saga", "show", id, "--json").out()).getJsonArray("history").size();

    CliRun retry = run("saga", "retry-compensation", id);
    assertThat(retry.exit()).as(retry.err()).isZero();
    assertThat(retry.out()).startsWith("saga " + id + " is ");
    // the refund still fails (the input says so): the retry ran, added to the history, and ended FAILED again
    assertThat(NodeProcess.eventually(Duration.ofSeconds(60), () -> "FAILED".equals(status(id))
        && new JsonObject(run("saga", "show", id, "--json").out()).getJsonArray("history").size() > eventsBefore)).isTrue();

    CliRun cancelFinished = run("saga", "cancel", id);
    assertThat(cancelFinished.exit()).isEqualTo(1);
    assertThat(cancelFinished.err()).contains("sagaz saga cancel: POST /sagas/" + id + "/cancel: HTTP 409");
  }

  @Test
  void aRunningSagaIsCancelledAndCompensates() {
    String id = start(SlowOrderSaga.NAME, new JsonObject().put("delayMs", 10_000));
    assertThat(NodeProcess.eventually(Duration.ofSeconds(20), () -> "EXECUTING".equals(status(id)))).isTrue();

    CliRun cancel = run("saga", "cancel", id);
    assertThat(cancel.exit()).as(cancel.err()).isZero();
    assertThat(cancel.out()).startsWith("saga " + id + " is ");
    assertThat(NodeProcess.eventually(Duration.ofSeconds(60), () -> "ROLLED_BACK".equals(status(id)))).as("now " + status(id)).isTrue();
  }

  @Test
  void anUnknownSagaIsA404() {
    CliRun r = run("saga", "show", "01a20137-4f08-7cad-a18a-27c3cc8a758f");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("HTTP 404", "no saga 01a20137-4f08-7cad-a18a-27c3cc8a758f");
  }

  private static CliRun run(String... args) {
    return CliRun.at(node.adminUrl(), node.token(), args);
  }

  private static String start(String saga, JsonObject input) {
    HttpResponse<String> r = node.send("POST", "/api/v1/sagas/" + saga, new JsonObject().put("input", input).encode(), node.token());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    return new JsonObject(r.body()).getString("sagaId");
  }

  private static String status(String id) {
    return new JsonObject(node.send("GET", "/api/v1/sagas/" + id, null, node.token()).body()).getString("status");
  }
}
