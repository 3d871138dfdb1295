package io.sagaz.fleet.admin;

import static io.sagaz.fleet.admin.AdminTestSupport.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sagaz.fleet.client.node.NodeInfo;
import io.sagaz.fleet.client.node.NodeServices;
import io.sagaz.fleet.testkit.PostgresFixture;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admin API in front of the real maintenance module (not test consumers): the leader it elects
 * shows in /cluster, its partition statistics come back through /partitions, and its own refusals
 * reach the HTTP client with their FailureCode as the status.
 */
class AdminWithMaintenanceTest {
  private static Vertx vertx;
  private static WebClient client;
  private static int port;

  @BeforeAll
  static void startNode() {
    vertx = Vertx.vertx();
    client = WebClient.create(vertx);
    String url = PostgresFixture.shared().createMigratedDatabase().url();
    NodeInfo self = AdminTestSupport.node("admin-test", "cluster-self", List.of("admin", "maintenance"));
    NodeServices services = AdminTestSupport.services(vertx, url, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
        AdminTestSupport.view(self, () -> List.of(self)));
    new MaintenanceModule().deploy(vertx, services).await();
    AdminModule admin = new AdminModule();
    admin.deploy(vertx, services).await();
    port = admin.port();
    awaitLeadership();
  }

  /** The module elects itself (the only candidate); poll /cluster, bounded, until it says so. */
  private static void awaitLeadership() {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      JsonObject leader = call(HttpMethod.GET, "/api/v1/cluster", null).bodyAsJsonObject().getJsonObject("maintenanceLeader");
      if (leader != null && "admin-test".equals(leader.getString("leader"))) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the maintenance module did not become leader in 20 s; last answer: " + leader);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @Test
  void clusterShowsTheLeaderTheMaintenanceModuleElected() {
    JsonObject leader = call(HttpMethod.GET, "/api/v1/cluster", null).bodyAsJsonObject().getJsonObject("maintenanceLeader");
    assertThat(leader.getString("leader")).isEqualTo("admin-test");
    assertThat(leader.getLong("epoch")).isPositive();
  }

  @Test
  void partitionsListsTheStatisticsOfEveryPartitionedTable() {
    HttpResponse<Buffer> r = call(HttpMethod.GET, "/api/v1/partitions", null);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    assertThat(r.bodyAsString()).contains("saga_executions", "saga_audit_log", "saga_outbox");
  }

  @Test
  void aRangeTheSchemaAcceptsButTheMaintainerRefusesIs400WithItsReason() {
    JsonObject backwards = new JsonObject().put("table", "saga_outbox").put("from", "2026-02-10").put("to", "2026-02-01");
    HttpResponse<Buffer> r = call(HttpMethod.POST, "/api/v1/partitions", backwards);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(400);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(r.bodyAsJsonObject().getString("detail")).contains("from");
  }

  private static HttpResponse<Buffer> call(HttpMethod method, String path, JsonObject body) {
    var request = client.request(method, port, "127.0.0.1", path).putHeader("Authorization", "Bearer " + TOKEN);
    return (body == null ? request.send() : request.sendJsonObject(body)).await();
  }
}
