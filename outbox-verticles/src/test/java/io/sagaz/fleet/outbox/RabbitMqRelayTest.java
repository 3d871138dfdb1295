package io.sagaz.fleet.outbox;

import static io.sagaz.fleet.outbox.TestNode.count;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.sagaz.fleet.client.Addresses;
import io.sagaz.fleet.client.outbox.OutboxEvent;
import io.sagaz.fleet.core.config.OutboxConfig;
import io.sagaz.fleet.core.config.RabbitMqConfig;
import io.sagaz.fleet.core.outbox.OutboxRecord;
import io.sagaz.fleet.outbox.relay.RabbitMqRelay;
import io.sagaz.fleet.testkit.PostgresFixture;
import io.sagaz.fleet.testkit.RabbitMqFixture;
import io.sagaz.fleet.testkit.TcpProxy;
import io.sagaz.fleet.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Against a real RabbitMQ: mandatory returns and topic-exchange routing are RabbitMQ behaviour. */
class RabbitMqRelayTest {

  /** Declares the exchange and a queue bound to {@code topic}, and collects message ids from it. */
  private static final class Queue implements AutoCloseable {
    final Connection conn;
    final Channel ch;
    final String name;
    final Set<String> ids = new HashSet<>();
    /** Every message taken from the queue, duplicates included. */
    int deliveries;

    Queue(RabbitMqFixture rabbit, String exchange, String topic) throws Exception {
      conn = rabbit.connect();
      ch = conn.createChannel();
      ch.exchangeDeclare(exchange, "topic", true);
      name = ch.queueDeclare("", false, true, true, null).getQueue();
      ch.queueBind(name, exchange, topic);
    }

    Set<String> drain() {
      try {
        GetResponse r;
        while ((r = ch.basicGet(name, true)) != null) {
          ids.add(r.getProps().getMessageId());
          deliveries++;
          assertThat(r.getProps().getHeaders()).containsKeys("event_id", "event_type", "aggregate_id");
        }
        return ids;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void close() throws Exception {
      conn.close();
    }
  }

  private static Set<String> ids(List<UUID> ids) {
    return ids.stream().map(UUID::toString).collect(Collectors.toSet());
  }

  @Test
  void everyCommittedEventArrivesByIdAndRolledBackOnesNever() throws Exception {
    RabbitMqFixture rabbit = RabbitMqFixture.rabbitMq();
    String exchange = "sagaz.test." + UUID.randomUUID();
    String topic = "orders.created";
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    var cfg = TestNode.config("r1", TestNode.outbox(OutboxConfig.Relay.RABBITMQ, OutboxConfig.Ordering.NONE, 2, 5),
        null, rabbit.uri(), exchange);
    try (Queue q = new Queue(rabbit, exchange, topic); TestNode node = TestNode.start(db, cfg)) {
      Set<String> committed = new HashSet<>();
      for (int i = 0; i < 8; i++) {
        committed.addAll(ids(node.commit(Events.many(topic, 50))));
      }
      List<OutboxEvent> doomed = Events.many(topic, 25);
      node.rollBack(doomed);

      assertThat(TestNode.await(Duration.ofSeconds(60), () -> q.drain().containsAll(committed))).isTrue();
      assertThat(TestNode.await(Duration.ofSeconds(20), () -> count(db, "status = 'sent'") == committed.size())).isTrue();
      assertThat(q.drain()).doesNotContainAnyElementsOf(doomed.stream().map(e -> e.eventId().toString()).toList());
    }
  }

  @Test
  void anUnroutableMessageIsNeverMarkedSentAndIsDeliveredAfterReplayOnceRoutable() throws Exception {
    RabbitMqFixture rabbit = RabbitMqFixture.rabbitMq();
    String exchange = "sagaz.test." + UUID.randomUUID();
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    var cfg = TestNode.config("r2", TestNode.outbox(OutboxConfig.Relay.RABBITMQ, OutboxConfig.Ordering.NONE, 1, 2),
        null, rabbit.uri(), exchange);
    try (TestNode node = TestNode.start(db, cfg)) {
      UUID id = node.commit(Events.many("nobody.listens", 1)).get(0);

      assertThat(TestNode.await(Duration.ofSeconds(30), () -> count(db, "status = 'dead_letter'") == 1)).isTrue();
      assertThat(count(db, "status = 'sent'")).isZero();
      assertThat(count(db, "last_error LIKE '%unroutable%NO_ROUTE%'")).isEqualTo(1);

      JsonObject listed = node.vertx.eventBus().<JsonObject>request(Addresses.OUTBOX_DEAD_LETTERS, new JsonObject().put("version", 1))
          .await().body();
      assertThat(listed.getJsonArray("deadLetters")).singleElement()
          .satisfies(d -> assertThat(((JsonObject) d).getString("lastError")).contains("unroutable"));

      try (Queue q = new Queue(rabbit, exchange, "nobody.listens")) {
        JsonObject replay = node.vertx.eventBus().<JsonObject>request(Addresses.OUTBOX_REPLAY,
            new JsonObject().put("version", 1).put("ids", new JsonArray().add(id.toString()))).await().body();
        assertThat(replay.getInteger("replayed")).isEqualTo(1);
        assertThat(TestNode.await(Duration.ofSeconds(30), () -> q.drain().contains(id.toString()))).isTrue();
        assertThat(TestNode.await(Duration.ofSeconds(10), () -> count(db, "status = 'sent' AND replay_count = 1") == 1)).isTrue();
      }
    }
  }

  @Test
  void anOutageLongerThanTheRetryBudgetDeadLettersNothingAndCountsNoAttempt() throws Exception {
    brokerGoneFor20Seconds(TcpProxy::cut, OutboxConfig.Ordering.NONE);
  }

  /** Status claims give the events back instead of leaving them unmarked; the same must hold. */
  @Test
  void inOrderedModeAnOutageCountsNoAttemptEither() throws Exception {
    brokerGoneFor20Seconds(TcpProxy::cut, OutboxConfig.Ordering.PER_AGGREGATE);
  }

  /** RabbitMQ under a memory alarm blocks publishers the same way: the connection stays, nothing is confirmed. */
  @Test
  void aBrokerThatStopsAnsweringIsAnOutageTooAndCountsNoAttempt() throws Exception {
    brokerGoneFor20Seconds(TcpProxy::stall, OutboxConfig.Ordering.NONE);
  }

  /**
   * 100 events delivered, then the broker goes away ({@code outage} on the proxy in front of it) for
   * 20 s while events keep being committed, with a retry budget of 3 attempts 200-400 ms apart and a
   * 2 s attempt timeout: nothing may be counted, failed or dead-lettered; afterwards every event is
   * delivered, on its first counted attempt.
   */
  private static void brokerGoneFor20Seconds(java.util.function.Consumer<TcpProxy> outage, OutboxConfig.Ordering ordering)
      throws Exception {
    OutboxConfig outbox = new OutboxConfig(OutboxConfig.Relay.RABBITMQ, ordering, 2, 200, 200,
        Duration.ofMillis(200), 3, Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofSeconds(4), 16, 1 << 20, 7);
    behindProxy("orders.outage", outbox, 100, (db, proxy, q, node) -> {
      String topic = "orders.outage";
      Set<String> committed = new HashSet<>(ids(node.commit(Events.many(topic, 100))));
      assertThat(TestNode.await(Duration.ofSeconds(30), () -> count(db, "status = 'sent'") == 100)).isTrue();

      outage.accept(proxy);
      Outages.commitThroughout(node, topic, 20, Duration.ofSeconds(20), committed);
      assertThat(Outages.pausedPollers(node)).as("pollers paused during the outage").isPositive();
      Outages.assertNothingCounted(db, node);
      proxy.restore();

      Outages.assertAllSentOnce(db, committed.size());
      assertThat(TestNode.await(Duration.ofSeconds(30), () -> q.drain().containsAll(committed))).isTrue();
    });
  }

  /**
   * A hand-written row whose headers are not an object, claimed with events that meet a stalled broker
   * (connected, confirming nothing): it fails before reaching the broker, so it tells nothing about
   * the broker. It uses up its attempts; the events around it, which got no answer, count none.
   */
  @Test
  void aMalformedEventAmongAStallDeadLettersAloneAndChargesTheOthersNothing() throws Exception {
    OutboxConfig outbox = new OutboxConfig(OutboxConfig.Relay.RABBITMQ, OutboxConfig.Ordering.NONE, 2, 200, 200,
        Duration.ofMillis(200), 3, Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofSeconds(4), 16, 1 << 20, 7);
    String topic = "orders.malformed";
    behindProxy(topic, outbox, 100, (db, proxy, q, node) -> {
      Set<String> committed = new HashSet<>(ids(node.commit(Events.many(topic, 20))));
      assertThat(TestNode.await(Duration.ofSeconds(30), () -> count(db, "status = 'sent'") == 20)).isTrue();

      proxy.stall();
      TestNode.exec(db, "INSERT INTO saga_outbox (aggregate_type, aggregate_id, event_type, topic, payload, headers)"
          + " VALUES ('order', 'o-x', 'StringHeaders', '" + topic + "', '{}', '\"x\"')");
      Outages.commitThroughout(node, topic, 10, Duration.ofSeconds(12), committed);

      // the pollers pause while the broker answers nothing, so the malformed row is tried less often then
      assertThat(count(db, "event_type = 'StringHeaders' AND attempts >= 1 AND last_error LIKE '%headers: must be a JSON object%'"))
          .as("the malformed event's attempts count:\n%s", TestNode.statuses(db)).isEqualTo(1);
      assertThat(count(db, "event_type <> 'StringHeaders' AND (status IN ('failed', 'dead_letter') OR (status <> 'sent' AND attempts > 0))"))
          .as("attempts charged to events that met the stall:\n%s", TestNode.statuses(db)).isZero();
      proxy.restore();

      assertThat(TestNode.await(Duration.ofSeconds(90), () -> count(db, "status = 'sent'") == committed.size()
          && count(db, "status = 'dead_letter'") == 1)).as(() -> TestNode.statuses(db)).isTrue();
      assertThat(count(db, "status = 'sent' AND attempts <> 1")).as("sent after more than one counted attempt").isZero();
      assertThat(count(db, "status = 'dead_letter' AND event_type = 'StringHeaders' AND attempts = 3")).isEqualTo(1);
      assertThat(TestNode.await(Duration.ofSeconds(30), () -> q.drain().containsAll(committed))).isTrue();
    });
  }

  /**
   * A broker that stalls with a batch in flight and then recovers confirms what it had received by
   * then. The poller gave the batch back at its 2 s attempt timeout, so those events are delivered
   * twice (at least once is the contract), but only those: with a confirm window of 10 and a poller
   * window of 100, the other 190 events of the batch must not be sent late as the confirms come in.
   * One poller and a 5 s outage pause make it one attempt during the 3 s stall.
   */
  @Test
  void afterAStallOnlyTheEventsAlreadySentAreDeliveredTwice() throws Exception {
    OutboxConfig outbox = new OutboxConfig(OutboxConfig.Relay.RABBITMQ, OutboxConfig.Ordering.NONE, 1, 200, 100,
        Duration.ofMillis(200), 3, Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(4), 16, 1 << 20, 7);
    int confirmWindow = 10;
    behindProxy("orders.stall", outbox, confirmWindow, (db, proxy, q, node) -> {
      Set<String> committed = new HashSet<>(ids(node.commit(Events.many("orders.stall", 10))));
      assertThat(TestNode.await(Duration.ofSeconds(30), () -> count(db, "status = 'sent'") == 10)).isTrue();

      proxy.stall();
      committed.addAll(ids(node.commit(Events.many("orders.stall", 200))));
      assertThat(TestNode.await(Duration.ofSeconds(10), () -> Outages.pausedPollers(node) > 0))
          .as("the poller met the stall and paused").isTrue();
      proxy.restore();

      Outages.assertAllSentOnce(db, committed.size());
      assertThat(TestNode.await(Duration.ofSeconds(30), () -> q.drain().containsAll(committed))).isTrue();
      TestNode.await(Duration.ofSeconds(2), () -> false); // late duplicates would arrive now
      q.drain();
      assertThat(q.deliveries - q.ids.size()).as("events delivered twice").isBetween(1, confirmWindow);
    });
  }

  /**
   * Connecting can outlast the poller's attempt timeout (a broker slow to answer its handshake). A
   * publish the poller abandoned meanwhile must send nothing once the connection is up: the poller has
   * already given those events back, and whoever claims them next sends them again.
   */
  @Test
  void aPublishAbandonedWhileTheRelayConnectsSendsNothing() throws Exception {
    RabbitMqFixture rabbit = RabbitMqFixture.rabbitMq();
    URI real = URI.create(rabbit.uri());
    String exchange = "sagaz.test." + UUID.randomUUID();
    Vertx vertx = Vertx.vertx();
    try (TcpProxy proxy = proxyTo(real); Queue q = new Queue(rabbit, exchange, "orders.connect")) {
      RabbitMqRelay relay = new RabbitMqRelay(vertx, new RabbitMqConfig(uriVia(real, proxy), exchange, 256));
      try {
        proxy.stall(); // the relay's first publish connects, and its handshake hangs
        List<Future<Void>> sent = relay.publish(records("orders.connect", 10));
        assertThat(TestNode.await(Duration.ofMillis(500), () -> sent.stream().anyMatch(Future::isComplete))).isFalse();

        relay.abandon();
        proxy.restore();

        assertThat(TestNode.await(Duration.ofSeconds(15), () -> sent.stream().allMatch(Future::isComplete))).isTrue();
        assertThat(sent).allSatisfy(f -> assertThat(f.cause()).hasMessageContaining("abandoned"));
        TestNode.await(Duration.ofSeconds(1), () -> false); // anything published would be routed by now
        assertThat(q.drain()).isEmpty();
      } finally {
        relay.close().await();
      }
    } finally {
      vertx.close().await();
    }
  }

  /** A proxy in front of the broker at {@code real}. */
  private static TcpProxy proxyTo(URI real) {
    return new TcpProxy(real.getHost(), real.getPort() < 0 ? 5672 : real.getPort());
  }

  /** The broker's URI, with its credentials, through {@code proxy}. */
  private static String uriVia(URI real, TcpProxy proxy) {
    return "amqp://" + real.getUserInfo() + "@127.0.0.1:" + proxy.port();
  }

  private static List<OutboxRecord> records(String topic, int n) {
    return IntStream.range(0, n).mapToObj(i -> new OutboxRecord(i + 1, OffsetDateTime.now(), UUID.randomUUID(), null,
        "order", "o-" + i, "OrderPlaced", topic, "{\"n\": " + i + "}", null, 0)).toList();
  }

  private interface ProxiedBroker {
    void run(TestDatabase db, TcpProxy proxy, Queue queue, TestNode node) throws Exception;
  }

  /** A node whose relay reaches RabbitMQ through a {@link TcpProxy}, and a queue bound to {@code topic}. */
  private static void behindProxy(String topic, OutboxConfig outbox, int confirmWindow, ProxiedBroker test) throws Exception {
    RabbitMqFixture rabbit = RabbitMqFixture.rabbitMq();
    URI real = URI.create(rabbit.uri());
    String exchange = "sagaz.test." + UUID.randomUUID();
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    try (TcpProxy proxy = proxyTo(real); Queue q = new Queue(rabbit, exchange, topic)) {
      try (TestNode node = TestNode.start(db, TestNode.config("r3", outbox, null, uriVia(real, proxy), exchange, confirmWindow))) {
        test.run(db, proxy, q, node);
      }
    }
  }
}
