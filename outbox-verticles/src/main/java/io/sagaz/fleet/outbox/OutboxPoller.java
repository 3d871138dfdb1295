package io.sagaz.fleet.outbox;

import io.sagaz.fleet.client.Addresses;
import io.sagaz.fleet.core.config.OutboxConfig;
import io.sagaz.fleet.core.outbox.OutboxRecord;
import io.sagaz.fleet.outbox.relay.Relay;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One outbox poller: claim a batch, publish it through its relay with at most
 * {@code outbox.maxInFlight} events unacknowledged, settle it, repeat while there is work. Wakes on
 * the writers' hint ({@link Addresses#OUTBOX_WAKEUP}, handed to one poller of the node by
 * {@link Wakeups}) and on {@code outbox.pollInterval} as the fallback; sweeps expired status claims
 * (ordered mode) every quarter claim timeout. In unordered mode a claim is a row lock held by the
 * claim's transaction for the whole round, so each poller holds one pooled connection while it
 * publishes. {@code stop()} finishes the batch in flight (publish and settle) before
 * closing the relay.
 */
final class OutboxPoller extends VerticleBase implements Wakeups.Wakeable {
  private static final Logger log = LoggerFactory.getLogger(OutboxPoller.class);

  private final OutboxConfig config;
  private final OutboxStore store;
  private final Supplier<Relay> relays;
  private final OutboxMetrics metrics;
  private final Duration attemptTimeout;
  private final Wakeups wakeups;
  private Relay relay;
  private long pollTimer = -1;
  private long recoveryTimer = -1;
  private boolean running;
  /** For {@link Wakeups}, read from its thread: when the round in progress began, 0 when idle. */
  private volatile long roundStarted;
  private boolean again;
  private boolean stopping;
  /** The next claim looks at the whole lookback, not only at recent events (see {@link #round()}). */
  private boolean sweepDue = true;
  private Future<?> current = Future.succeededFuture();

  OutboxPoller(OutboxConfig config, OutboxStore store, Supplier<Relay> relays, OutboxMetrics metrics, Duration attemptTimeout,
      Wakeups wakeups) {
    this.config = config;
    this.store = store;
    this.relays = relays;
    this.metrics = metrics;
    this.attemptTimeout = attemptTimeout;
    this.wakeups = wakeups;
  }

  @Override
  public Future<?> start() {
    relay = relays.get();
    return relay.start().<Void>map(v -> {
      wakeups.join(this);
      pollTimer = vertx.setPeriodic(config.pollInterval().toMillis(), id -> {
        sweepDue = true;
        trigger();
      });
      long sweep = Math.max(250, config.claimTimeout().toMillis() / 4);
      recoveryTimer = vertx.setPeriodic(sweep, id -> recover());
      return null;
    }).onSuccess(v -> trigger());
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(pollTimer);
    vertx.cancelTimer(recoveryTimer);
    wakeups.leave(this);
    return current.recover(e -> Future.succeededFuture())
        .eventually(() -> relay == null ? Future.succeededFuture() : relay.close());
  }

  @Override
  public long roundStartedNanos() {
    return roundStarted;
  }

  @Override
  public void wake() {
    context.runOnContext(v -> trigger());
  }

  /** Runs a round now, or right after the one in progress. */
  private void trigger() {
    if (stopping) {
      return;
    }
    if (running) {
      again = true;
      return;
    }
    running = true;
    again = false;
    roundStarted = System.nanoTime();
    Future<Integer> round = round();
    current = round;
    round.onComplete(ar -> {
      running = false;
      roundStarted = 0;
      if (ar.failed()) {
        log.warn("outbox poll round failed: {}", ar.cause().toString());
      }
      // More work is certain after a full batch, and in ordered mode after any batch: it held each
      // aggregate's head only, and the events behind those heads are due now.
      int claimed = ar.succeeded() ? ar.result() : 0;
      boolean ordered = config.ordering() == OutboxConfig.Ordering.PER_AGGREGATE;
      boolean more = again || claimed >= config.batchSize() || (ordered && claimed > 0);
      if (more && !stopping) {
        context.runOnContext(v -> trigger());
      }
    });
  }

  /**
   * Hints and follow-up rounds claim recent events only (cheap to plan); the interval timer, the
   * first round, recovered claims and a sweep that came back full make the next claim a sweep of the
   * whole lookback, so older events (a backlog from a long broker outage, retries of old events)
   * are never left for more than one poll interval.
   */
  private Future<Integer> round() {
    boolean sweep = sweepDue;
    sweepDue = false;
    return store.claim(config.batchSize(), sweep).compose(batch -> {
      metrics.claimSize.record(batch.records().size());
      if (sweep && batch.records().size() >= config.batchSize()) {
        sweepDue = true;
      }
      if (batch.isEmpty()) {
        return Future.succeededFuture(0);
      }
      int size = batch.records().size();
      metrics.inFlight.addAndGet(size);
      return publish(batch.records(), 0, new ArrayList<>(size))
          .transform(published -> {
            if (published.failed()) {
              // a claim by lock must not outlive its round: end it, the events are due again at once
              return store.abandon(batch).transform(v -> Future.<OutboxStore.Settled>failedFuture(published.cause()));
            }
            logFailures(published.result());
            return store.settle(batch, published.result());
          })
          .map(settled -> {
            record(settled);
            return size;
          })
          .andThen(ar -> metrics.inFlight.addAndGet(-size));
    });
  }

  /** Publishes in windows of {@code maxInFlight}; collects one outcome (null = acked) per record. */
  private Future<List<Throwable>> publish(List<OutboxRecord> records, int from, List<Throwable> outcomes) {
    if (from >= records.size()) {
      return Future.succeededFuture(outcomes);
    }
    int to = Math.min(records.size(), from + config.maxInFlight());
    long started = System.nanoTime();
    List<Future<Void>> acks = relay.publish(records.subList(from, to)).stream()
        .map(f -> f.timeout(attemptTimeout.toMillis(), TimeUnit.MILLISECONDS)
            .andThen(ar -> {
              if (ar.succeeded()) {
                metrics.publishDuration.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
              }
            }))
        .toList();
    // Broker callbacks complete the acks on client threads: come back to this verticle's context
    // (one hop per window) before touching its state.
    Promise<Void> window = Promise.promise();
    Future.join(acks).onComplete(ar -> context.runOnContext(v -> window.complete()));
    return window.future().compose(v -> {
      acks.forEach(a -> outcomes.add(a.failed() ? a.cause() : null));
      return publish(records, to, outcomes);
    });
  }

  private void logFailures(List<Throwable> outcomes) {
    Throwable first = null;
    int failed = 0;
    for (Throwable t : outcomes) {
      if (t != null) {
        failed++;
        first = first == null ? t : first;
      }
    }
    if (first != null) {
      log.warn("{} of {} publishes failed, first: {}", failed, outcomes.size(), first.toString());
    }
  }

  private void record(OutboxStore.Settled s) {
    metrics.published.increment(s.sent());
    metrics.failed.increment(s.failed() + s.deadLettered());
    metrics.deadLettered.increment(s.deadLettered());
    if (s.fenced() > 0) {
      log.warn("{} events of a batch were no longer ours to mark (claim expired and recovered)", s.fenced());
    }
  }

  private void recover() {
    if (stopping) {
      return;
    }
    store.recoverExpired()
        .onSuccess(n -> {
          if (n > 0) {
            log.warn("recovered {} outbox events from expired claims", n);
            sweepDue = true;
            trigger();
          }
        })
        .onFailure(e -> log.warn("claim recovery failed: {}", e.toString()));
  }
}
