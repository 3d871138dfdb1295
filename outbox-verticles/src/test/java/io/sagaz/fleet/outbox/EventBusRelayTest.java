package io.sagaz.fleet.outbox;

import static io.sagaz.fleet.outbox.TestNode.count;
import static org.assertj.core.api.Assertions.assertThat;

import io.sagaz.fleet.client.Addresses;
import io.sagaz.fleet.core.config.OutboxConfig;
import io.sagaz.fleet.core.failure.FailureCode;
import io.sagaz.fleet.testkit.PostgresFixture;
import io.sagaz.fleet.testkit.TestDatabase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EventBusRelayTest {

  /** Acknowledges every event of {@code topic} and collects their ids. */
  private static Set<String> consumeAndAck(TestNode node, String topic) {
    Set<String> seen = ConcurrentHashMap.newKeySet();
    node.vertx.eventBus().<JsonObject>consumer(Addresses.outboxTopic(topic), m -> {
      seen.add(m.body().getString("eventId"));
      m.reply(new JsonObject());
    }).completion().await();
    return seen;
  }

  private static OutboxConfig outbox(int maxAttempts) {
    return TestNode.outbox(OutboxConfig.Relay.EVENTBUS, OutboxConfig.Ordering.NONE, 2, maxAttempts);
  }

  @Test
  void everyCommittedEventIsDeliveredByIdWithHeadersAndRolledBackOnesNever() {
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    try (TestNode node = TestNode.start(db, TestNode.config("e1", outbox(5), null, null, null))) {
      Set<String> seen = ConcurrentHashMap.newKeySet();
      node.vertx.eventBus().<JsonObject>consumer(Addresses.outboxTopic("orders"), m -> {
        assertThat(m.headers().get("event_id")).isEqualTo(m.body().getString("eventId"));
        assertThat(m.body().getInteger("version")).isEqualTo(1);
        seen.add(m.body().getString("eventId"));
        m.reply(new JsonObject());
      }).completion().await();

      Set<String> committed = node.commit(Events.many("orders", 300)).stream().map(UUID::toString).collect(Collectors.toSet());
      var doomed = Events.many("orders", 30);
      node.rollBack(doomed);

      assertThat(TestNode.await(Duration.ofSeconds(30), () -> seen.containsAll(committed))).isTrue();
      assertThat(TestNode.await(Duration.ofSeconds(10), () -> count(db, "status = 'sent'") == 300)).isTrue();
      assertThat(seen).doesNotContainAnyElementsOf(doomed.stream().map(e -> e.eventId().toString()).toList());
    }
  }

  @Test
  void aWritersHintWakesAPollerLongBeforeTheIntervalWould() {
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    OutboxConfig slowInterval = new OutboxConfig(OutboxConfig.Relay.EVENTBUS, OutboxConfig.Ordering.NONE, 2, 200, 200,
        Duration.ofSeconds(60), 5, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(6), 16, 1 << 20, 7);
    try (TestNode node = TestNode.start(db, TestNode.config("e7", slowInterval, null, null, null))) {
      Set<String> seen = consumeAndAck(node, "hinted");
      Thread.sleep(500); // past the pollers' first round, which runs as they start

      for (int i = 0; i < 3; i++) { // three separate commits: each is delivered through a hint
        UUID id = node.commit(Events.many("hinted", 1)).get(0);
        assertThat(TestNode.await(Duration.ofSeconds(5), () -> seen.contains(id.toString())))
            .as("delivered well inside the 60 s interval").isTrue();
      }
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void eventsOlderThanTheRecentWindowAreSweptUpOnThePollInterval() {
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    try (TestNode node = TestNode.start(db, TestNode.config("e6", outbox(5), null, null, null))) {
      Set<String> seen = consumeAndAck(node, "aged");
      UUID fresh = node.commit(Events.many("aged", 1)).get(0);
      assertThat(TestNode.await(Duration.ofSeconds(10), () -> seen.contains(fresh.toString()))).isTrue();

      // Past the pollers' first sweep, written with no hint and stamped three days back (as a
      // retry of an old event or a backlog left by a long outage would be): only a sweep finds it.
      UUID aged = UUID.randomUUID();
      TestNode.exec(db, "INSERT INTO saga_outbox (event_id, aggregate_type, aggregate_id, event_type, topic, payload, created_at)"
          + " VALUES ('" + aged + "', 'order', 'o-aged', 'OrderAged', 'aged', '{}', now() - interval '3 days')");
      node.commit(Events.many("aged", 3)); // hints: recent-only claims run meanwhile

      assertThat(TestNode.await(Duration.ofSeconds(10), () -> seen.contains(aged.toString()))).as(() -> TestNode.statuses(db)).isTrue();
      assertThat(TestNode.await(Duration.ofSeconds(10), () -> count(db, "status = 'sent'") == 5)).isTrue();
    }
  }

  @Test
  void eventsWaitForAConsumerInsteadOfBeingLost() {
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    try (TestNode node = TestNode.start(db, TestNode.config("e2", outbox(100), null, null, null))) {
      node.commit(Events.many("late", 5));
      assertThat(TestNode.await(Duration.ofSeconds(20), () -> count(db, "status = 'failed' AND last_error LIKE '%NO_HANDLERS: No handlers for address sagaz.outbox.late%'") > 0))
          .as(() -> TestNode.statuses(db)).isTrue();
      node.vertx.eventBus().<JsonObject>consumer(Addresses.outboxTopic("late"), m -> m.reply(new JsonObject())).completion().await();
      assertThat(TestNode.await(Duration.ofSeconds(30), () -> count(db, "status = 'sent'") == 5)).as(() -> TestNode.statuses(db)).isTrue();
    }
  }

  @Test
  void aPoisonEventEndsInDeadLettersWithItsErrorAndIsDeliveredAfterReplay() {
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    try (TestNode node = TestNode.start(db, TestNode.config("e3", outbox(3), null, null, null))) {
      AtomicBoolean fixed = new AtomicBoolean();
      Set<String> delivered = ConcurrentHashMap.newKeySet();
      node.vertx.eventBus().<JsonObject>consumer(Addresses.outboxTopic("payments"), (Message<JsonObject> m) -> {
        if (m.body().getJsonObject("payload").getInteger("seq") == 3 && !fixed.get()) {
          m.fail(FailureCode.INVALID.code(), "cannot parse amount of event seq 3");
        } else {
          delivered.add(m.body().getString("eventId"));
          m.reply(new JsonObject());
        }
      }).completion().await();
      List<UUID> ids = node.commit(Events.many("payments", 10));
      String poison = ids.get(3).toString();

      assertThat(TestNode.await(Duration.ofSeconds(30), () -> count(db, "status = 'dead_letter'") == 1)).isTrue();
      assertThat(TestNode.await(Duration.ofSeconds(10), () -> count(db, "status = 'sent'") == 9)).isTrue();
      assertThat(count(db, "status = 'dead_letter' AND attempts = 3 AND last_error LIKE '%consumer failed with code 400: cannot parse amount of event seq 3%'"))
          .isEqualTo(1);

      var bus = node.vertx.eventBus();
      JsonObject stats = bus.<JsonObject>request(Addresses.OUTBOX_STATS, new JsonObject().put("version", 1)).await().body();
      assertThat(stats.getJsonObject("counts").getLong("dead_letter")).isEqualTo(1);
      assertThat(stats.getJsonObject("counts").getLong("sent")).isEqualTo(9);
      assertThat(stats.getLong("deadLetters")).isEqualTo(1);
      JsonObject listed = bus.<JsonObject>request(Addresses.OUTBOX_DEAD_LETTERS,
          new JsonObject().put("version", 1).put("topic", "payments")).await().body();
      assertThat(listed.getJsonArray("deadLetters")).singleElement().satisfies(d -> {
        JsonObject dl = (JsonObject) d;
        assertThat(dl.getString("eventId")).isEqualTo(poison);
        assertThat(dl.getString("lastError")).contains("cannot parse amount");
        assertThat(dl.getJsonObject("payload").getInteger("seq")).isEqualTo(3);
      });

      fixed.set(true);
      JsonObject replay = bus.<JsonObject>request(Addresses.OUTBOX_REPLAY,
          new JsonObject().put("version", 1).put("filter", new JsonObject().put("topic", "payments"))).await().body();
      assertThat(replay.getInteger("replayed")).isEqualTo(1);
      assertThat(TestNode.await(Duration.ofSeconds(20), () -> delivered.contains(poison))).isTrue();
      assertThat(TestNode.await(Duration.ofSeconds(10), () -> count(db, "status = 'sent' AND replay_count = 1") == 1)).isTrue();
      assertThat(node.meters.get("outbox.dead.lettered.events").counter().count()).isEqualTo(1);
    }
  }

  /**
   * The pollers claim only within {@code outbox.lookbackDays} (7 here): a dead letter written ten days
   * ago, replayed, must still be delivered, in either ordering.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(OutboxConfig.Ordering.class)
  void aDeadLetterOlderThanTheLookbackIsDeliveredOnceReplayed(OutboxConfig.Ordering ordering) {
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    OutboxConfig outbox = TestNode.outbox(OutboxConfig.Relay.EVENTBUS, ordering, 2, 3);
    try (TestNode node = TestNode.start(db, TestNode.config("e6", outbox, null, null, null))) {
      Set<String> delivered = consumeAndAck(node, "refunds");
      UUID old = UUID.randomUUID();
      TestNode.exec(db, "INSERT INTO saga_outbox (event_id, aggregate_type, aggregate_id, event_type, topic, payload, status,"
          + " attempts, last_error, created_at) VALUES ('" + old + "', 'order', 'o-1', 'RefundIssued', 'refunds', '{}',"
          + " 'dead_letter', 3, 'consumer failed', now() - interval '10 days')");
      assertThat(TestNode.await(Duration.ofSeconds(2), () -> !delivered.isEmpty())).as("a dead letter is not claimed").isFalse();

      JsonObject replay = node.vertx.eventBus().<JsonObject>request(Addresses.OUTBOX_REPLAY, new JsonObject().put("version", 1)
          .put("ids", new JsonArray().add(old.toString()))).await().body();
      assertThat(replay.getInteger("replayed")).isEqualTo(1);
      assertThat(TestNode.await(Duration.ofSeconds(20), () -> delivered.contains(old.toString()))).isTrue();
      assertThat(TestNode.await(Duration.ofSeconds(10), () -> count(db, "status = 'sent' AND replay_count = 1"
          + " AND created_at > now() - interval '1 hour'") == 1)).as("sent from today's partition").isTrue();
    }
  }

  @Test
  void aHandWrittenRowThatIsNotAJsonObjectDeadLettersAloneAndItsBatchIsDelivered() {
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    try (TestNode node = TestNode.start(db, TestNode.config("e7", outbox(2), null, null, null))) {
      Set<String> delivered = consumeAndAck(node, "manual");
      String insert = "INSERT INTO saga_outbox (aggregate_type, aggregate_id, event_type, topic, payload, headers) VALUES ";
      TestNode.exec(db, insert + "('order', 'o-1', 'Good', 'manual', '{\"n\": 1}', '{}'),"
          + " ('order', 'o-2', 'ArrayPayload', 'manual', '[1, 2]', '{}'),"
          + " ('order', 'o-3', 'StringHeaders', 'manual', '{\"n\": 3}', '\"x\"'),"
          + " ('order', 'o-4', 'Good', 'manual', '{\"n\": 4}', '{\"trace\": \"t-4\"}')");

      assertThat(TestNode.await(Duration.ofSeconds(20), () -> count(db, "status = 'dead_letter'") == 2)).isTrue();
      assertThat(count(db, "status = 'dead_letter' AND event_type = 'ArrayPayload' AND attempts = 2"
          + " AND last_error LIKE '%payload: must be a JSON object, was an array%'")).isEqualTo(1);
      assertThat(count(db, "status = 'dead_letter' AND event_type = 'StringHeaders'"
          + " AND last_error LIKE '%headers: must be a JSON object, was a string%'")).isEqualTo(1);
      assertThat(count(db, "status = 'sent' AND event_type = 'Good'")).isEqualTo(2);
      assertThat(delivered).hasSize(2);
      assertThat(node.meters.get("outbox.in.flight.events").gauge().value()).isZero();
      assertThat(node.meters.get("outbox.failed.events").tag("event_type", "ArrayPayload").counter().count()).isEqualTo(2);
      assertThat(node.meters.find("outbox.failed.events").tag("event_type", "Good").counter()).isNull();
    }
  }

  @Test
  void aHandWrittenRowTooLargeToLoadDeadLettersWithoutBeingLoadedAndItsBatchIsDelivered() {
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    try (TestNode node = TestNode.start(db, TestNode.config("e8", outbox(2), null, null, null))) {
      Set<String> delivered = consumeAndAck(node, "manual");
      // 17 MiB of text each, over the 16 MiB load limit; stored compressed in a few hundred KiB
      String huge = "jsonb_build_object('blob', repeat('x', 17 * 1024 * 1024))";
      String insert = "INSERT INTO saga_outbox (aggregate_type, aggregate_id, event_type, topic, payload, headers) VALUES ";
      TestNode.exec(db, insert + "('order', 'o-1', 'Good', 'manual', '{\"n\": 1}', '{}'),"
          + " ('order', 'o-2', 'HugePayload', 'manual', " + huge + ", '{}'),"
          + " ('order', 'o-3', 'HugeHeaders', 'manual', '{\"n\": 3}', " + huge + "),"
          + " ('order', 'o-4', 'Good', 'manual', '{\"n\": 4}', '{}')");

      assertThat(TestNode.await(Duration.ofSeconds(30), () -> count(db, "status = 'dead_letter'") == 2)).isTrue();
      assertThat(count(db, "status = 'dead_letter' AND event_type = 'HugePayload' AND attempts = 2"
          + " AND last_error LIKE '%payload: longer than 16777216 bytes as text%not loaded%'")).isEqualTo(1);
      assertThat(count(db, "status = 'dead_letter' AND event_type = 'HugeHeaders'"
          + " AND last_error LIKE '%headers: longer than 16777216 bytes as text%'")).isEqualTo(1);
      assertThat(count(db, "status = 'sent' AND event_type = 'Good'")).isEqualTo(2);
      assertThat(delivered).hasSize(2);
      assertThat(node.meters.get("outbox.in.flight.events").gauge().value()).isZero();
    }
  }

  @Test
  void stoppingDrainsTheBatchInFlight() {
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    TestNode node = TestNode.start(db, TestNode.config("e5", outbox(5), null, null, null));
    Set<String> received = ConcurrentHashMap.newKeySet();
    Set<String> delivered = ConcurrentHashMap.newKeySet();
    node.vertx.eventBus().<JsonObject>consumer(Addresses.outboxTopic("slow"), m -> {
      received.add(m.body().getString("eventId"));
      node.vertx.setTimer(1500, t -> {
        delivered.add(m.body().getString("eventId"));
        m.reply(new JsonObject());
      });
    }).completion().await();
    node.commit(Events.many("slow", 40));
    assertThat(TestNode.await(Duration.ofSeconds(10), () -> !received.isEmpty())).as("a batch is being published").isTrue();
    assertThat(node.meters.get("outbox.in.flight.events").gauge().value()).as("the node counts its batches in flight").isPositive();

    node.close(); // undeploys: pollers finish publishing and settling before the relay closes

    assertThat(delivered).as("every event handed to the consumer was acknowledged").isEqualTo(received);
    assertThat(count(db, "status = 'sent'")).as("and marked sent").isEqualTo(delivered.size()).isPositive();
    assertThat(count(db, "status = 'pending'")).as("the rest left due").isEqualTo(40 - delivered.size());
    assertThat(node.meters.get("outbox.in.flight.events").gauge().value()).as("nothing in flight after the drain").isZero();
  }

  @Test
  void badAdminRequestsAreRefusedWith400NamingTheField() {
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    try (TestNode node = TestNode.start(db, TestNode.config("e4", outbox(3), null, null, null))) {
      var bus = node.vertx.eventBus();
      assertThat(failure(node, Addresses.OUTBOX_REPLAY, new JsonObject())).hasMessageContaining("give either 'ids'");
      assertThat(failure(node, Addresses.OUTBOX_REPLAY, new JsonObject().put("ids", new JsonArray().add("nope"))))
          .hasMessageContaining("ids[0]: 'nope' is not an event id");
      assertThat(failure(node, Addresses.OUTBOX_REPLAY, new JsonObject().put("filter", new JsonObject().put("olderThan", "yesterday"))))
          .hasMessageContaining("filter.olderThan");
      assertThat(failure(node, Addresses.OUTBOX_DEAD_LETTERS, new JsonObject().put("limit", 0)))
          .hasMessageContaining("limit: must be between 1 and 1000");
      for (String address : List.of(Addresses.OUTBOX_STATS, Addresses.OUTBOX_DEAD_LETTERS, Addresses.OUTBOX_REPLAY)) {
        ReplyException notAnObject = org.assertj.core.api.Assertions.catchThrowableOfType(ReplyException.class,
            () -> bus.request(address, "[\"ids\"]").await(5, java.util.concurrent.TimeUnit.SECONDS));
        assertThat(notAnObject).as(address).isNotNull();
        assertThat(notAnObject.failureCode()).isEqualTo(FailureCode.INVALID.code());
        assertThat(notAnObject).hasMessage("body: must be a JSON object, was a String");
      }
      JsonObject none = bus.<JsonObject>request(Addresses.OUTBOX_REPLAY,
          new JsonObject().put("ids", new JsonArray().add(UUID.randomUUID().toString()))).await().body();
      assertThat(none.getInteger("replayed")).isZero();
    }
  }

  private static ReplyException failure(TestNode node, String address, JsonObject body) {
    try {
      node.vertx.eventBus().request(address, body.put("version", 1)).await();
    } catch (ReplyException e) {
      assertThat(e.failureCode()).isEqualTo(FailureCode.INVALID.code());
      return e;
    }
    throw new AssertionError("expected a 400 failure from " + address);
  }
}
