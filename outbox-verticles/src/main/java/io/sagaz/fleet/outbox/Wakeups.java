package io.sagaz.fleet.outbox;

import io.sagaz.fleet.client.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Hands each writer's wake-up hint ({@link Addresses#OUTBOX_WAKEUP}) to one of the node's pollers
 * instead of all of them. The hint goes to a poller that is in a round right now (it claims again as
 * soon as that round ends, and the events written meanwhile make one batch); only when none is
 * does it wake an idle poller, the next in turn.
 *
 * <p>Why: every poller woken at once claims at once, and on a steady stream the events of one
 * millisecond were split into several claims of one or two events (three times the claims of a
 * single poller at 1,000 events/s, each a planned UPDATE and a broker request). More pollers still
 * join when there is more than one can take: a full batch makes its poller go on at once, and every
 * poller's interval timer sweeps. A round that has run longer than {@code busyLimit} (a slow or
 * absent broker) is not sent hints, so new events never queue behind it.
 */
final class Wakeups extends VerticleBase {
  /** What a poller shows the dispatcher. */
  interface Wakeable {
    /** {@code System.nanoTime()} when the round in progress began, or 0 when idle. */
    long roundStartedNanos();

    /** Runs a round now, or right after the one in progress (on the poller's own context). */
    void wake();
  }

  private final List<Wakeable> pollers = new CopyOnWriteArrayList<>();
  private final long busyLimitNanos;
  private int next;
  private MessageConsumer<Object> consumer;

  Wakeups(Duration busyLimit) {
    this.busyLimitNanos = busyLimit.toNanos();
  }

  void join(Wakeable poller) {
    pollers.add(poller);
  }

  void leave(Wakeable poller) {
    pollers.remove(poller);
  }

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().consumer(Addresses.OUTBOX_WAKEUP, m -> dispatch());
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    return consumer.unregister();
  }

  /** One hint: to a poller in a recent round if there is one, else to the next idle poller in turn. */
  void dispatch() {
    List<Wakeable> ps = List.copyOf(pollers);
    if (ps.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    for (Wakeable p : ps) {
      long started = p.roundStartedNanos();
      if (started != 0 && now - started < busyLimitNanos) {
        p.wake();
        return;
      }
    }
    // Everyone is idle or stuck: the next idle one in turn (a stuck one only if all are stuck).
    for (int i = 1; i <= ps.size(); i++) {
      Wakeable p = ps.get((next + i) % ps.size());
      if (p.roundStartedNanos() == 0 || i == ps.size()) {
        next = (next + i) % ps.size();
        p.wake();
        return;
      }
    }
  }
}
