package io.sagaz.fleet.admin;

import io.micrometer.core.instrument.MeterRegistry;
import io.sagaz.fleet.client.node.ClusterView;
import io.sagaz.fleet.client.node.NodeInfo;
import io.sagaz.fleet.client.node.NodeServices;
import io.sagaz.fleet.core.config.AdminConfig;
import io.sagaz.fleet.core.config.ClusterConfig;
import io.sagaz.fleet.core.config.DbConfig;
import io.sagaz.fleet.core.config.KafkaConfig;
import io.sagaz.fleet.core.config.MaintenanceConfig;
import io.sagaz.fleet.core.config.NodeConfig;
import io.sagaz.fleet.core.config.OutboxConfig;
import io.sagaz.fleet.core.config.RabbitMqConfig;
import io.sagaz.fleet.core.config.Role;
import io.sagaz.fleet.core.config.SagaConfig;
import io.sagaz.fleet.core.config.SagazConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** Builds what the app would hand AdminModule, over real components. */
final class AdminTestSupport {
  static final String TOKEN = "test-admin-token-0123456789";
  static final int POOL_SIZE = 4;

  private AdminTestSupport() {}

  static SagazConfig config(String dbUrl) {
    return new SagazConfig(
        new NodeConfig("admin-test", Set.of(Role.ADMIN), Path.of("target/admin-test"), false),
        new ClusterConfig(null, "sagaz-test", "127.0.0.1", 0, Duration.ofSeconds(10)),
        new DbConfig(Optional.of(dbUrl), Optional.empty(), POOL_SIZE, 0),
        new AdminConfig("127.0.0.1", 0, Optional.of(TOKEN)),
        new OutboxConfig(OutboxConfig.Relay.EVENTBUS, OutboxConfig.Ordering.NONE, 1, 100, 100, Duration.ofSeconds(1),
            5, Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofMinutes(1), 16, 1_000_000, 2),
        new KafkaConfig("127.0.0.1:9092", Map.of()),
        new RabbitMqConfig("amqp://guest:guest@127.0.0.1:5672", "sagaz.outbox", 100),
        new SagaConfig(null, Duration.ofSeconds(30), Duration.ofSeconds(10)),
        new MaintenanceConfig(Duration.ofMinutes(10), Duration.ofSeconds(30), Duration.ofSeconds(5), 3, 7, 12, 30, 90));
  }

  static Pool pool(Vertx vertx, String url) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(POOL_SIZE).setName("sagaz-admin-test"))
        .connectingTo(PgConnectOptions.fromUri(url).addProperty("application_name", "sagaz-admin-test"))
        .using(vertx)
        .build();
  }

  static NodeServices services(Vertx vertx, String dbUrl, MeterRegistry meters, ClusterView cluster) {
    return new NodeServices(config(dbUrl), pool(vertx, dbUrl), meters, cluster, TOKEN);
  }

  /** A URL of a PostgreSQL that is not there: a port that was free a moment ago. */
  static String unreachableDbUrl() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return "postgresql://postgres@127.0.0.1:" + s.getLocalPort() + "/nowhere";
    }
  }

  static NodeInfo node(String nodeId, String clusterNodeId, List<String> roles) {
    return new NodeInfo(nodeId, clusterNodeId, roles, null, Instant.parse("2026-01-01T00:00:00Z"));
  }

  /** A cluster view whose members are whatever the supplier says at the time of the call. */
  static ClusterView view(NodeInfo self, Supplier<List<NodeInfo>> members) {
    return new ClusterView() {
      @Override
      public NodeInfo self() {
        return self;
      }

      @Override
      public Future<List<NodeInfo>> members() {
        return Future.succeededFuture(members.get());
      }
    };
  }
}
