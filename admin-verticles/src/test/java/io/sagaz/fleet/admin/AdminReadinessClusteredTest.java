package io.sagaz.fleet.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sagaz.fleet.client.node.ClusterView;
import io.sagaz.fleet.client.node.NodeInfo;
import io.sagaz.fleet.testkit.PostgresFixture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Readiness on a node that really joined a cluster: a clustered Vert.x over a loopback Hazelcast
 * with its own cluster name, and a ClusterView over that cluster manager's member list (what the
 * app's view reports, minus the roles map).
 */
@ExtendWith(VertxExtension.class)
class AdminReadinessClusteredTest {
  private static Vertx vertx;
  private static WebClient client;
  private static int port;
  /** Lets a test pretend the member list no longer contains this node (e.g. after a split). */
  private static final AtomicBoolean hideSelf = new AtomicBoolean();

  @BeforeAll
  static void startClusteredNode() {
    HazelcastClusterManager manager = new HazelcastClusterManager(loopbackConfig());
    vertx = Vertx.builder().withClusterManager(manager).buildClustered().await();
    client = WebClient.create(vertx);
    String self = manager.getNodeId();
    ClusterView view = new ClusterView() {
      @Override
      public NodeInfo self() {
        return AdminTestSupport.node("clustered", self, List.of("admin"));
      }

      @Override
      public Future<List<NodeInfo>> members() {
        return Future.succeededFuture(manager.getNodes().stream()
            .filter(id -> !(hideSelf.get() && id.equals(self)))
            .map(id -> AdminTestSupport.node(id, id, List.of("admin")))
            .toList());
      }
    };
    String url = PostgresFixture.shared().createMigratedDatabase().url();
    AdminModule module = new AdminModule();
    module.deploy(vertx, AdminTestSupport.services(vertx, url, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), view)).await();
    port = module.port();
  }

  @AfterAll
  static void stop() {
    if (vertx != null) {
      vertx.close().await();
    }
  }

  @Test
  void readyIs200WhenDatabaseIsReachableMigratedAndTheNodeJoinedTheCluster(VertxTestContext tc) {
    hideSelf.set(false);
    client.request(HttpMethod.GET, port, "127.0.0.1", "/health/ready").send()
        .onComplete(tc.succeeding(r -> tc.verify(() -> {
          assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
          JsonObject body = r.bodyAsJsonObject();
          assertThat(body.getString("status")).isEqualTo("UP");
          assertThat(body.getJsonArray("checks")).hasSize(3);
          tc.completeNow();
        })));
  }

  @Test
  void readyIs503WhenTheMemberListDoesNotContainThisNode(VertxTestContext tc) {
    hideSelf.set(true);
    client.request(HttpMethod.GET, port, "127.0.0.1", "/health/ready").send()
        .eventually(() -> {
          hideSelf.set(false);
          return Future.succeededFuture();
        })
        .onComplete(tc.succeeding(r -> tc.verify(() -> {
          assertThat(r.statusCode()).isEqualTo(503);
          assertThat(r.bodyAsString()).contains("is not among the 0 cluster members");
          tc.completeNow();
        })));
  }

  /** Loopback only, no multicast, a cluster name no other test uses (field-notes.md, Hazelcast). */
  private static Config loopbackConfig() {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName("sagaz-admin-test-" + UUID.randomUUID());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(5701).setPortAutoIncrement(true).setPortCount(100);
    network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).addMember("127.0.0.1");
    return config;
  }
}
