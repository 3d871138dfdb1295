package io.sagaz.fleet.app.it.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagaz.fleet.app.it.saga.SlowOrderSaga;
import io.sagaz.fleet.testkit.NodeProcess;
import io.sagaz.fleet.testkit.PostgresFixture;
import io.sagaz.fleet.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web console as an operator uses it: a real headless Chromium against a real node process (all
 * roles, the demo saga), clicking what a person clicks. Every action is checked where it lands, in
 * PostgreSQL or through the API, not only on the page.
 */
class ConsoleIT {
  private static final String TOKEN = "it-token-0123456789abcdef";

  private static TestDatabase db;
  private static NodeProcess node;

  @BeforeAll
  static void startNode() {
    db = PostgresFixture.shared().createMigratedDatabase();
    node = NodeProcess.builder().name("console").dbUrl(db.url()).roles("saga", "outbox", "maintenance", "admin")
        .adminToken(TOKEN).env("SAGAZ_NODE_DEMO", "true")
        .env("SAGAZ_SAGA_DEFINITIONS_DIR", SlowOrderSaga.definitionsDir().toString()).start();
  }

  @AfterAll
  static void stopNode() {
    try {
      if (node != null) {
        node.close();
      }
    } finally {
      PostgresFixture.shared().drop(db);
    }
  }

  @Test
  void aWrongTokenShowsTheProblemInEverySectionAndAGoodOneShowsTheCluster() {
    try (Browser browser = Browser.start()) {
      browser.open(node.adminUrl() + "/");
      browser.type("#token", "not-the-token");
      browser.click("#login button[type=submit]");
      assertThat(browser.awaitText("#cluster .content", "401")).contains("Unauthorized");
      assertThat(browser.awaitText("#outbox .stats", "401")).contains("Unauthorized");

      browser.type("#token", TOKEN);
      browser.click("#login button[type=submit]");
      assertThat(browser.awaitText("#cluster .content", "(this node)")).contains("console", "maintenance");
      browser.awaitText("#status", "updated");
    }
  }

  @Test
  void deadLettersAreReplayedBySelectionAndByFilter() throws Exception {
    UUID chosen = deadLetter("orders", "broker refused the order");
    UUID other = deadLetter("orders", "broker refused again");
    UUID shipment = deadLetter("shipments", "no route to shipments");
    try (Browser browser = connected()) {
      String letters = browser.awaitText("#outbox .dead-letters", chosen.toString());
      assertThat(letters).contains(other.toString(), shipment.toString(), "broker refused the order", "no route to shipments");
      browser.screenshot("dead-letters", "#outbox");

      browser.click("#outbox input[value='" + chosen + "']");
      browser.click("#outbox .replay-selected");
      assertThat(browser.accept()).contains("Replay 1 selected");
      browser.awaitText("#outbox .result", "Replayed 1 dead letter.");
      assertThat(replays(chosen)).isEqualTo(1);
      assertThat(replays(other)).as("not selected").isZero();
      assertThat(replays(shipment)).as("not selected").isZero();

      browser.type("#outbox input[name=topic]", "shipments");
      browser.click("#outbox .filters button[type=submit]");
      browser.awaitText("#outbox .dead-letters", "1 shown");
      assertThat(browser.textOf("#outbox .dead-letters")).doesNotContain(other.toString());
      browser.click("#outbox .replay-filter");
      assertThat(browser.accept()).contains("every dead letter with topic shipments");
      browser.awaitText("#outbox .result", "Replayed 1 dead letter.");
      assertThat(replays(shipment)).isEqualTo(1);
      assertThat(replays(other)).as("another topic").isZero();
    }
  }

  @Test
  void aRunningSagaIsCancelledFromItsDetailView() throws Exception {
    String id = startSaga(new JsonObject().put("delayMs", 10_000));
    try (Browser browser = connected()) {
      browser.type("#sagas input[name=name]", SlowOrderSaga.NAME);
      browser.click("#sagas .filters button[type=submit]");
      browser.awaitText("#sagas .content", id);
      browser.click("#sagas .content button.link[data-saga-id='" + id + "']");
      browser.awaitText("#sagas .detail", "History");
      assertThat(browser.textOf("#sagas .detail")).contains(id, "reserve-inventory");
      browser.awaitText("#sagas .detail .saga-status", "EXECUTING");
      browser.screenshot("saga-detail", "#sagas .detail");

      browser.click("#sagas .detail button.cancel");
      assertThat(browser.accept()).contains("Cancel saga " + id);
      browser.awaitText("#sagas .result", "Saga " + id + " is");
      assertThat(NodeProcess.eventually(Duration.ofSeconds(60), () -> "ROLLED_BACK".equals(sagaStatus(id))))
          .as("the cancelled saga compensates; now " + sagaStatus(id)).isTrue();
    }
  }

  @Test
  void maintenanceRunsOnDemandOnTheLeader() throws Exception {
    try (Browser browser = connected()) {
      browser.awaitText("#cluster .leader", "epoch");
      long before = rows("SELECT count(*) FROM partition_maintenance_runs WHERE trigger = 'api'");
      browser.click("#partitions .maintain");
      browser.awaitText("#partitions .result", "Maintenance ran:");
      assertThat(rows("SELECT count(*) FROM partition_maintenance_runs WHERE trigger = 'api' AND status = 'succeeded'"))
          .isEqualTo(before + 1);
      assertThat(browser.awaitText("#partitions .content", "saga_outbox")).contains("saga_executions");
      browser.screenshot("maintenance", "#partitions");
    }
  }

  /** A browser on the console, connected with the token, every section loaded. */
  private static Browser connected() {
    Browser browser = Browser.start();
    try {
      browser.open(node.adminUrl() + "/console/");
      browser.type("#token", TOKEN);
      browser.click("#login button[type=submit]");
      browser.awaitText("#status", "updated");
      return browser;
    } catch (RuntimeException e) {
      browser.close();
      throw e;
    }
  }

  private static String startSaga(JsonObject input) {
    HttpResponse<String> started = node.send("POST", "/api/v1/sagas/" + SlowOrderSaga.NAME, new JsonObject().put("input", input).encode(), TOKEN);
    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    String id = new JsonObject(started.body()).getString("sagaId");
    assertThat(NodeProcess.eventually(Duration.ofSeconds(20), () -> "EXECUTING".equals(sagaStatus(id)))).isTrue();
    return id;
  }

  private static String sagaStatus(String id) {
    return new JsonObject(node.send("GET", "/api/v1/sagas/" + id, null, TOKEN).body()).getString("status");
  }

  private static UUID deadLetter(String topic, String error) throws Exception {
    UUID id = UUID.randomUUID();
    try (Connection c = db.connect(); Statement st = c.createStatement()) {
      st.execute("INSERT INTO saga_outbox (event_id, aggregate_type, aggregate_id, event_type, topic, payload, status, attempts, last_error)"
          + " VALUES ('" + id + "', 'order', 'o-1', 'OrderPlaced', '" + topic + "', '{}', 'dead_letter', 10, '" + error + "')");
    }
    return id;
  }

  private static long replays(UUID eventId) throws Exception {
    return rows("SELECT replay_count FROM saga_outbox WHERE event_id = '" + eventId + "'");
  }

  private static long rows(String sql) throws Exception {
    try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
