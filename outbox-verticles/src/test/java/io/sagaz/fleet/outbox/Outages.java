package io.sagaz.fleet.outbox;

import static io.sagaz.fleet.outbox.TestNode.count;
import static org.assertj.core.api.Assertions.assertThat;

import io.sagaz.fleet.testkit.TestDatabase;
import java.time.Duration;
import java.util.Set;

/** What a broker outage must and must not leave behind, for the relays' outage tests. */
final class Outages {
  private Outages() {}

  /** The node's pollers paused because their broker was unreachable. */
  static double pausedPollers(TestNode node) {
    return node.meters.get("outbox.relay.unavailable.pollers").gauge().value();
  }

  /**
   * During an outage: nothing sent, failed or dead-lettered since it began, no attempt counted on any
   * undelivered event not in flight, and the events that met the outage counted as released.
   */
  static void assertNothingCounted(TestDatabase db, TestNode node) {
    assertThat(count(db, "status IN ('failed', 'dead_letter')")).as("failed or dead-lettered during the outage:\n%s",
        TestNode.statuses(db)).isZero();
    // a status claim (ordered mode) counts its attempt while in flight and gives it back on release
    assertThat(count(db, "status NOT IN ('sent', 'claimed') AND (attempts > 0 OR last_error IS NOT NULL)"))
        .as("attempts counted:\n%s", TestNode.statuses(db)).isZero();
    assertThat(node.meters.get("outbox.relay.unavailable.events").counter().count()).as("events released").isPositive();
  }

  /** While an outage lasts: commits {@code perCommit} events every 2 s for {@code length}, collecting their ids. */
  static void commitThroughout(TestNode node, String topic, int perCommit, Duration length, Set<String> committed) {
    long end = System.nanoTime() + length.toNanos();
    while (System.nanoTime() < end) {
      node.commit(Events.many(topic, perCommit)).forEach(id -> committed.add(id.toString()));
      TestNode.await(Duration.ofSeconds(2), () -> false);
    }
  }

  /** After the outage: every event sent, each on its first counted attempt, none dead-lettered. */
  static void assertAllSentOnce(TestDatabase db, int events) {
    assertThat(TestNode.await(Duration.ofSeconds(90), () -> count(db, "status = 'sent'") == events))
        .as(() -> "all " + events + " events sent after the outage:\n" + TestNode.statuses(db)).isTrue();
    assertThat(count(db, "attempts <> 1")).as("events sent after more than one counted attempt").isZero();
  }
}
