package io.sagaz.fleet.app.it.outbox;

import io.sagaz.fleet.testkit.PerKeyOrder;
import static io.sagaz.fleet.app.it.outbox.OutboxItSupport.count;
import static org.assertj.core.api.Assertions.assertThat;

import io.sagaz.fleet.testkit.KafkaFixture;
import io.sagaz.fleet.testkit.NodeCluster;
import io.sagaz.fleet.testkit.NodeProcess;
import io.sagaz.fleet.testkit.PostgresFixture;
import io.sagaz.fleet.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Ordered mode with three node processes: 1,000 aggregates x 50 events, one node killed with SIGKILL
 * and another added while events flow. A consumer sees each aggregate's events in commit order (a
 * redelivery may repeat the latest one, never an older one).
 */
class OrderedOutboxIT {
  private static final int AGGREGATES = 1_000;
  private static final int EVENTS = 50;

  @Test
  void eachAggregateIsSeenInCommitOrderWhileANodeDiesAndAnotherJoins() throws Exception {
    KafkaFixture kafka = KafkaFixture.shared();
    String topic = KafkaFixture.uniqueTopic("it-ordered");
    kafka.createTopic(topic, 6);
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    try (NodeCluster cluster = NodeCluster.start(3,
        (i, node) -> OutboxItSupport.kafkaOutboxNode(node, db, kafka.bootstrapServers(), "per-aggregate"))) {
      List<String> aggregates = IntStream.range(0, AGGREGATES).mapToObj(i -> "acc-" + i).toList();
      for (int seq = 0; seq < EVENTS; seq++) {
        OutboxItSupport.write(db, topic, aggregates, seq);
        if (seq == 15) {
          cluster.node(1).kill9();
        }
        if (seq == 30) {
          cluster.add(node -> OutboxItSupport.kafkaOutboxNode(node.name("n3"), db, kafka.bootstrapServers(), "per-aggregate"));
        }
      }
      int total = AGGREGATES * EVENTS;
      boolean allSent = NodeProcess.eventually(Duration.ofSeconds(300), () -> count(db, "status = 'sent'") == total);
      assertThat(allSent).as("all %s sent; %s not yet", total, count(db, "status <> 'sent'")).isTrue();
      assertThat(count(db, "status = 'sent' AND claimed_by LIKE 'n3/%'")).as("the added node took part").isPositive();

      List<ConsumerRecord<String, String>> read = kafka.readUntil(topic, Duration.ofSeconds(120), r -> r.size() >= total);
      PerKeyOrder.assertInOrder(read, v -> new JsonObject(v).getInteger("seq"), AGGREGATES, EVENTS);
    }
  }
}
