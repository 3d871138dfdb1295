package io.sagaz.fleet.outbox;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sagaz.fleet.client.node.ClusterView;
import io.sagaz.fleet.client.node.NodeInfo;
import io.sagaz.fleet.client.node.NodeServices;
import io.sagaz.fleet.client.outbox.OutboxEvent;
import io.sagaz.fleet.client.outbox.OutboxWriter;
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
import io.sagaz.fleet.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * One outbox "node" inside the test JVM: its own Vert.x, pool and meters, the real OutboxModule
 * deployed on them. Several of them over one database behave like several nodes (membership comes
 * from a shared {@link Members} list instead of Hazelcast, which the app wires in).
 */
final class TestNode implements AutoCloseable {
  final Vertx vertx;
  final Pool pool;
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final SagazConfig config;
  final OutboxWriter writer;

  /** The member list several test nodes share. */
  static final class Members {
    final List<NodeInfo> nodes = new CopyOnWriteArrayList<>();

    ClusterView viewFor(String nodeId) {
      NodeInfo self = new NodeInfo(nodeId, nodeId, List.of(Role.OUTBOX.id()), null, Instant.now());
      nodes.add(self);
      return new ClusterView() {
        @Override
        public NodeInfo self() {
          return self;
        }

        @Override
        public Future<List<NodeInfo>> members() {
          return Future.succeededFuture(List.copyOf(nodes));
        }
      };
    }

    void remove(String nodeId) {
      nodes.removeIf(n -> n.nodeId().equals(nodeId));
    }
  }

  private TestNode(Vertx vertx, Pool pool, SagazConfig config) {
    this.vertx = vertx;
    this.pool = pool;
    this.config = config;
    this.writer = new OutboxWriter(vertx, config.outbox().maxPayloadBytes());
  }

  /** Outbox settings sized for tests: short intervals, short backoff, quick claim recovery. */
  static OutboxConfig outbox(OutboxConfig.Relay relay, OutboxConfig.Ordering ordering, int pollers, int maxAttempts) {
    return new OutboxConfig(relay, ordering, pollers, 200, 200, Duration.ofMillis(200), maxAttempts,
        Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(6), 16, 1 << 20, 7);
  }

  static SagazConfig config(String nodeId, OutboxConfig outbox, String kafkaBootstrap, String rabbitUri, String exchange) {
    return config(nodeId, outbox, kafkaBootstrap, rabbitUri, exchange, 100);
  }

  static SagazConfig config(String nodeId, OutboxConfig outbox, String kafkaBootstrap, String rabbitUri, String exchange,
      int confirmWindow) {
    return new SagazConfig(
        new NodeConfig(nodeId, Set.of(Role.OUTBOX), Path.of("target", "node-" + nodeId), false),
        new ClusterConfig(null, "test", "127.0.0.1", 0, Duration.ofSeconds(10)),
        new DbConfig(Optional.empty(), Optional.empty(), 8, 0),
        new AdminConfig("127.0.0.1", 0, Optional.empty()),
        outbox,
        new KafkaConfig(kafkaBootstrap == null ? "localhost:9" : kafkaBootstrap, Map.of()),
        new RabbitMqConfig(rabbitUri == null ? "amqp://guest:guest@127.0.0.1:9" : rabbitUri, exchange == null ? "sagaz.outbox" : exchange, confirmWindow),
        new SagaConfig(null, Duration.ofSeconds(30), Duration.ofSeconds(5)),
        new MaintenanceConfig(Duration.ofMinutes(1), Duration.ofSeconds(30), Duration.ofSeconds(5), 3, 7, 12, 30, 90));
  }

  /** A Vert.x and pool on {@code db} without the module: for tests that drive parts by hand. */
  static TestNode bare(TestDatabase db, SagazConfig config) {
    Vertx vertx = Vertx.vertx();
    Pool pool = PgBuilder.pool()
        .connectingTo(PgConnectOptions.fromUri(db.url()))
        .with(new PoolOptions().setMaxSize(8))
        .using(vertx)
        .build();
    return new TestNode(vertx, pool, config);
  }

  /** Starts a node with the OutboxModule deployed. */
  static TestNode start(TestDatabase db, SagazConfig config, ClusterView cluster) {
    TestNode node = bare(db, config);
    new OutboxModule().deploy(node.vertx, new NodeServices(config, node.pool, node.meters, cluster, "test-token-0123456789"))
        .await();
    return node;
  }

  static TestNode start(TestDatabase db, SagazConfig config) {
    return start(db, config, new Members().viewFor(config.node().id()));
  }

  /** Writes the events in one committed transaction. */
  List<java.util.UUID> commit(List<OutboxEvent> events) {
    return pool.withTransaction(conn -> writer.write(conn, events)).await();
  }

  /** Writes the events in a transaction that then rolls back. */
  void rollBack(List<OutboxEvent> events) {
    pool.withTransaction(conn -> writer.write(conn, events).compose(ids -> Future.failedFuture("roll back on purpose")))
        .otherwiseEmpty().await();
  }

  @Override
  public void close() {
    // Undeploy first, as a node's graceful shutdown does: pollers drain while the pool is still open.
    Future.join(vertx.deploymentIDs().stream().map(vertx::undeploy).toList()).otherwiseEmpty().await();
    vertx.close().await();
  }

  // ---- database probes (JDBC, so they do not depend on the code under test) ----

  static long count(TestDatabase db, String where) {
    try (var c = db.connect(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM saga_outbox WHERE " + where)) {
      rs.next();
      return rs.getLong(1);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Status counts, attempts and last errors, for assertion messages. */
  static String statuses(TestDatabase db) {
    StringBuilder b = new StringBuilder();
    try (var c = db.connect(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT status, count(*), max(attempts), max(claimed_by), max(last_error), "
            + "max(next_attempt_at - now()) FROM saga_outbox GROUP BY status")) {
      while (rs.next()) {
        b.append(rs.getString(1)).append('=').append(rs.getLong(2)).append(" maxAttempts=").append(rs.getInt(3))
            .append(" claimedBy=").append(rs.getString(4)).append(" lastError=").append(rs.getString(5))
            .append(" nextIn=").append(rs.getString(6)).append('\n');
      }
    } catch (Exception e) {
      b.append(e);
    }
    return b.toString();
  }

  static void exec(TestDatabase db, String sql) {
    try (var c = db.connect(); Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Polls {@code condition} every 100 ms until it holds or {@code timeout} passes; returns whether it held. */
  static boolean await(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return condition.getAsBoolean();
  }
}
