package io.sagaz.fleet.bench.outbox;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sagaz.fleet.app.node.NodeRuntime;
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
import io.sagaz.fleet.outbox.OutboxModule;
import io.sagaz.fleet.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The real OutboxModule on its own Vert.x and pool, as a node deploys it, for the benchmark. */
final class BenchNode implements AutoCloseable {
  final Vertx vertx = Vertx.vertx();
  final Pool pool;
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  BenchNode(TestDatabase db, OutboxConfig outbox, String kafka, String rabbitUri, String exchange, int poolSize) {
    pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(poolSize))
        .connectingTo(NodeRuntime.connectOptions(db.url(), false)).using(vertx).build();
    SagazConfig config = new SagazConfig(
        new NodeConfig("bench", Set.of(Role.OUTBOX), Path.of("target", "bench-node"), false),
        new ClusterConfig(null, "bench", "127.0.0.1", 0, Duration.ofSeconds(10)),
        new DbConfig(Optional.empty(), Optional.empty(), poolSize, 0),
        new AdminConfig("127.0.0.1", 0, Optional.empty()),
        outbox,
        new KafkaConfig(kafka, producerOverrides()),
        new RabbitMqConfig(rabbitUri, exchange, 256),
        new SagaConfig(null, Duration.ofSeconds(30), Duration.ofSeconds(5)),
        new MaintenanceConfig(Duration.ofMinutes(1), Duration.ofSeconds(30), Duration.ofSeconds(5), 3, 7, 12, 30, 90));
    NodeInfo self = new NodeInfo("bench", "bench", List.of(Role.OUTBOX.id()), null, Instant.now());
    ClusterView alone = new ClusterView() {
      @Override
      public NodeInfo self() {
        return self;
      }

      @Override
      public Future<List<NodeInfo>> members() {
        return Future.succeededFuture(List.of(self));
      }
    };
    new OutboxModule().deploy(vertx, new NodeServices(config, pool, meters, alone, "bench-token-0123456789")).await();
  }

  /** {@code -Dbench.kafka.linger.ms=0} and the like: producer settings to try, as kafka.producer takes them. */
  private static Map<String, String> producerOverrides() {
    Map<String, String> p = new java.util.HashMap<>();
    System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("bench.kafka."))
        .forEach(k -> p.put(k.substring("bench.kafka.".length()), System.getProperty(k)));
    return p;
  }

  static OutboxConfig outbox(OutboxConfig.Relay relay, int pollers, int batch) {
    return new OutboxConfig(relay, OutboxConfig.Ordering.NONE, pollers, batch, batch, Duration.ofMillis(500), 10,
        Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(60), 16, 1 << 20, 7);
  }

  /** Events the broker acknowledged and the outbox marked sent, as the module counts them. */
  long published() {
    return (long) meters.get("outbox.published.events").counter().count();
  }

  @Override
  public void close() {
    Future.join(vertx.deploymentIDs().stream().map(vertx::undeploy).toList()).otherwiseEmpty().await();
    vertx.close().await();
  }
}
