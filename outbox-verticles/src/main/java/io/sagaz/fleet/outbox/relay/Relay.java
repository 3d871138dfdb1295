package io.sagaz.fleet.outbox.relay;

import io.sagaz.fleet.core.outbox.OutboxRecord;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.stream.IntStream;
import java.util.List;

/**
 * Hands outbox events to a broker. One relay belongs to one poller verticle and is only called from
 * its context. A publish future succeeds only when the broker has taken responsibility for the event
 * (Kafka ack with acks=all, RabbitMQ publisher confirm of a routed message, an event-bus reply); any
 * failure leaves the event to be retried.
 */
public interface Relay {
  /** Connects (or prepares to connect lazily); the poller starts claiming only after this. */
  Future<Void> start();

  /** Publishes the events and returns one future per event, in the same order. */
  List<Future<Void>> publish(List<OutboxRecord> records);

  /**
   * The caller stopped waiting for the events of its publishes still unanswered (their attempt timed
   * out) and gives them back to be claimed again: any of them not yet handed to the broker must not
   * be. A relay that hands every event over at once has nothing to do.
   */
  default void abandon() {}

  /** Releases connections; called after the poller drained its batch. */
  Future<Void> close();

  /** One pending result per record, completed by a relay as the broker answers for each. */
  static List<Promise<Void>> pending(int records) {
    return IntStream.range(0, records).mapToObj(i -> Promise.<Void>promise()).toList();
  }
}
