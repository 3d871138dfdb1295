package io.sagaz.fleet.outbox;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a node's pollers know together about their broker: which of them are paused because they
 * could not reach it (the {@code outbox_relay_unavailable_pollers} gauge), and the moment one of them
 * is acknowledged again, which resumes every paused one at once instead of each waiting out its own
 * pause (up to {@link OutboxPoller#MAX_OUTAGE_PAUSE}). While some are paused the others do not claim
 * ({@link #holdsBack}): the node's pollers share one broker, so the paused ones' tries speak for all.
 */
final class RelayOutage {
  /** A poller as the outage sees it. */
  interface Pausable {
    /** Ends the pause now and claims (on the poller's own context). */
    void resumeNow();
  }

  private final Set<Pausable> paused = ConcurrentHashMap.newKeySet();
  private final AtomicLong gauge;

  RelayOutage(AtomicLong gauge) {
    this.gauge = gauge;
  }

  /** {@code poller} found the broker unreachable and pauses. */
  void paused(Pausable poller) {
    if (paused.add(poller)) {
      gauge.incrementAndGet();
    }
  }

  /** {@code poller} is no longer paused (it resumed, found nothing to publish, or stopped). */
  void cleared(Pausable poller) {
    if (paused.remove(poller)) {
      gauge.decrementAndGet();
    }
  }

  /** {@code poller}'s batch was acknowledged: the broker is back for every poller of the node. */
  void reached(Pausable poller) {
    cleared(poller);
    for (Pausable p : paused) {
      p.resumeNow();
    }
  }

  /**
   * True while other pollers of the node are paused and {@code poller} is not: it waits for their
   * next try instead of claiming. Without this, with claims by lock and a broker that hangs instead
   * of refusing connections, the pollers took turns: each one's claim came back empty while another
   * held the rows for its attempt timeout, which ended its own pause, so none ever backed off.
   */
  boolean holdsBack(Pausable poller) {
    return !paused.isEmpty() && !paused.contains(poller);
  }

  /** Pollers paused now. */
  int pausedPollers() {
    return paused.size();
  }
}
