package io.sagaz.fleet.outbox;

import static io.sagaz.fleet.outbox.TestNode.count;
import static org.assertj.core.api.Assertions.assertThat;

import io.sagaz.fleet.core.config.OutboxConfig;
import io.sagaz.fleet.core.outbox.OutboxSql;
import io.sagaz.fleet.testkit.PostgresFixture;
import io.sagaz.fleet.testkit.TestDatabase;
import io.vertx.sqlclient.Row;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Status claims (ordered mode), their expiry and the fence that keeps a late original from marking
 * rows it no longer owns; failures, claim windows and the backlog gauge. Claims by lock: {@link LockedClaimTest}.
 */
class ClaimFencingTest {
  /** The stores are driven by hand: no pollers run. */
  private static final OutboxConfig NO_POLLERS = TestNode.outbox(OutboxConfig.Relay.EVENTBUS, OutboxConfig.Ordering.NONE, 0, 5);
  private static final OutboxConfig ORDERED = TestNode.outbox(OutboxConfig.Relay.EVENTBUS, OutboxConfig.Ordering.PER_AGGREGATE, 0, 5);

  private static TestNode bare(TestDatabase db, String nodeId) {
    return TestNode.bare(db, TestNode.config(nodeId, NO_POLLERS, null, null, null));
  }

  @Test
  void aLateOriginalCannotMarkARecoveredAndReclaimedOrderedBatch() {
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    try (TestNode node = TestNode.bare(db, TestNode.config("f1", ORDERED, null, null, null))) {
      OrderedClaimTest.leaseAllShards(db, "holder");
      node.commit(Events.many("fence", 10)); // ten aggregates: ten heads
      OutboxStore slow = new OutboxStore(node.pool, ORDERED, "slow", "holder");
      OutboxStore fresh = new OutboxStore(node.pool, ORDERED, "fresh", "holder");

      ClaimedBatch stale = slow.claim(100, true).await();
      assertThat(stale.records()).hasSize(10);
      assertThat(count(db, "status = 'claimed' AND claimed_by LIKE 'slow/%'")).isEqualTo(10);
      assertThat(fresh.claim(100, true).await().isEmpty()).as("claimed rows are skipped by others").isTrue();

      // the slow poller stalls past the claim timeout; recovery frees its rows
      TestNode.exec(db, "UPDATE saga_outbox SET claimed_at = claimed_at - interval '1 hour'");
      assertThat(fresh.recoverExpired().await()).isEqualTo(10);
      assertThat(count(db, "status = 'failed' AND last_error LIKE 'claim by slow/% expired%'")).isEqualTo(10);

      ClaimedBatch current = fresh.claim(100, true).await();
      assertThat(current.records()).hasSize(10);
      List<Throwable> allAcked = Collections.nCopies(10, null);

      var late = slow.settle(stale, allAcked).await();
      assertThat(late.sent()).isZero();
      assertThat(late.fenced()).isEqualTo(10);
      assertThat(count(db, "status = 'claimed' AND claimed_by LIKE 'fresh/%'")).isEqualTo(10);

      var settled = fresh.settle(current, allAcked).await();
      assertThat(settled.sent()).isEqualTo(10);
      assertThat(count(db, "status = 'sent' AND attempts = 2")).as("the expired claim counted as an attempt").isEqualTo(10);
    }
  }

  @Test
  void failuresBackOffAndTheLastAttemptDeadLettersWithTheError() {
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    OutboxConfig cfg = new OutboxConfig(OutboxConfig.Relay.EVENTBUS, OutboxConfig.Ordering.NONE, 0, 100, 100,
        java.time.Duration.ofSeconds(1), 2, java.time.Duration.ofSeconds(60), java.time.Duration.ofSeconds(60),
        java.time.Duration.ofSeconds(30), 16, 1 << 20, 7);
    try (TestNode node = TestNode.bare(db, TestNode.config("f2", cfg, null, null, null))) {
      node.commit(Events.many("retry", 1));
      OutboxStore store = new OutboxStore(node.pool, cfg, "p", null);
      ClaimedBatch first = store.claim(10, true).await();
      store.settle(first, List.of(new IllegalStateException("broker said no"))).await();
      assertThat(count(db, "status = 'failed' AND attempts = 1 AND last_error = 'IllegalStateException: broker said no'"
          + " AND next_attempt_at > now() + interval '25 seconds'")).isEqualTo(1);
      assertThat(store.claim(10, true).await().isEmpty()).as("not due before its backoff ends").isTrue();

      TestNode.exec(db, "UPDATE saga_outbox SET next_attempt_at = now()");
      ClaimedBatch second = store.claim(10, true).await();
      var settled = store.settle(second, List.of(new IllegalStateException("still no"))).await();
      assertThat(settled.deadLettered()).isEqualTo(1);
      assertThat(count(db, "status = 'dead_letter' AND attempts = 2 AND last_error LIKE '%still no'")).isEqualTo(1);
    }
  }

  @Test
  void recentAndSweepClaimsTakeOnlyRowsInsideTheirWindowsAndMarkThemAcrossPartitions() {
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    try (TestNode node = bare(db, "f3")) {
      node.commit(Events.many("window", 4));
      // Spread the batch over three daily partitions (today, yesterday, six days ago: all inside the
      // seven-day lookback), and put one row past the lookback and one two days ahead (neither a
      // writer can produce: rows are stamped with the database's now()).
      TestNode.exec(db, """
          UPDATE saga_outbox SET created_at = created_at - interval '1 day' WHERE id = (SELECT min(id) FROM saga_outbox);
          UPDATE saga_outbox SET created_at = created_at - interval '6 days'
           WHERE id = (SELECT min(id) + 1 FROM saga_outbox);
          UPDATE saga_outbox SET created_at = created_at - interval '8 days'
           WHERE id = (SELECT min(id) + 2 FROM saga_outbox);
          UPDATE saga_outbox SET created_at = created_at + interval '2 days'
           WHERE id = (SELECT max(id) FROM saga_outbox);""");
      node.commit(Events.many("window", 1));
      OutboxStore store = new OutboxStore(node.pool, NO_POLLERS, "w", null);

      ClaimedBatch recent = store.claim(100, false).await();
      assertThat(recent.records()).as("a recent-only claim takes just the row written now").hasSize(1);
      ClaimedBatch batch = store.claim(100, true).await();

      assertThat(batch.records()).as("the sweep takes the older rows inside the lookback").hasSize(2);
      assertThat(count(db, "status = 'pending' AND (created_at < now() - interval '7 days' OR created_at > now() + interval '1 day')"))
          .as("outside the window: left pending").isEqualTo(2);
      var settled = store.settle(batch, Collections.nCopies(2, null)).await();
      assertThat(settled.sent()).as("marked across the partitions the batch spans").isEqualTo(2);
      assertThat(store.settle(recent, Collections.nCopies(1, null)).await().sent()).isEqualTo(1);
      assertThat(count(db, "status = 'sent'")).isEqualTo(3);
    }
  }

  @Test
  void theBacklogGaugeCountsClaimedRowsAndTheirAge() {
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    try (TestNode node = TestNode.bare(db, TestNode.config("f4", ORDERED, null, null, null))) {
      OrderedClaimTest.leaseAllShards(db, "holder");
      node.commit(Events.many("backlog", 1));
      TestNode.exec(db, "UPDATE saga_outbox SET created_at = now() - interval '2 hours', next_attempt_at = now() - interval '2 hours'");
      node.commit(Events.many("backlog", 4));
      OutboxStore store = new OutboxStore(node.pool, ORDERED, "gauge", "holder");
      assertThat(store.claim(1, true).await().records()).as("the oldest, now claimed").hasSize(1);
      assertThat(count(db, "status = 'claimed'")).isEqualTo(1);

      // claimed rows are in their own index, not the aggregate one (V41): the gauge adds them back
      Row backlog = node.pool.query(OutboxSql.BACKLOG).execute().await().iterator().next();
      assertThat(backlog.getLong("pending")).isEqualTo(5);
      assertThat(backlog.getDouble("oldest_pending_seconds")).as("the claimed row is the oldest undelivered").isBetween(7_100.0, 7_400.0);
    }
  }
}
