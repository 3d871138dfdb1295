package io.sagaz.fleet.outbox;

import io.sagaz.fleet.client.node.FleetModule;
import io.sagaz.fleet.client.node.NodeServices;
import io.sagaz.fleet.core.config.OutboxConfig;
import io.sagaz.fleet.core.config.SagazConfig;
import io.sagaz.fleet.outbox.relay.EventBusRelay;
import io.sagaz.fleet.outbox.relay.KafkaRelay;
import io.sagaz.fleet.outbox.relay.RabbitMqRelay;
import io.sagaz.fleet.outbox.relay.Relay;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Deploys the outbox role: {@code outbox.pollers} poller instances, each with a relay chosen by
 * {@code outbox.relay} (Kafka relays share one producer per node), and the {@link Wakeups} that hands
 * them the writers' hints; the admin/metrics verticle; and in ordered mode the shard-lease keeper.
 *
 * <p>Each publish attempt must settle within half the claim timeout, so a batch is always marked while
 * its claim is still ours; shard leases last half the claim timeout too, so a shard's new owner never
 * recovers a claim before the old owner's lease (and with it its right to claim) has run out.
 */
public final class OutboxModule implements FleetModule {
  @Override
  public Future<Void> deploy(Vertx vertx, NodeServices services) {
    SagazConfig config = services.config();
    OutboxConfig outbox = config.outbox();
    OutboxMetrics metrics = new OutboxMetrics(services.meters());
    Duration half = outbox.claimTimeout().dividedBy(2);
    Duration attemptTimeout = half.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : half;
    String nodeId = config.node().id();
    boolean ordered = outbox.ordering() == OutboxConfig.Ordering.PER_AGGREGATE;
    String holder = ordered ? nodeId + "/" + UUID.randomUUID() : null;
    Supplier<Relay> relays = relays(vertx, config, attemptTimeout);

    Future<?> leases = ordered
        ? vertx.deployVerticle(() -> new ShardLeaseVerticle(services.pool(), services.cluster(), holder, outbox.shards(), attemptTimeout),
            new DeploymentOptions())
        : Future.succeededFuture();
    Future<?> admin = vertx.deployVerticle(() -> new OutboxAdminVerticle(services.pool(), services.analyticsPool(), metrics, Duration.ofSeconds(5)),
        new DeploymentOptions());
    AtomicInteger n = new AtomicInteger();
    Wakeups wakeups = new Wakeups(outbox.pollInterval());
    ClaimCursor cursor = new ClaimCursor(outbox.pollInterval());
    RelayOutage outage = new RelayOutage(metrics.relayUnavailable);
    Future<?> pollers = outbox.pollers() == 0 ? Future.succeededFuture()
        : leases.compose(v -> vertx.deployVerticle(wakeups)).compose(v -> vertx.deployVerticle(
            () -> new OutboxPoller(outbox, new OutboxStore(services.pool(), outbox, nodeId + "/p" + n.incrementAndGet(), holder, cursor),
                relays, metrics, attemptTimeout, wakeups, outage),
            new DeploymentOptions().setInstances(outbox.pollers())));
    return Future.all(leases, admin, pollers).mapEmpty();
  }

  private static Supplier<Relay> relays(Vertx vertx, SagazConfig config, Duration attemptTimeout) {
    return switch (config.outbox().relay()) {
      case KAFKA -> KafkaRelay.sharingOneProducer(vertx, config.kafka(), attemptTimeout);
      case RABBITMQ -> () -> new RabbitMqRelay(vertx, config.rabbitmq());
      case EVENTBUS -> () -> new EventBusRelay(vertx, attemptTimeout);
    };
  }
}
