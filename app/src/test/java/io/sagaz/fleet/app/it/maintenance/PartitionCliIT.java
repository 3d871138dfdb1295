package io.sagaz.fleet.app.it.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagaz.fleet.app.cli.CliRun;
import io.sagaz.fleet.testkit.NodeProcess;
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

/** The seed's {@code sagaz partition ...} commands against a real node's admin API and database. */
class PartitionCliIT {
  private static TestDatabase db;
  private static NodeProcess node;

  @BeforeAll
  static void start() {
    db = PostgresFixture.shared().createMigratedDatabase();
    node = NodeProcess.builder().name("cli").dbUrl(db.url()).roles("maintenance", "admin").start();
    NodeProcess.eventually(Duration.ofSeconds(30), () -> run("partition", "maintain").exit() == 0);
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
    PostgresFixture.shared().drop(db);
  }

  private static CliRun run(String... args) {
    return runAt(node, args);
  }

  private static CliRun runAt(NodeProcess target, String... args) {
    return CliRun.at(target.adminUrl(), target.token(), args);
  }

  private static long count(String sql) throws Exception {
    try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void seedCreateCommandMakesTwelveMonthlyPartitionsAndPrintsThem() throws Exception {
    CliRun r = run("partition", "create", "--table", "saga_executions", "--range", "2025-01-01:2025-12-31");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("ACTION", "PARTITION", "saga_executions_y2025m01", "saga_executions_y2025m12");
    assertThat(count("SELECT count(*) FROM pg_class WHERE relkind = 'r' AND relname LIKE 'saga\\_executions\\_y2025m%'")).isEqualTo(12);
  }

  @Test
  void listPrintsATableForPeopleAndJsonWithTheFlag() {
    CliRun table = run("partition", "list");
    assertThat(table.exit()).as(table.err()).isZero();
    assertThat(table.out().lines().findFirst().orElseThrow()).startsWith("TABLE").contains("PARTITION", "FROM", "TO", "ROWS", "SIZE");
    assertThat(table.out()).contains("saga_outbox_default", "DEFAULT");

    CliRun json = run("partition", "list", "--table", "saga_outbox", "--json");
    assertThat(json.exit()).as(json.err()).isZero();
    JsonObject body = new JsonObject(json.out());
    assertThat(body.getJsonArray("partitions")).isNotEmpty()
        .allSatisfy(p -> assertThat(((JsonObject) p).getString("table")).isEqualTo("saga_outbox"));
  }

  @Test
  void cleanupOlderThanTwelveMonthsDropsOnlyPartitionsPastIt() throws Exception {
    assertThat(run("partition", "create", "--table", "saga_audit_log", "--range", "2020-01-01:2020-03-31").exit()).isZero();

    CliRun r = run("partition", "cleanup", "--older-than", "12m", "--table", "saga_audit_log");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("dropped", "saga_audit_log_y2020m01", "saga_audit_log_y2020m03");
    assertThat(count("SELECT count(*) FROM pg_class WHERE relkind = 'r' AND relname LIKE 'saga\\_audit\\_log\\_y2020%'")).isZero();
    assertThat(count("SELECT count(*) FROM pg_class WHERE relkind = 'r' AND relname LIKE 'saga\\_audit\\_log\\_y%'")).isPositive();
  }

  @Test
  void maintainPrintsWhoRanItUnderWhichEpoch() {
    CliRun r = run("partition", "maintain", "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(new JsonObject(r.out()).getString("holder")).isEqualTo("cli");

    CliRun people = run("partition", "maintain");
    assertThat(people.out()).containsPattern("\\d+ action\\(s\\) by cli \\(epoch \\d+, run \\d+, \\d+ ms\\)");
  }

  @Test
  void withoutAMaintenanceLeaderTheApiAnswers423AndTheCliSaysSoAndExits1() {
    try (NodeProcess adminOnly = NodeProcess.builder().name("cli-admin").dbUrl(db.url()).roles("admin").start()) {
      CliRun r = runAt(adminOnly, "partition", "maintain");

      assertThat(r.exit()).isEqualTo(1);
      assertThat(r.err()).contains("HTTP 423", "no maintenance leader");
    }
  }

  @Test
  void wrongTokenIsReportedWithAHint() {
    CliRun r = CliRun.at(node.adminUrl(), "not-the-token-at-all", "partition", "list");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("sagaz partition list: GET /partitions: HTTP 401", "--token");
  }

  @Test
  void nodeMetricsEndpointServesTheSeedMaintenanceMetrics() {
    assertThat(run("partition", "maintain").exit()).isZero();
    String scrape = node.send("GET", "/metrics", null, null).body();

    assertThat(scrape).containsPattern("(?m)^sagaz_partition_maintenance_duration_seconds_count(\\{[^}]*})? [1-9]");
    assertThat(scrape).containsPattern("(?m)^sagaz_partition_maintenance_errors_total(\\{[^}]*})? ");
    assertThat(scrape).containsPattern("(?m)^sagaz_partition_ahead_days\\{[^}]*table=\"saga_outbox\"[^}]*} [78]\\.");
    assertThat(scrape).containsPattern("(?m)^sagaz_partition_default_rows\\{[^}]*table=\"saga_executions\"[^}]*} 0\\.0");
  }
}
