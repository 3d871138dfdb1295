package io.sagaz.fleet.app.it.saga;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagaz.fleet.testkit.NodeCluster;
import io.sagaz.fleet.testkit.NodeProcess;
import io.sagaz.fleet.testkit.PostgresFixture;
import io.sagaz.fleet.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Three node processes run 500 sagas; one node is killed with SIGKILL while they are in flight.
 * Every saga must still end COMPLETED or ROLLED_BACK, and every participant effect must have
 * happened exactly once.
 *
 * <p>Participants: the demo participants every node deploys with {@code node.demo} (so the killed
 * node takes participants down with it, not only an orchestrator). They write one row per effect in
 * {@code saga_demo_effects} inside their inbox transaction; randomly decline 15% of payments (those
 * sagas roll back) and answer 503 to 15% of reservations (retried). {@code delayMs} slows every step
 * (1 s) so the sagas are really in flight when the node dies. Leases are 5 s so the test is not slow.
 */
class SagaNodeCrashIT {
  private static final int SAGAS = 500;
  private static final int STEP_DELAY_MS = 2500;
  private static final String TOKEN = "it-token-0123456789abcdef";

  @Test
  void killingANodeWithSagasInFlightLeavesNoSagaStuckAndNoEffectRepeated() throws Exception {
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    Path sagas = Files.createTempDirectory("it-sagas");
    // The demo order saga with room for slow steps: each step takes STEP_DELAY_MS, so a saga stays in
    // flight for several seconds even when posting the 500 is slow on a loaded machine.
    Files.writeString(sagas.resolve("order.yaml"),
        Files.readString(projectRoot().resolve("conf/sagas/order.yaml")).replace("timeout: 2s", "timeout: 10s")
            // a new version: the demo also registers version 1 as it is, and starts take the newest
            .replace("version: 1", "version: 2"));
    try (NodeCluster cluster = NodeCluster.start(3, (i, node) -> node.dbUrl(db.url())
        .roles("saga", "admin").adminToken(TOKEN)
        .env("SAGAZ_NODE_DEMO", "true")
        .env("SAGAZ_DB_POOL_SIZE", "16")
        .env("SAGAZ_SAGA_DEFINITIONS_DIR", sagas.toString())
        .env("SAGAZ_SAGA_LEASE_TIMEOUT", "5s")
        .env("SAGAZ_SAGA_RECOVERY_INTERVAL", "1s"))) {
      // 500 started by 32 concurrent requests, each of the three steps taking STEP_DELAY_MS, so nearly
      // all of them are in flight when the node dies
      ExecutorService posters = Executors.newFixedThreadPool(32);
      List<Future<String>> started = new ArrayList<>();
      for (int i = 0; i < SAGAS; i++) {
        int n = i;
        started.add(posters.submit(() -> {
          String body = new JsonObject().put("input", new JsonObject().put("orderId", n).put("delayMs", STEP_DELAY_MS))
              .put("idempotencyKey", "it-" + n).encode();
          HttpResponse<String> r = cluster.node(n % 3).send("POST", "/api/v1/sagas/order", body, TOKEN);
          assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
          return new JsonObject(r.body()).getString("sagaId");
        }));
      }
      List<String> ids = new ArrayList<>();
      for (Future<String> f : started) {
        ids.add(f.get(60, TimeUnit.SECONDS));
      }
      posters.shutdown();
      String idList = "'" + String.join("','", ids) + "'";
      long finishedAtKill = count(db, "SELECT count(*) FROM saga_executions WHERE saga_id IN (" + idList
          + ") AND status IN ('COMPLETED', 'ROLLED_BACK', 'FAILED')");
      cluster.node(1).kill9();
      // read after the kill: the dead node can no longer finish any of them
      long ownedByVictim = count(db, "SELECT count(*) FROM saga_executions WHERE saga_id IN (" + idList
          + ") AND owner_node = 'n1' AND status IN ('EXECUTING', 'COMPENSATING')");
      assertThat(SAGAS - finishedAtKill).as("sagas in flight when the node died").isGreaterThanOrEqualTo(SAGAS * 4 / 5);
      assertThat(ownedByVictim).as("sagas the killed node was running").isPositive();

      boolean settled = NodeProcess.eventually(Duration.ofSeconds(180), () -> count(db,
          "SELECT count(*) FROM saga_executions WHERE saga_id IN (" + idList + ") AND status IN ('COMPLETED', 'ROLLED_BACK')") == SAGAS);
      Map<String, Long> byStatus = byStatus(db, idList);
      assertThat(settled).as("all sagas COMPLETED or ROLLED_BACK; now %s", byStatus).isTrue();
      System.out.printf("saga crash IT: %d finished before the kill, %d run by the killed node, final %s%n",
          finishedAtKill, ownedByVictim, byStatus);
      assertThat(byStatus.keySet()).containsAnyOf("COMPLETED");

      // exactly once: no (saga, step, phase) effect twice
      assertThat(count(db, "SELECT count(*) FROM (SELECT saga_id, step, phase FROM saga_demo_effects WHERE saga_id IN ("
          + idList + ") GROUP BY saga_id, step, phase HAVING count(*) > 1) dup")).isZero();
      // a completed order has its three effects and no undo
      assertThat(count(db, "SELECT count(*) FROM saga_executions e WHERE saga_id IN (" + idList + ") AND status = 'COMPLETED'"
          + " AND (SELECT count(*) FROM saga_demo_effects d WHERE d.saga_id = e.saga_id AND phase = 'action') <> 3")).isZero();
      assertThat(count(db, "SELECT count(*) FROM saga_demo_effects d JOIN saga_executions e USING (saga_id)"
          + " WHERE e.status = 'COMPLETED' AND d.phase = 'compensation' AND e.saga_id IN (" + idList + ")")).isZero();
      // a rolled-back order has every effect it made undone
      assertThat(count(db, "SELECT count(*) FROM saga_demo_effects a JOIN saga_executions e USING (saga_id)"
          + " WHERE e.status = 'ROLLED_BACK' AND a.phase = 'action' AND e.saga_id IN (" + idList + ")"
          + " AND NOT EXISTS (SELECT 1 FROM saga_demo_effects u WHERE u.saga_id = a.saga_id AND u.step = a.step AND u.phase = 'compensation')"))
          .isZero();
      // the killed node's sagas were resumed by the survivors
      assertThat(count(db, "SELECT count(DISTINCT saga_id) FROM saga_audit_log WHERE event = 'saga.resumed' AND saga_id IN (" + idList + ")"))
          .isGreaterThanOrEqualTo(ownedByVictim);
      assertThat(count(db, "SELECT count(*) FROM saga_executions WHERE saga_id IN (" + idList + ") AND owner_node = 'n1'"
          + " AND status NOT IN ('COMPLETED', 'ROLLED_BACK')")).isZero();
    } finally {
      PostgresFixture.shared().drop(db);
    }
  }

  private static Path projectRoot() {
    return Path.of(System.getenv().getOrDefault("SAGAZ_TEST_PROJECT_ROOT", ".."));
  }

  private static Map<String, Long> byStatus(TestDatabase db, String idList) {
    Map<String, Long> out = new LinkedHashMap<>();
    query(db, "SELECT status, count(*) FROM saga_executions WHERE saga_id IN (" + idList + ") GROUP BY status ORDER BY status",
        rs -> out.put(rs.getString(1), rs.getLong(2)));
    return out;
  }

  private static long count(TestDatabase db, String sql) {
    long[] n = new long[1];
    query(db, sql, rs -> n[0] = rs.getLong(1));
    return n[0];
  }

  private interface RowHandler {
    void row(ResultSet rs) throws SQLException;
  }

  private static void query(TestDatabase db, String sql, RowHandler h) {
    try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        h.row(rs);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }
}
