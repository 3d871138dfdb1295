package io.sagaz.fleet.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sagaz.fleet.admin.db.DbMetrics;
import io.sagaz.fleet.admin.db.DbMetricsVerticle;
import io.sagaz.fleet.admin.db.PgBouncerConsole;
import io.sagaz.fleet.client.node.NodeInfo;
import io.sagaz.fleet.client.node.NodeServices;
import io.sagaz.fleet.core.config.DbConfig;
import io.sagaz.fleet.core.config.SagazConfig;
import io.sagaz.fleet.testkit.NodeProcess;
import io.sagaz.fleet.testkit.PgBouncerFixture;
import io.sagaz.fleet.testkit.PostgresFixture;
import io.sagaz.fleet.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PgBouncer and replication visibility over a real PgBouncer (transaction mode, one server connection)
 * in front of a real PostgreSQL: one client holds the server connection in a transaction, a second
 * waits for it, and the API and the Prometheus scrape must show exactly that.
 */
class PgBouncerVisibilityTest {
  private static final NodeInfo SELF = AdminTestSupport.node("node-a", "cluster-a", List.of("admin"));

  private TestDatabase db;
  private PgBouncerFixture bouncer;
  private PrometheusMeterRegistry registry;
  private Vertx vertx;
  private Pool clients;
  private SqlConnection holder;
  private Future<RowSet<Row>> waiter;

  @BeforeEach
  void start() {
    db = PostgresFixture.shared().createMigratedDatabase();
    bouncer = PgBouncerFixture.transactionMode(db, 1);
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
    clients = PgBuilder.pool().with(new PoolOptions().setMaxSize(2))
        .connectingTo(PgConnectOptions.fromUri(bouncer.url()).setUseLayer7Proxy(true)).using(vertx).build();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
    bouncer.close();
    PostgresFixture.shared().drop(db);
  }

  @Test
  void poolApiAndScrapeShowTheActiveServerConnectionAndTheWaitingClient() {
    holdTheServerConnectionAndQueueOneClient();
    NodeServices services = services(Optional.of(bouncer.adminUrl()));
    int port = deployAdmin(services);
    String pool = "127.0.0.1:" + bouncer.port();

    JsonObject body = WebClient.create(vertx).get(port, "127.0.0.1", "/api/v1/pool")
        .bearerTokenAuthentication(AdminTestSupport.TOKEN).send().await().bodyAsJsonObject();
    JsonObject pgbouncer = body.getJsonObject("pgbouncer");
    assertThat(pgbouncer.getBoolean("configured")).isTrue();
    assertThat(pgbouncer.getString("name")).isEqualTo(pool);
    JsonObject row = rowOf(pgbouncer.getJsonArray("pools"), db.database());
    assertThat(row.getLong("sv_active")).isEqualTo(1);
    assertThat(row.getLong("cl_waiting")).isEqualTo(1);
    assertThat(row.getString("pool_mode")).isEqualTo("transaction");

    String scrape = registry.scrape();
    String labels = "{database=\"" + db.database() + "\",pool=\"" + pool + "\"}";
    assertThat(scrape).contains("sagaz_pgbouncer_active_connections" + labels + " 1.0");
    assertThat(scrape).contains("sagaz_pgbouncer_waiting_connections" + labels + " 1.0");
    // PgBouncer lists its admin console as a pool too; it is not a database anyone pools.
    assertThat(scrape).doesNotContain("database=\"pgbouncer\"");
    // The local server has no standby: no replication series at all, rather than a made-up zero.
    assertThat(scrape).doesNotContain("sagaz_postgres_replication_lag_seconds");

    release();
  }

  @Test
  void gaugesFollowPgBouncerAndDropWhenItStops() {
    holdTheServerConnectionAndQueueOneClient();
    deployMetrics(services(Optional.of(bouncer.adminUrl())), Duration.ofMillis(100));
    String waiting = "sagaz_pgbouncer_waiting_connections{database=\"" + db.database() + "\",pool=\"127.0.0.1:" + bouncer.port() + "\"}";
    awaitTrue(() -> registry.scrape().contains(waiting + " 1.0"), "one waiting client is shown");

    release();
    awaitTrue(() -> registry.scrape().contains(waiting + " 0.0"), "no waiting client once the holder committed");

    bouncer.close();
    awaitTrue(() -> !registry.scrape().contains("sagaz_pgbouncer_waiting_connections{"), "no stale values once PgBouncer is gone");
  }

  /**
   * Two consoles, as the seed's pgbouncer-rw and pgbouncer-ro: each gets its own {@code pool} label, a
   * refresh of one leaves the other's series alone, and one that stops loses only its own.
   */
  @Test
  void twoConsolesAreReportedSideBySideAndOneGoingAwayLeavesTheOther() {
    holdTheServerConnectionAndQueueOneClient();
    try (PgBouncerFixture ro = PgBouncerFixture.transactionMode(db, 1)) {
      // PgBouncer lists a pool once a client has logged in to it
      PgBuilder.client().connectingTo(PgConnectOptions.fromUri(ro.url()).setUseLayer7Proxy(true)).using(vertx).build()
          .query("SELECT 1").execute().await();
      NodeServices services = services(Optional.of(bouncer.adminUrl() + ", " + ro.adminUrl()));
      deployMetrics(services, Duration.ofMillis(100));
      int port = deployAdmin(services);
      String rw = "127.0.0.1:" + bouncer.port();
      String roName = "127.0.0.1:" + ro.port();
      String waitingRw = "sagaz_pgbouncer_waiting_connections{database=\"" + db.database() + "\",pool=\"" + rw + "\"}";
      String activeRo = "sagaz_pgbouncer_active_connections{database=\"" + db.database() + "\",pool=\"" + roName + "\"}";
      awaitTrue(() -> registry.scrape().contains(waitingRw + " 1.0") && registry.scrape().contains(activeRo + " 0.0"),
          "both consoles' series, rw with its waiting client");

      JsonObject body = WebClient.create(vertx).get(port, "127.0.0.1", "/api/v1/pool")
          .bearerTokenAuthentication(AdminTestSupport.TOKEN).send().await().bodyAsJsonObject();
      assertThat(body.getJsonObject("pgbouncer").getString("name")).as("the first console, as with one").isEqualTo(rw);
      assertThat(body.getJsonArray("pgbouncers").stream().map(b -> ((JsonObject) b).getString("name"))).containsExactly(rw, roName);
      assertThat(rowOf(body.getJsonArray("pgbouncers").getJsonObject(1).getJsonArray("pools"), db.database()).getLong("cl_waiting"))
          .isZero();

      ro.close();
      awaitTrue(() -> !registry.scrape().contains(activeRo), "the stopped console's series are gone");
      assertThat(registry.scrape()).contains(waitingRw + " 1.0");
    }
    release();
  }

  @Test
  void withoutAnAdminUrlThePoolApiSaysSoAndNoPgBouncerSeriesExist() {
    int port = deployAdmin(services(Optional.empty()));
    JsonObject body = WebClient.create(vertx).get(port, "127.0.0.1", "/api/v1/pool")
        .bearerTokenAuthentication(AdminTestSupport.TOKEN).send().await().bodyAsJsonObject();
    assertThat(body.getJsonObject("pgbouncer").getBoolean("configured")).isFalse();
    assertThat(registry.scrape()).doesNotContain("sagaz_pgbouncer_");
  }

  /** Client 1 holds PgBouncer's only server connection in a transaction; client 2 queues behind it. */
  private void holdTheServerConnectionAndQueueOneClient() {
    holder = clients.getConnection().await();
    holder.begin().await();
    holder.query("SELECT 1").execute().await();
    waiter = clients.query("SELECT 2").execute();
    PgBouncerConsole console = PgBouncerConsole.create(vertx,
        new DbConfig(Optional.of(db.url()), Optional.empty(), 1, 0, false, Optional.of(bouncer.adminUrl()))).get(0);
    awaitTrue(() -> rowOf(new JsonArray(List.copyOf(console.showPools().await())), db.database()).getLong("cl_waiting") == 1,
        "PgBouncer counts the second client as waiting");
    console.close().await();
  }

  private void release() {
    holder.query("COMMIT").execute().await();
    assertThat(waiter.await().iterator().next().getInteger(0)).isEqualTo(2);
  }

  private NodeServices services(Optional<String> adminUrl) {
    SagazConfig c = AdminTestSupport.config(db.url());
    DbConfig dbc = new DbConfig(c.db().url(), Optional.empty(), c.db().poolSize(), 0, false, adminUrl);
    SagazConfig config = new SagazConfig(c.node(), c.cluster(), dbc, c.admin(), c.outbox(), c.kafka(), c.rabbitmq(),
        c.saga(), c.maintenance());
    return new NodeServices(config, AdminTestSupport.pool(vertx, db.url()), registry,
        AdminTestSupport.view(SELF, () -> List.of(SELF)), AdminTestSupport.TOKEN);
  }

  private int deployAdmin(NodeServices services) {
    AdminModule module = new AdminModule();
    module.deploy(vertx, services).await();
    return module.port();
  }

  private void deployMetrics(NodeServices services, Duration interval) {
    vertx.deployVerticle(new DbMetricsVerticle(services.pool(), services.config().db(), new DbMetrics(registry), interval)).await();
  }

  private static JsonObject rowOf(JsonArray pools, String database) {
    return pools.stream().map(JsonObject.class::cast).filter(p -> database.equals(p.getString("database")))
        .findFirst().orElseThrow(() -> new AssertionError("no SHOW POOLS row for " + database + " in " + pools));
  }

  private static void awaitTrue(BooleanSupplier condition, String what) {
    assertThat(NodeProcess.eventually(Duration.ofSeconds(20), condition)).as("within 20 s: " + what).isTrue();
  }

}
