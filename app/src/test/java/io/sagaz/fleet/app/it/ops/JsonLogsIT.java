package io.sagaz.fleet.app.it.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagaz.fleet.testkit.NodeProcess;
import io.sagaz.fleet.testkit.PostgresFixture;
import io.sagaz.fleet.testkit.TestDatabase;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code SAGAZ_LOG_FORMAT=json} on a real node process: every log line is one JSON object (for Loki and
 * other collectors), and the line of a saga that needs an operator carries its id and name as fields.
 */
class JsonLogsIT {
  private static final String TOKEN = "it-token-0123456789abcdef";

  @Test
  void logLinesAreJsonObjectsAndAFailedSagaIsLoggedWithItsIdAndName() {
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    try (NodeProcess node = NodeProcess.builder().name("json-logs").dbUrl(db.url()).roles("saga", "admin")
        .adminToken(TOKEN).env("SAGAZ_NODE_DEMO", "true").env("SAGAZ_LOG_FORMAT", "json").start()) {
      // a compensation that keeps failing: the saga ends FAILED, the one outcome logged as a warning
      String start = new JsonObject().put("input", new JsonObject().put("failStep", "ship-order")
          .put("failCompensation", "charge-payment")).encode();
      HttpResponse<String> started = node.send("POST", "/api/v1/sagas/order", start, TOKEN);
      assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
      String id = new JsonObject(started.body()).getString("sagaId");

      boolean logged = NodeProcess.eventually(Duration.ofSeconds(60), () -> logLines(node).stream()
          .anyMatch(l -> "WARN".equals(l.getString("level")) && id.equals(mdc(l).getString("saga_id"))));
      assertThat(logged).as(node.logTail(30)).isTrue();
      JsonObject failed = logLines(node).stream().filter(l -> id.equals(mdc(l).getString("saga_id"))).findFirst().orElseThrow();
      assertThat(mdc(failed).getString("saga_name")).isEqualTo("order");
      assertThat(failed.getString("loggerName")).isEqualTo("io.sagaz.fleet.saga.SagaEngine");
      assertThat(failed.getString("formattedMessage")).contains(id, "FAILED: the compensation of charge-payment (", "retry-compensation");
      assertThat(failed.getLong("timestamp")).isPositive();

      // nothing logged in the text format; the lines that are not JSON are the node's own println
      // (admin URL, token, ready line), which go to the terminal of whoever started it
      for (String line : node.log().split("\n")) {
        assertThat(line).as("a log line in text format").doesNotContainPattern("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (INFO|WARN|ERROR)");
      }
    } finally {
      PostgresFixture.shared().drop(db);
    }
  }

  private static List<JsonObject> logLines(NodeProcess node) {
    return node.log().lines().filter(l -> l.startsWith("{")).map(l -> {
      try {
        return new JsonObject(l);
      } catch (DecodeException e) {
        throw new AssertionError("a log line that is not one JSON object: " + l, e);
      }
    }).toList();
  }

  private static JsonObject mdc(JsonObject line) {
    JsonObject mdc = line.getJsonObject("mdc");
    return mdc == null ? new JsonObject() : mdc;
  }
}
