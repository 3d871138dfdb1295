package io.sagaz.fleet.app.it.outbox;

import static io.sagaz.fleet.app.it.outbox.OutboxItSupport.count;
import static org.assertj.core.api.Assertions.assertThat;

import io.sagaz.fleet.client.inbox.Inbox;
import io.sagaz.fleet.testkit.KafkaFixture;
import io.sagaz.fleet.testkit.NodeCluster;
import io.sagaz.fleet.testkit.NodeProcess;
import io.sagaz.fleet.testkit.PostgresFixture;
import io.sagaz.fleet.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Three node processes poll one outbox to Kafka; one is killed with SIGKILL mid-stream. No event is
 * lost; the only duplicates are events of the killed node's batch in flight (published, not yet
 * marked sent; its locks die with its connections and the events are published again), and consuming through the Inbox applies each
 * event's effect exactly once.
 */
class OutboxKillNineIT {
  private static final int ROUNDS = 40;
  private static final int PER_ROUND = 500;

  @Test
  void noEventIsLostWhenANodeIsKilledAndTheInboxRemovesTheDuplicates() throws Exception {
    KafkaFixture kafka = KafkaFixture.shared();
    String topic = KafkaFixture.uniqueTopic("it-kill");
    kafka.createTopic(topic, 6);
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    Set<String> committed = new HashSet<>();
    try (NodeCluster cluster = NodeCluster.start(3,
        (i, node) -> OutboxItSupport.kafkaOutboxNode(node, db, kafka.bootstrapServers(), "none"))) {
      List<String> aggregates = IntStream.range(0, PER_ROUND).mapToObj(i -> "acc-" + i).toList();
      NodeProcess victim = cluster.node(1);
      for (int round = 0; round < ROUNDS; round++) {
        OutboxItSupport.write(db, topic, aggregates, round).forEach(id -> committed.add(id.toString()));
        if (round == ROUNDS / 3) {
          // kill while it has a batch in flight, if the timing allows: wait until it holds a claim
          NodeProcess.eventually(Duration.ofSeconds(10), () -> OutboxItSupport.claimsHeldBy(db, "n1") > 0);
          victim.kill9();
        }
      }
      assertThat(victim.isAlive()).isFalse();
      boolean allSent = NodeProcess.eventually(Duration.ofSeconds(180), () -> count(db, "status = 'sent'") == committed.size());
      assertThat(allSent).as("all %s events sent; %s", committed.size(), count(db, "status <> 'sent'")).isTrue();
      assertThat(count(db, "status = 'dead_letter'")).isZero();

      List<ConsumerRecord<String, String>> read = kafka.readUntil(topic, Duration.ofSeconds(120), r -> ids(r).containsAll(committed));
      Set<String> distinct = ids(read);
      assertThat(distinct).as("no event lost").containsAll(committed);
      int duplicates = read.size() - distinct.size();
      // at most the killed node's claims in flight: 2 pollers x batch 500
      assertThat(duplicates).as("duplicates only from the batch in flight").isLessThanOrEqualTo(2 * 500);

      assertThat(applyThroughInbox(db, read)).as("effects applied once per event").isEqualTo(committed.size());
    }
  }

  private static Set<String> ids(List<ConsumerRecord<String, String>> records) {
    Set<String> ids = new HashSet<>();
    records.forEach(r -> ids.add(OutboxItSupport.eventId(r)));
    return ids;
  }

  /** Consumes every record (duplicates included) through the Inbox; returns how many effects exist. */
  private static long applyThroughInbox(TestDatabase db, List<ConsumerRecord<String, String>> records) {
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(8))
          .connectingTo(PgConnectOptions.fromUri(db.url())).using(vertx).build();
      pool.query("CREATE TABLE it_effects (event_id uuid NOT NULL, seq int NOT NULL)").execute().await();
      Inbox inbox = new Inbox(pool);
      for (int from = 0; from < records.size(); from += 64) {
        List<Future<?>> chunk = new ArrayList<>();
        for (ConsumerRecord<String, String> r : records.subList(from, Math.min(records.size(), from + 64))) {
          UUID id = UUID.fromString(OutboxItSupport.eventId(r));
          int seq = new JsonObject(r.value()).getInteger("seq");
          chunk.add(inbox.consume("it-consumer", id, conn -> conn.preparedQuery("INSERT INTO it_effects VALUES ($1, $2)")
              .execute(Tuple.of(id, seq)).map(v -> new JsonObject())));
        }
        Future.join(chunk).await();
      }
      long effects = pool.query("SELECT count(*) FROM it_effects").execute().await().iterator().next().getLong(0);
      long distinct = pool.query("SELECT count(DISTINCT event_id) FROM it_effects").execute().await().iterator().next().getLong(0);
      assertThat(effects).isEqualTo(distinct);
      return effects;
    } finally {
      vertx.close().await();
    }
  }
}
