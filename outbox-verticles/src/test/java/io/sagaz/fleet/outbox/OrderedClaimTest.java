package io.sagaz.fleet.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagaz.fleet.core.config.OutboxConfig;
import io.sagaz.fleet.core.outbox.OutboxRecord;
import io.sagaz.fleet.testkit.PostgresFixture;
import io.sagaz.fleet.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ordered claim, driven by hand: an aggregate with an event in flight is held back. */
class OrderedClaimTest {
  private static final OutboxConfig ORDERED = TestNode.outbox(OutboxConfig.Relay.EVENTBUS, OutboxConfig.Ordering.PER_AGGREGATE, 0, 5);

  @Test
  void onlyHeadsAreClaimedAndAnAggregateWithAClaimedEventIsHeldBackUntilItSettles() {
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    try (TestNode node = TestNode.bare(db, TestNode.config("o1", ORDERED, null, null, null))) {
      leaseAllShards(db, "holder");
      node.commit(Events.many("ordered", 34)); // 17 aggregates, two events each: seq 0-16 first, then 17-33
      OutboxStore first = new OutboxStore(node.pool, ORDERED, "first", "holder");
      OutboxStore second = new OutboxStore(node.pool, ORDERED, "second", "holder");

      ClaimedBatch heads = first.claim(100, true).await();
      assertThat(seqs(heads.records())).as("each aggregate's first event only").allMatch(s -> s < 17).hasSize(17);
      assertThat(second.claim(100, true).await().isEmpty())
          .as("every aggregate has its head in flight, so nothing behind it is due").isTrue();

      first.settle(heads, Collections.nCopies(17, null)).await();
      ClaimedBatch next = second.claim(100, true).await();
      assertThat(seqs(next.records())).as("the second events, once the first ones are sent").allMatch(s -> s >= 17).hasSize(17);
    }
  }

  /** Gives {@code holder} every shard's lease for an hour, as the shard-lease verticle would. */
  static void leaseAllShards(TestDatabase db, String holder) {
    TestNode.exec(db, "INSERT INTO sagaz_leases (name, holder, epoch, acquired_at, renewed_at, expires_at) "
        + "SELECT 'outbox-shard-' || g, '" + holder + "', 1, now(), now(), now() + interval '1 hour' FROM generate_series(0, "
        + (ORDERED.shards() - 1) + ") g");
  }

  private static List<Integer> seqs(List<OutboxRecord> records) {
    return records.stream().map(r -> new JsonObject(r.payloadJson()).getInteger("seq")).toList();
  }
}
