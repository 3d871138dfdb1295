package io.sagaz.fleet.app.it.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagaz.fleet.app.cli.CliRun;
import io.sagaz.fleet.testkit.NodeProcess;
import io.sagaz.fleet.testkit.PostgresFixture;
import io.sagaz.fleet.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code sagaz outbox stats | dead-letters | replay} against a real node's admin API and database:
 * what the tables show, and that a replay changes exactly the dead letters it names.
 */
class OutboxCliIT {
  private static TestDatabase db;
  private static NodeProcess node;

  @BeforeAll
  static void start() {
    db = PostgresFixture.shared().createMigratedDatabase();
    // no pollers: nothing claims a replayed event, so what a replay did stays to be seen
    node = NodeProcess.builder().name("outbox-cli").dbUrl(db.url()).roles("outbox", "admin")
        .env("SAGAZ_OUTBOX_POLLERS", "0").start();
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
    PostgresFixture.shared().drop(db);
  }

  @Test
  void deadLettersAreListedWithTheirErrorsAndReplayedByIdByFilterAndAll() throws Exception {
    UUID first = deadLetter("payments", "PaymentTaken", "RecordTooLargeException: the message is 2097152 bytes\nwhich is larger than the maximum");
    UUID second = deadLetter("payments", "PaymentRefunded", "broker refused");
    UUID third = deadLetter("shipments", "OrderShipped", "NO_ROUTE: shipments");

    CliRun list = run("outbox", "dead-letters");
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.out()).contains("EVENT ID", "LAST ERROR", first.toString(), second.toString(), third.toString(),
        "RecordTooLargeException: the message is 2097152 bytes which is larger", "3 dead letter(s)");
    CliRun onlyShipments = run("outbox", "dead-letters", "--topic", "shipments", "--json");
    assertThat(new JsonObject(onlyShipments.out()).getJsonArray("deadLetters")).singleElement()
        .satisfies(d -> assertThat(((JsonObject) d).getString("eventId")).isEqualTo(third.toString()));

    CliRun byId = run("outbox", "replay", "--id", first + "," + UUID.randomUUID());
    assertThat(byId.exit()).as(byId.err()).isZero();
    assertThat(byId.out()).contains("replayed 1 dead letter(s)", "1 of the ids given are not dead letters");
    assertThat(state(first)).isEqualTo("pending/1");
    assertThat(state(second)).isEqualTo("dead_letter/0");

    CliRun byFilter = run("outbox", "replay", "--topic", "payments", "--event-type", "PaymentRefunded", "--older-than", "2999-01-01");
    assertThat(byFilter.out()).contains("replayed 1 dead letter(s)");
    assertThat(state(second)).isEqualTo("pending/1");
    assertThat(state(third)).isEqualTo("dead_letter/0");

    CliRun stats = run("outbox", "stats");
    assertThat(stats.out()).contains("STATUS", "pending", "dead_letter", "dead letters: ");

    CliRun all = run("outbox", "replay", "--all", "--json");
    assertThat(new JsonObject(all.out()).getInteger("replayed")).isEqualTo(1);
    assertThat(state(third)).isEqualTo("pending/1");
    assertThat(run("outbox", "dead-letters").out()).contains("0 dead letter(s)");
  }

  @Test
  void aRefusedRequestExitsOneWithTheProblem() {
    CliRun r = CliRun.at(node.adminUrl(), "wrong-token-0123456789", "outbox", "stats");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("sagaz outbox stats: GET /outbox/stats: HTTP 401");
  }

  private static CliRun run(String... args) {
    return CliRun.at(node.adminUrl(), node.token(), args);
  }

  private static UUID deadLetter(String topic, String type, String error) throws Exception {
    UUID id = UUID.randomUUID();
    try (Connection c = db.connect(); Statement st = c.createStatement()) {
      st.execute("INSERT INTO saga_outbox (event_id, aggregate_type, aggregate_id, event_type, topic, payload, status, attempts, last_error)"
          + " VALUES ('" + id + "', 'order', 'o-7', '" + type + "', '" + topic + "', '{}', 'dead_letter', 10, $e$" + error + "$e$)");
    }
    return id;
  }

  /** status/replay_count of an event. */
  private static String state(UUID eventId) throws Exception {
    try (Connection c = db.connect(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT status || '/' || replay_count FROM saga_outbox WHERE event_id = '" + eventId + "'")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
