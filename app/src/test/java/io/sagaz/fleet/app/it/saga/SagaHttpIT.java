package io.sagaz.fleet.app.it.saga;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagaz.fleet.testkit.NodeProcess;
import io.sagaz.fleet.testkit.PostgresFixture;
import io.sagaz.fleet.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The saga HTTP contract (design.md section 5) on a real node process with {@code --demo}: start
 * (202, idempotent), the saga view with history and Mermaid, definitions with Mermaid, cancel, and
 * malformed requests refused with 400 naming the field and creating nothing.
 */
class SagaHttpIT {
  private static final String TOKEN = "it-token-0123456789abcdef";

  @Test
  void sagasOverHttp() throws Exception {
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    try (NodeProcess node = NodeProcess.builder().name("saga-http").dbUrl(db.url()).roles("saga", "admin")
        .adminToken(TOKEN).env("SAGAZ_NODE_DEMO", "true").start()) {
      // malformed starts: 400 naming the field, nothing created
      HttpResponse<String> bad = node.send("POST", "/api/v1/sagas/order", "{\"input\": 5}", TOKEN);
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body()).contains("input");
      HttpResponse<String> unknown = node.send("POST", "/api/v1/sagas/no-such-saga", "{\"input\": {}}", TOKEN);
      assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
      assertThat(rows(db, "SELECT count(*) FROM saga_executions WHERE saga_name <> 'order' OR idempotency_key LIKE 'http-%'")).isZero();

      // start twice with one key: one saga
      String body = new JsonObject().put("input", new JsonObject().put("failStep", "ship-order"))
          .put("idempotencyKey", "http-1").encode();
      HttpResponse<String> first = node.send("POST", "/api/v1/sagas/order", body, TOKEN);
      HttpResponse<String> again = node.send("POST", "/api/v1/sagas/order", body, TOKEN);
      assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
      assertThat(again.statusCode()).isEqualTo(202);
      String id = new JsonObject(first.body()).getString("sagaId");
      assertThat(new JsonObject(again.body()).getString("sagaId")).isEqualTo(id);

      // the saga view: a failed shipment rolled back, with its history and picture
      boolean rolledBack = NodeProcess.eventually(Duration.ofSeconds(30),
          () -> "ROLLED_BACK".equals(new JsonObject(node.send("GET", "/api/v1/sagas/" + id, null, TOKEN).body()).getString("status")));
      JsonObject view = new JsonObject(node.send("GET", "/api/v1/sagas/" + id, null, TOKEN).body());
      assertThat(rolledBack).as(view.encodePrettily()).isTrue();
      assertThat(view.getJsonArray("history").size()).isGreaterThan(5);
      assertThat(view.getString("mermaid")).contains("order: ROLLED_BACK", "class s_ship_45_order failed");
      assertThat(view.getJsonObject("steps").getJsonObject("charge-payment").getString("status")).isEqualTo("COMPENSATED");

      // definitions with their Mermaid diagrams
      HttpResponse<String> def = node.send("GET", "/api/v1/saga-definitions/order", null, TOKEN);
      assertThat(def.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(def.body()).getString("mermaid")).startsWith("flowchart TD");
      assertThat(node.send("GET", "/api/v1/saga-definitions/nope", null, TOKEN).statusCode()).isEqualTo(404);

      // cancel a finished saga: 409; list by status
      assertThat(node.send("POST", "/api/v1/sagas/" + id + "/cancel", null, TOKEN).statusCode()).isEqualTo(409);
      HttpResponse<String> list = node.send("GET", "/api/v1/sagas?status=ROLLED_BACK&name=order&limit=5", null, TOKEN);
      assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
      assertThat(list.body()).contains(id);
      assertThat(node.send("GET", "/api/v1/sagas?status=DONE", null, TOKEN).statusCode()).isEqualTo(400);
      assertThat(node.get("/metrics").body()).contains("sagaz_saga_started_total", "sagaz_saga_rolled_back_total");
    } finally {
      PostgresFixture.shared().drop(db);
    }
  }

  private static long rows(TestDatabase db, String sql) throws Exception {
    try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
