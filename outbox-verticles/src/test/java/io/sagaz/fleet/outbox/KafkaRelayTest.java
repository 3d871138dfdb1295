package io.sagaz.fleet.outbox;

import static io.sagaz.fleet.outbox.TestNode.count;
import static org.assertj.core.api.Assertions.assertThat;

import io.sagaz.fleet.client.outbox.OutboxEvent;
import io.sagaz.fleet.core.config.KafkaConfig;
import io.sagaz.fleet.core.config.OutboxConfig;
import io.sagaz.fleet.core.outbox.OutboxRecord;
import io.sagaz.fleet.outbox.relay.KafkaRelay;
import io.sagaz.fleet.outbox.relay.Relay;
import io.sagaz.fleet.testkit.KafkaFixture;
import io.sagaz.fleet.testkit.PostgresFixture;
import io.sagaz.fleet.testkit.TcpProxy;
import io.sagaz.fleet.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class KafkaRelayTest {

  private static String header(ConsumerRecord<String, String> r, String name) {
    var h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static Set<String> eventIds(List<ConsumerRecord<String, String>> records) {
    return records.stream().map(r -> header(r, "event_id")).collect(Collectors.toSet());
  }

  @Test
  void everyCommittedEventArrivesByIdAndRolledBackOnesNever() {
    KafkaFixture kafka = KafkaFixture.shared();
    String topic = KafkaFixture.uniqueTopic("orders");
    kafka.createTopic(topic, 3);
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    var cfg = TestNode.config("k1", TestNode.outbox(OutboxConfig.Relay.KAFKA, OutboxConfig.Ordering.NONE, 2, 5),
        kafka.bootstrapServers(), null, null);
    try (TestNode node = TestNode.start(db, cfg)) {
      Set<String> committed = new HashSet<>();
      for (int i = 0; i < 10; i++) {
        node.commit(Events.many(topic, 50)).forEach(id -> committed.add(id.toString()));
      }
      OutboxEvent withSaga = OutboxEvent.of(topic, "PaymentTaken", "payment", "pay-1", new io.vertx.core.json.JsonObject().put("a", 1))
          .withSagaId(UUID.randomUUID());
      committed.add(node.commit(List.of(withSaga)).get(0).toString());
      List<OutboxEvent> doomed = Events.many(topic, 20);
      node.rollBack(doomed);

      var read = kafka.readUntil(topic, Duration.ofSeconds(60), r -> eventIds(r).containsAll(committed));
      assertThat(eventIds(read)).containsAll(committed);
      assertThat(eventIds(read)).doesNotContainAnyElementsOf(doomed.stream().map(e -> e.eventId().toString()).toList());
      assertThat(TestNode.await(Duration.ofSeconds(20), () -> count(db, "status = 'sent'") == committed.size())).isTrue();

      ConsumerRecord<String, String> sagaRecord = read.stream()
          .filter(r -> withSaga.eventId().toString().equals(header(r, "event_id"))).findFirst().orElseThrow();
      assertThat(sagaRecord.key()).isEqualTo("pay-1");
      assertThat(header(sagaRecord, "event_type")).isEqualTo("PaymentTaken");
      assertThat(header(sagaRecord, "aggregate_id")).isEqualTo("pay-1");
      assertThat(header(sagaRecord, "saga_id")).isEqualTo(withSaga.sagaId().toString());
      assertThat(new io.vertx.core.json.JsonObject(sagaRecord.value()).getInteger("a")).isEqualTo(1);
      assertThat(node.meters.get("outbox.published.events").counter().count()).isEqualTo(committed.size());
    }
  }

  @Test
  void aBrokerDownLongerThanTheRetryBudgetDeadLettersNothingAndCountsNoAttempt() {
    int port = KafkaFixture.freePort();
    String topic = KafkaFixture.uniqueTopic("outage");
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    var cfg = TestNode.config("k2", outageBudget(), "localhost:" + port, null, null);
    try (TestNode node = TestNode.start(db, cfg)) {
      Set<String> committed = new HashSet<>();
      node.commit(Events.many(topic, 300)).forEach(id -> committed.add(id.toString()));
      assertThat(TestNode.await(Duration.ofSeconds(20), () -> Outages.pausedPollers(node) > 0))
          .as("pollers pause while no broker listens").isTrue();
      Outages.commitThroughout(node, topic, 10, Duration.ofSeconds(20), committed);
      Outages.assertNothingCounted(db, node);

      try (KafkaFixture late = KafkaFixture.startInJvm(port)) {
        late.createTopic(topic, 3);
        Outages.assertAllSentOnce(db, committed.size());
        assertThat(Outages.pausedPollers(node)).isZero();
        var read = late.readUntil(topic, Duration.ofSeconds(30), r -> eventIds(r).containsAll(committed));
        assertThat(eventIds(read)).containsAll(committed);
      }
    }
  }

  /**
   * A broker that keeps its connections and answers nothing (hung: a proxy in front of it forwards
   * nothing, and it advertises the proxy's address) for 20 s. Kafka's own delivery timeout (3.5 s
   * here) expires first, a failure per record: still an outage, not 3 attempts and a dead letter each.
   */
  @Test
  void aBrokerThatStopsAnsweringIsAnOutageTooAndCountsNoAttempt() {
    String topic = KafkaFixture.uniqueTopic("hung");
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    try (TcpProxy proxy = new TcpProxy("localhost", KafkaFixture.freePort());
        KafkaFixture kafka = KafkaFixture.startInJvmBehind(proxy);
        TestNode node = TestNode.start(db, TestNode.config("k3", outageBudget(), kafka.bootstrapServers(), null, null))) {
      kafka.createTopic(topic, 3);
      Set<String> committed = new HashSet<>();
      node.commit(Events.many(topic, 100)).forEach(id -> committed.add(id.toString()));
      assertThat(TestNode.await(Duration.ofSeconds(30), () -> count(db, "status = 'sent'") == 100)).isTrue();

      proxy.stall();
      Outages.commitThroughout(node, topic, 10, Duration.ofSeconds(20), committed);
      assertThat(Outages.pausedPollers(node)).as("pollers paused while the broker answers nothing").isPositive();
      Outages.assertNothingCounted(db, node);
      proxy.restore();

      Outages.assertAllSentOnce(db, committed.size());
      var read = kafka.readUntil(topic, Duration.ofSeconds(30), r -> eventIds(r).containsAll(committed));
      assertThat(eventIds(read)).containsAll(committed);
    }
  }

  /** 3 attempts 200-400 ms apart: a retry budget of well under a second against a 20 s outage; 4 s attempt timeout. */
  private static OutboxConfig outageBudget() {
    return new OutboxConfig(OutboxConfig.Relay.KAFKA, OutboxConfig.Ordering.NONE, 2, 200, 200,
        Duration.ofMillis(200), 3, Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofSeconds(8), 16, 1 << 20, 7);
  }

  @Test
  void aNodesRelaysShareOneProducerThatStaysOpenUntilTheLastOneCloses() {
    KafkaFixture kafka = KafkaFixture.shared();
    String topic = KafkaFixture.uniqueTopic("shared");
    kafka.createTopic(topic, 1);
    Vertx vertx = Vertx.vertx();
    try {
      Supplier<Relay> relays = KafkaRelay.sharingOneProducer(vertx, new KafkaConfig(kafka.bootstrapServers(), Map.of()),
              Duration.ofSeconds(10));
      var first = relays.get();
      var second = relays.get();
      Future.all(first.start(), second.start()).await();
      List<OutboxRecord> sent = new ArrayList<>();

      sent.add(publish(first, topic, "a"));
      first.close().await();
      sent.add(publish(second, topic, "b")); // the first relay's close left the producer open
      second.close().await();
      var third = relays.get();
      third.start().await();
      sent.add(publish(third, topic, "c")); // after the last close, a start opens a new one
      third.close().await();

      Set<String> ids = sent.stream().map(r -> r.eventId().toString()).collect(Collectors.toSet());
      assertThat(eventIds(kafka.readUntil(topic, Duration.ofSeconds(30), r -> eventIds(r).containsAll(ids)))).containsAll(ids);
    } finally {
      vertx.close().await();
    }
  }

  private static OutboxRecord publish(Relay relay, String topic, String aggregate) {
    var r = new OutboxRecord(1, OffsetDateTime.now(), UUID.randomUUID(), null, "order",
        aggregate, "Created", topic, "{}", "{}", 1);
    Future.all(relay.publish(List.of(r))).await();
    return r;
  }
}
