package io.sagaz.fleet.outbox;

import static io.sagaz.fleet.outbox.TestNode.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sagaz.fleet.core.config.OutboxConfig;
import io.sagaz.fleet.testkit.PostgresFixture;
import io.sagaz.fleet.testkit.TestDatabase;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Unordered claims are row locks held by the claim's open transaction: the rows stay pending, no
 * one else can take them, and PostgreSQL ends the claim when the claimer's session dies or idles
 * past the claim timeout, after which the late original can mark nothing.
 */
class LockedClaimTest {
  private static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(1);
  /** Driven by hand (no pollers), with a one-second claim timeout. */
  private static final OutboxConfig UNORDERED = new OutboxConfig(OutboxConfig.Relay.EVENTBUS, OutboxConfig.Ordering.NONE, 0, 100, 100,
      Duration.ofSeconds(1), 5, Duration.ofMillis(100), Duration.ofSeconds(1), CLAIM_TIMEOUT, 16, 1 << 20, 7);
  private static final List<Throwable> TEN_ACKED = Collections.nCopies(10, null);

  private static TestNode node(TestDatabase db, String nodeId) {
    return TestNode.bare(db, TestNode.config(nodeId, UNORDERED, null, null, null));
  }

  @Test
  void aClaimedBatchStaysPendingButNoOtherClaimerCanTakeIt() {
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    try (TestNode node = node(db, "l1")) {
      node.commit(Events.many("locked", 10));
      OutboxStore first = new OutboxStore(node.pool, UNORDERED, "first", null);
      OutboxStore second = new OutboxStore(node.pool, UNORDERED, "second", null);

      ClaimedBatch batch = first.claim(100, true).await();
      assertThat(batch.records()).hasSize(10);
      assertThat(batch.records()).allMatch(r -> r.attempts() == 1, "the attempt this claim makes");
      assertThat(count(db, "status = 'pending' AND attempts = 0")).as("a claim writes nothing").isEqualTo(10);
      assertThat(second.claim(100, true).await().isEmpty()).as("locked rows are skipped").isTrue();

      var settled = first.settle(batch, TEN_ACKED).await();
      assertThat(settled.sent()).isEqualTo(10);
      assertThat(count(db, "status = 'sent' AND attempts = 1 AND sent_at IS NOT NULL")).isEqualTo(10);
      assertThat(second.claim(100, true).await().isEmpty()).isTrue();
    }
  }

  @Test
  void aStalledClaimerLosesItsRowsAtTheClaimTimeoutAndCannotMarkThemAfterwards() throws Exception {
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    try (TestNode node = node(db, "l2")) {
      node.commit(Events.many("stall", 10));
      OutboxStore slow = new OutboxStore(node.pool, UNORDERED, "slow", null);
      OutboxStore fresh = new OutboxStore(node.pool, UNORDERED, "fresh", null);

      long claimed = System.nanoTime();
      ClaimedBatch stale = slow.claim(100, true).await();
      assertThat(stale.records()).hasSize(10);
      ClaimedBatch current = claimWithin(fresh, Duration.ofSeconds(10));
      assertThat(Duration.ofNanos(System.nanoTime() - claimed)).as("not before the claim timeout").isGreaterThanOrEqualTo(CLAIM_TIMEOUT);
      assertThat(current.records()).hasSize(10);

      assertThatThrownBy(() -> slow.settle(stale, TEN_ACKED).await())
          .hasMessageContaining("a batch of 10 events was not marked; they stay due");
      assertThat(count(db, "status = 'pending'")).as("the late original marked nothing").isEqualTo(10);

      assertThat(fresh.settle(current, TEN_ACKED).await().sent()).isEqualTo(10);
      assertThat(count(db, "status = 'sent' AND attempts = 1")).isEqualTo(10);
    }
  }

  @Test
  void aDeadClaimersRowsAreDueAgainAsSoonAsItsSessionEnds() {
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    try (TestNode node = node(db, "l3")) {
      node.commit(Events.many("dead", 10));
      OutboxStore dying = new OutboxStore(node.pool, UNORDERED, "dying", null);
      OutboxStore fresh = new OutboxStore(node.pool, UNORDERED, "fresh", null);
      ClaimedBatch lost = dying.claim(100, true).await();
      assertThat(lost.records()).hasSize(10);

      // What kill -9 of the node does: its sessions end. (Closing the pooled connection would only
      // hand it back to the pool, transaction and locks included.)
      int pid = lost.held().query("SELECT pg_backend_pid()").execute().await().iterator().next().getInteger(0);
      TestNode.exec(db, "SELECT pg_terminate_backend(" + pid + ")");
      ClaimedBatch current = fresh.claim(100, true).await();
      assertThat(current.records()).as("due again without waiting for the claim timeout").hasSize(10);
      assertThatThrownBy(() -> dying.settle(lost, TEN_ACKED).await()).hasMessageContaining("was not marked");
      assertThat(fresh.settle(current, TEN_ACKED).await().sent()).isEqualTo(10);
      assertThat(count(db, "status = 'sent' AND attempts = 1")).isEqualTo(10);
    }
  }

  @Test
  void anAbandonedClaimIsDueAgainAtOnceAndCountsNoAttempt() {
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    try (TestNode node = node(db, "l4")) {
      node.commit(Events.many("abandon", 10));
      OutboxStore store = new OutboxStore(node.pool, UNORDERED, "p", null);
      store.abandon(store.claim(100, true).await()).await();
      ClaimedBatch again = store.claim(100, true).await();
      assertThat(again.records()).hasSize(10).allMatch(r -> r.attempts() == 1);
      store.settle(again, TEN_ACKED).await();
      assertThat(count(db, "status = 'sent'")).isEqualTo(10);
    }
  }

  @Test
  void throughABacklogClaimsContinueBehindTheFurthestBatchAndOnePerIntervalStartsFromTheFront() throws Exception {
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    try (TestNode node = node(db, "l5")) {
      node.commit(Events.many("backlog", 20));
      ClaimCursor cursor = new ClaimCursor(Duration.ofMillis(300));
      OutboxStore store = new OutboxStore(node.pool, UNORDERED, "p", null, cursor);

      ClaimedBatch first = store.claim(5, false).await();
      store.abandon(first).await(); // due again, but now in front of the cursor
      ClaimedBatch second = store.claim(5, false).await();
      assertThat(ids(second)).as("continues behind the first batch").allMatch(id -> id > ids(first).get(4)).hasSize(5);
      store.settle(second, Collections.nCopies(5, null)).await();

      Thread.sleep(350);
      ClaimedBatch front = store.claim(5, false).await();
      assertThat(ids(front)).as("the interval's claim from the front finds the rows left there").isEqualTo(ids(first));
      store.settle(front, Collections.nCopies(5, null)).await();
      ClaimedBatch rest = store.claim(100, false).await();
      assertThat(rest.records()).as("a short claim").hasSize(10);
      assertThat(cursor.inBacklog()).as("ends the backlog").isFalse();
      store.settle(rest, Collections.nCopies(10, null)).await();
      assertThat(count(db, "status = 'sent'")).isEqualTo(20);
    }
  }

  private static List<Long> ids(ClaimedBatch batch) {
    return batch.records().stream().map(r -> r.id()).toList();
  }

  private static ClaimedBatch claimWithin(OutboxStore store, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      ClaimedBatch batch = store.claim(100, true).await();
      if (!batch.isEmpty()) {
        return batch;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("nothing claimable within " + limit);
  }
}
