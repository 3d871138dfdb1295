package io.sagaz.fleet.outbox;

import io.sagaz.fleet.testkit.PerKeyOrder;
import static io.sagaz.fleet.outbox.TestNode.count;
import static org.assertj.core.api.Assertions.assertThat;

import io.sagaz.fleet.client.outbox.OutboxEvent;
import io.sagaz.fleet.core.config.OutboxConfig;
import io.sagaz.fleet.testkit.KafkaFixture;
import io.sagaz.fleet.testkit.PostgresFixture;
import io.sagaz.fleet.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Ordered mode with several nodes in one JVM (each its own Vert.x, pollers and shard-lease keeper
 * over one database): per-aggregate order on Kafka survives a node leaving and another joining
 * mid-stream, and a failing aggregate holds back only itself.
 */
class OrderedModeTest {
  private static final int AGGREGATES = 200;
  private static final int EVENTS = 20;

  private static OutboxConfig ordered(OutboxConfig.Relay relay, int maxAttempts) {
    return TestNode.outbox(relay, OutboxConfig.Ordering.PER_AGGREGATE, 2, maxAttempts);
  }

  @Test
  void eachAggregateArrivesInCommitOrderWhileNodesLeaveAndJoin() {
    KafkaFixture kafka = KafkaFixture.shared();
    String topic = KafkaFixture.uniqueTopic("ordered");
    kafka.createTopic(topic, 4);
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    TestNode.Members members = new TestNode.Members();
    OutboxConfig cfg = ordered(OutboxConfig.Relay.KAFKA, 20);
    List<TestNode> nodes = new ArrayList<>();
    try {
      for (String id : List.of("n1", "n2", "n3")) {
        nodes.add(TestNode.start(db, TestNode.config(id, cfg, kafka.bootstrapServers(), null, null), members.viewFor(id)));
      }
      TestNode writer = nodes.get(0);
      for (int seq = 0; seq < EVENTS; seq++) {
        List<OutboxEvent> round = new ArrayList<>();
        for (int a = 0; a < AGGREGATES; a++) {
          round.add(OutboxEvent.of(topic, "Changed", "account", "acc-" + a, new JsonObject().put("seq", seq)));
        }
        writer.commit(round);
        if (seq == 6) {
          members.remove("n2"); // n2 leaves: the others take its shards once it let go
          nodes.remove(1).close();
        }
        if (seq == 12) {
          nodes.add(TestNode.start(db, TestNode.config("n4", cfg, kafka.bootstrapServers(), null, null), members.viewFor("n4")));
        }
      }
      int total = AGGREGATES * EVENTS;
      assertThat(TestNode.await(Duration.ofSeconds(120), () -> count(db, "status = 'sent'") == total))
          .as(() -> TestNode.statuses(db)).isTrue();

      List<ConsumerRecord<String, String>> read = kafka.readUntil(topic, Duration.ofSeconds(60), r -> r.size() >= total);
      PerKeyOrder.assertInOrder(read, v -> new JsonObject(v).getInteger("seq"), AGGREGATES, EVENTS);
      assertThat(leaseEpochsRose(db)).as("shards changed hands with a new epoch").isTrue();
    } finally {
      nodes.forEach(TestNode::close);
    }
  }

  @Test
  void aFailingAggregateHoldsBackOnlyItself() {
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    TestNode.Members members = new TestNode.Members();
    try (TestNode node = TestNode.start(db, TestNode.config("o1", ordered(OutboxConfig.Relay.EVENTBUS, 100), null, null, null),
        members.viewFor("o1"))) {
      Map<String, List<Integer>> seen = new java.util.concurrent.ConcurrentHashMap<>();
      node.vertx.eventBus().<JsonObject>consumer(io.sagaz.fleet.client.Addresses.outboxTopic("acc"), m -> {
        String agg = m.body().getString("aggregateId");
        int seq = m.body().getJsonObject("payload").getInteger("seq");
        if (agg.equals("stuck") && seq == 1) {
          m.fail(503, "downstream of stuck is down");
          return;
        }
        seen.computeIfAbsent(agg, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(seq);
        m.reply(new JsonObject());
      }).completion().await();
      for (int seq = 0; seq < 5; seq++) {
        List<OutboxEvent> round = new ArrayList<>();
        for (String agg : List.of("stuck", "fine-1", "fine-2")) {
          round.add(OutboxEvent.of("acc", "Changed", "account", agg, new JsonObject().put("seq", seq)));
        }
        node.commit(round);
      }
      assertThat(TestNode.await(Duration.ofSeconds(30),
          () -> seen.getOrDefault("fine-1", List.of()).size() == 5 && seen.getOrDefault("fine-2", List.of()).size() == 5)).isTrue();
      assertThat(seen.get("fine-1")).containsExactly(0, 1, 2, 3, 4);
      assertThat(seen.get("stuck")).containsExactly(0);
      assertThat(count(db, "aggregate_id = 'stuck' AND status = 'pending'")).as("held back behind seq 1").isEqualTo(3);
    }
  }

  private static boolean leaseEpochsRose(TestDatabase db) {
    try (var c = db.connect(); ResultSet rs = c.createStatement()
        .executeQuery("SELECT count(*) FROM sagaz_leases WHERE name LIKE 'outbox-shard-%' AND epoch > 1")) {
      rs.next();
      return rs.getLong(1) > 0;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
