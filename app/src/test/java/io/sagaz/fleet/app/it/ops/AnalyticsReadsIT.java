package io.sagaz.fleet.app.it.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagaz.fleet.testkit.NodeProcess;
import io.sagaz.fleet.testkit.PgBouncerFixture;
import io.sagaz.fleet.testkit.PostgresFixture;
import io.sagaz.fleet.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code db.analyticsUrl}: the heavy admin reads (saga lists, outbox counts per status, dead-letter
 * lists) go to it, everything else to {@code db.url}. The "replica" here is a second database with
 * other contents behind a real PgBouncer in transaction mode, as pgbouncer-ro, so every answer shows
 * which database it came from.
 */
class AnalyticsReadsIT {
  private static final String TOKEN = "it-token-0123456789abcdef";

  @Test
  void listsAndCountsComeFromTheAnalyticsDatabaseAndEverythingElseFromThePrimary() throws Exception {
    TestDatabase primary = PostgresFixture.shared().createMigratedDatabase();
    TestDatabase replica = PostgresFixture.shared().createMigratedDatabase();
    UUID deadLetter = UUID.randomUUID();
    UUID sagaOnReplica = UUID.randomUUID();
    try (Connection c = replica.connect(); Statement st = c.createStatement()) {
      st.execute("INSERT INTO saga_outbox (event_id, aggregate_type, aggregate_id, event_type, topic, payload, status, attempts, last_error)"
          + " VALUES ('" + deadLetter + "', 'order', 'o-1', 'OrderPlaced', 'orders', '{}', 'dead_letter', 10, 'broker refused')");
      st.execute("INSERT INTO saga_executions (saga_id, saga_name, status) VALUES ('" + sagaOnReplica + "', 'only-on-replica', 'COMPLETED')");
    }
    try (PgBouncerFixture ro = PgBouncerFixture.transactionMode(replica, 2);
        NodeProcess node = NodeProcess.builder().name("analytics").dbUrl(primary.url()).roles("saga", "outbox", "admin")
            .adminToken(TOKEN).env("SAGAZ_DB_ANALYTICS_URL", ro.url()).start()) {
      JsonObject deadLetters = get(node, "/api/v1/outbox/dead-letters");
      assertThat(deadLetters.getJsonArray("deadLetters")).singleElement()
          .satisfies(d -> assertThat(((JsonObject) d).getString("eventId")).isEqualTo(deadLetter.toString()));
      JsonObject stats = get(node, "/api/v1/outbox/stats");
      assertThat(stats.getJsonObject("counts").getLong("dead_letter")).as("counts per status: the replica's").isEqualTo(1);
      assertThat(stats.getLong("deadLetters")).as("the backlog gauges: the primary's").isZero();

      JsonObject sagas = get(node, "/api/v1/sagas?name=only-on-replica");
      assertThat(sagas.getJsonArray("sagas")).singleElement()
          .satisfies(s -> assertThat(((JsonObject) s).getString("sagaId")).isEqualTo(sagaOnReplica.toString()));
      assertThat(node.send("GET", "/api/v1/sagas/" + sagaOnReplica, null, TOKEN).statusCode())
          .as("a saga by id is read from the primary").isEqualTo(404);

      // A replay writes: to the primary, which holds no dead letter.
      HttpResponse<String> replay = node.send("POST", "/api/v1/outbox/dead-letters/replay",
          new JsonObject().put("ids", new io.vertx.core.json.JsonArray().add(deadLetter.toString())).encode(), TOKEN);
      assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
      assertThat(new JsonObject(replay.body()).getInteger("replayed")).isZero();
    } finally {
      PostgresFixture.shared().drop(primary);
      PostgresFixture.shared().drop(replica);
    }
  }

  private static JsonObject get(NodeProcess node, String path) {
    HttpResponse<String> r = node.send("GET", path, null, TOKEN);
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }
}
