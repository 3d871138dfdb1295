package io.sagaz.fleet.app.it.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagaz.fleet.app.cli.CliRun;
import io.sagaz.fleet.testkit.NodeProcess;
import io.sagaz.fleet.testkit.PgBouncerFixture;
import io.sagaz.fleet.testkit.PostgresFixture;
import io.sagaz.fleet.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node process with every role whose database is a real PgBouncer in transaction mode, set up as in
 * docker-compose (SAGAZ_DB_PGBOUNCER, SAGAZ_DB_PGBOUNCER_ADMIN_URL): it migrates and runs through
 * PgBouncer, and {@code sagaz status --pool / --replication} show what it sees.
 */
class StatusPoolIT {
  private static TestDatabase db;
  private static PgBouncerFixture bouncer;
  private static NodeProcess node;

  @BeforeAll
  static void start() {
    db = PostgresFixture.shared().createDatabase();
    bouncer = PgBouncerFixture.transactionMode(db, 4);
    node = NodeProcess.builder().name("ops").dbUrl(bouncer.url())
        .env("SAGAZ_DB_PGBOUNCER", "true")
        .env("SAGAZ_DB_PGBOUNCER_ADMIN_URL", bouncer.adminUrl())
        .start();
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
    if (bouncer != null) {
      bouncer.close();
    }
    PostgresFixture.shared().drop(db);
  }

  private static CliRun status(String... flags) {
    String[] args = new String[flags.length + 5];
    args[0] = "status";
    System.arraycopy(flags, 0, args, 1, flags.length);
    args[flags.length + 1] = "--url";
    args[flags.length + 2] = node.adminUrl();
    args[flags.length + 3] = "--token";
    args[flags.length + 4] = node.token();
    return CliRun.sagaz(args);
  }

  @Test
  void statusPoolShowsTheNodePoolAndPgBouncersPoolsAsTables() {
    CliRun r = status("--pool");

    assertThat(r.exit()).as(r.err() + r.out()).isZero();
    assertThat(r.out()).contains("ready", "cluster: 1 member(s)", "maintenance leader: ops (epoch", "node pool (size 8");
    assertThat(r.out()).containsPattern("(?m)^sagaz\\s+8\\s+\\d+\\s+\\d+\\s+\\d+%");
    assertThat(r.out()).containsPattern("(?m)^POOL\\s+SIZE\\s+IN USE\\s+WAITING");
    assertThat(r.out()).contains("pgbouncer 127.0.0.1:" + bouncer.port() + " (SHOW POOLS)");
    assertThat(r.out()).containsPattern("(?m)^" + db.database() + "\\s+" + db.user() + "\\s+\\d+\\s+\\d+\\s+\\d+.*transaction$");
  }

  @Test
  void statusJsonCarriesTheSameAnswersForMachines() {
    CliRun r = status("--pool", "--replication", "--json");

    assertThat(r.exit()).as(r.err()).isZero();
    JsonObject json = new JsonObject(r.out());
    assertThat(json.getBoolean("ready")).isTrue();
    assertThat(json.getJsonObject("pool").getJsonObject("pgbouncer").getJsonArray("pools").stream()
        .map(JsonObject.class::cast).map(p -> p.getString("database"))).contains(db.database());
    assertThat(json.getJsonObject("replication").getBoolean("primary")).isTrue();
  }

  @Test
  void statusReplicationSaysThereIsNoStandby() {
    CliRun r = status("--replication");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("replication: this database is a primary, 0 standby(s) streaming from it");
  }

  @Test
  void theNodesPollerClaimsAndMarksThroughPgBouncerWithoutStatementErrors() throws Exception {
    try (Connection c = db.connect(); Statement st = c.createStatement()) {
      st.executeUpdate("INSERT INTO saga_outbox (aggregate_type, aggregate_id, event_type, topic, payload) "
          + "VALUES ('order', 'o-1', 'created', 'orders', '{}')");
    }
    // No consumer listens on sagaz.outbox.orders, so each publish fails: two recorded attempts mean the
    // poller claimed the row and marked it for retry twice, all through PgBouncer.
    boolean retried = NodeProcess.eventually(Duration.ofSeconds(30), () -> attemptsOf("o-1") >= 2);
    assertThat(retried).as("outbox row claimed and marked twice; node log:%n%s", node.logTail(40)).isTrue();
    assertThat(node.log()).doesNotContain("prepared statement");
    assertThat(node.get("/metrics").body()).contains("sagaz_pgbouncer_active_connections{database=\"" + db.database() + "\"");
  }

  private static int attemptsOf(String aggregateId) {
    try (Connection c = db.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT attempts FROM saga_outbox WHERE aggregate_id = '" + aggregateId + "'")) {
      return rs.next() ? rs.getInt(1) : 0;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void wrongTokenIsExitOneWithTheHint() {
    CliRun r = CliRun.sagaz("status", "--pool", "--url", node.adminUrl(), "--token", "wrong-token-0123456789");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("401").contains("--token");
  }
}
