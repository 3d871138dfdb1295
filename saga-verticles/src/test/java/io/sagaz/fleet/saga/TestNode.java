package io.sagaz.fleet.saga;

import com.hazelcast.config.Config;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import io.sagaz.fleet.core.saga.SagaDefinition;
import io.sagaz.fleet.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One fleet node for tests: a (local or clustered) Vert.x, a pool on a real test database, the saga module. */
final class TestNode implements AutoCloseable {
  final String id;
  final Vertx vertx;
  final Pool pool;
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  private TestNode(String id, Vertx vertx, TestDatabase db) {
    this.id = id;
    this.vertx = vertx;
    this.pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(8))
        .connectingTo(PgConnectOptions.fromUri(db.url())).using(vertx).build();
  }

  static TestNode local(String id, TestDatabase db) {
    return new TestNode(id, Vertx.vertx(), db);
  }

  /** A member of a Hazelcast cluster on loopback (field-notes.md): distinct cluster names keep tests apart. */
  static TestNode clustered(String id, String clusterName, TestDatabase db) {
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName(clusterName);
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.wait.seconds.before.join", "0");
    hz.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
    var net = hz.getNetworkConfig();
    net.setPort(5801).setPortAutoIncrement(true).setPortCount(40);
    net.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    var join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).addMember("127.0.0.1");
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setEventBusOptions(new EventBusOptions().setHost("127.0.0.1").setPort(0)))
        .withClusterManager(new HazelcastClusterManager(hz))
        .buildClustered().await();
    return new TestNode(id, vertx, db);
  }

  /** Deploys {@link SagaModule} as the app does, with {@code defs} built in code and YAML from {@code dir}. */
  Future<Void> deploySagas(List<SagaDefinition> defs, Path dir, Duration lease, boolean demo) {
    return new SagaModule(defs).deploy(vertx, services(dir, lease, demo));
  }

  NodeServices services(Path dir, Duration lease, boolean demo) {
    SagazConfig cfg = new SagazConfig(
        new NodeConfig(id, EnumSet.of(Role.SAGA), Path.of("target"), demo),
        new ClusterConfig(null, "test", "127.0.0.1", 0, Duration.ofSeconds(5)),
        new DbConfig(Optional.of("postgresql://postgres@127.0.0.1:5432/x"), Optional.empty(), 8, 0),
        new AdminConfig("127.0.0.1", 0, Optional.empty()),
        new OutboxConfig(OutboxConfig.Relay.EVENTBUS, OutboxConfig.Ordering.NONE, 1, 100, 100, Duration.ofSeconds(1),
            5, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(30), 4, 65536, 2),
        new KafkaConfig("127.0.0.1:9092", Map.of()),
        new RabbitMqConfig("amqp://guest:guest@127.0.0.1:5672", "sagaz.outbox", 100),
        new SagaConfig(dir, lease, Duration.ofMillis(200)),
        new MaintenanceConfig(Duration.ofMinutes(1), Duration.ofSeconds(30), Duration.ofSeconds(5), 2, 7, 12, 30, 90));
    ClusterView view = new ClusterView() {
      @Override
      public NodeInfo self() {
        return new NodeInfo(id, id, List.of("saga"), null, Instant.now());
      }

      @Override
      public Future<List<NodeInfo>> members() {
        return Future.succeededFuture(List.of(self()));
      }
    };
    return new NodeServices(cfg, pool, meters, view, "test-token-0123456789");
  }

  /**
   * Dies like a crashed process as far as sagas are concerned: the database goes first, so the
   * node cannot hand its leases over; they must run out before another node resumes its sagas.
   */
  void crash() {
    pool.close().await();
    vertx.close().await();
  }

  /** A graceful stop: verticles stop first (handing leases over), the pool goes with the Vert.x instance. */
  @Override
  public void close() {
    // undeploy before closing: Vert.x closes the pool (a close hook) before it undeploys verticles
    Future.all(vertx.deploymentIDs().stream().map(vertx::undeploy).toList()).await();
    vertx.close().await();
  }
}
