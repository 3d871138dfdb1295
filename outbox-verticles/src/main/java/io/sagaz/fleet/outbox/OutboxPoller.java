package io.sagaz.fleet.outbox;

import io.sagaz.fleet.client.Addresses;
import io.sagaz.fleet.core.config.OutboxConfig;
import io.sagaz.fleet.core.outbox.OutboxRecord;
import io.sagaz.fleet.outbox.relay.MalformedEventException;
import io.sagaz.fleet.outbox.relay.Relay;
import io.sagaz.fleet.outbox.relay.RelayTimeoutException;
import io.sagaz.fleet.outbox.relay.RelayUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 *
 * <p>A broker outage is not a failed delivery. When a batch gets no acknowledgement and its relay
 * reports the broker unreachable ({@link RelayUnavailableException}), the poller stops claiming and
 * tries again after a pause that doubles from {@code outbox.backoffBase} up to
 * {@link #MAX_OUTAGE_PAUSE}, or until another poller of the node is acknowledged again
 * ({@link RelayOutage}); those events are released with no attempt counted (claims by lock leave them
 * unmarked, status claims give them back). So an outage longer than the retry budget dead-letters
 * nothing, and the events are not churned through claims while it lasts.
 */
final class OutboxPoller extends VerticleBase implements Wakeups.Wakeable, RelayOutage.Pausable {
  private static final Logger log = LoggerFactory.getLogger(OutboxPoller.class);
  /** The longest pause between tries of an unreachable broker: how late delivery resumes at worst. */
  static final Duration MAX_OUTAGE_PAUSE = Duration.ofSeconds(30);

  private final OutboxConfig config;
  private final OutboxStore store;
  private final Supplier<Relay> relays;
  private final OutboxMetrics metrics;
  private final Duration attemptTimeout;
  private final Wakeups wakeups;
  private final RelayOutage outage;
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
  /** Batches in a row that met an unreachable broker; 0 while it answers. */
  private int outages;
  private long outageStarted;
  private long resumeTimer = -1;

  OutboxPoller(OutboxConfig config, OutboxStore store, Supplier<Relay> relays, OutboxMetrics metrics, Duration attemptTimeout,
      Wakeups wakeups, RelayOutage outage) {
    this.config = config;
    this.store = store;
    this.relays = relays;
    this.metrics = metrics;
    this.attemptTimeout = attemptTimeout;
    this.wakeups = wakeups;
    this.outage = outage;
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
    vertx.cancelTimer(resumeTimer);
    outage.cleared(this);
    wakeups.leave(this);
    return current.recover(e -> Future.succeededFuture())
        .eventually(() -> relay == null ? Future.succeededFuture() : relay.close());
  }

  @Override
  public long roundStartedNanos() {
    return roundStarted;
  }

  @Override
  public void resumeNow() {
    context.runOnContext(v -> {
      if (resumeTimer >= 0) {
        vertx.cancelTimer(resumeTimer);
        resumeTimer = -1;
      }
      outages = 0;
      outage.cleared(this);
      sweepDue = true;
      trigger();
    });
  }

  @Override
  public void wake() {
    context.runOnContext(v -> trigger());
  }

  /** Runs a round now, or right after the one in progress. */
  private void trigger() {
    if (stopping || resumeTimer >= 0 || outage.holdsBack(this)) {
      return; // stopping, or pausing for an unreachable broker: a resume timer triggers
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
        // nothing left to publish: whatever this poller last learned of its broker no longer matters
        outages = 0;
        outage.cleared(this);
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
            return store.settle(batch, published.result()).andThen(ar -> relayOutcome(published.result()))
                .onSuccess(settled -> countFailures(batch.records(), published.result()));
          })
          .map(settled -> {
            record(settled);
            return size;
          })
          .andThen(ar -> metrics.inFlight.addAndGet(-size));
    });
  }

  /**
   * A relay answers failures through the futures; one that throws has a bug, and its window counts as
   * a failed attempt rather than a claim left hanging until its timeout, uncounted.
   */
  private List<Future<Void>> handOver(List<OutboxRecord> window) {
    return NotLoaded.publish(window, config.maxLoadBytes(), loaded -> {
      try {
        return relay.publish(loaded);
      } catch (RuntimeException e) {
        log.error("relay {} threw instead of failing its futures", relay.getClass().getSimpleName(), e);
        return loaded.stream().map(r -> Future.<Void>failedFuture(e)).toList();
      }
    });
  }

  /** Publishes in windows of {@code maxInFlight}; collects one outcome (null = acked) per record. */
  private Future<List<Throwable>> publish(List<OutboxRecord> records, int from, List<Throwable> outcomes) {
    if (from >= records.size()) {
      return Future.succeededFuture(outcomes);
    }
    int to = Math.min(records.size(), from + config.maxInFlight());
    long started = System.nanoTime();
    List<Future<Void>> acks = handOver(records.subList(from, to));
    for (Future<Void> ack : acks) {
      ack.onSuccess(v -> metrics.publishDuration.record(System.nanoTime() - started, TimeUnit.NANOSECONDS));
    }
    // One timer per window, not one per event (a timer set and cancelled for each of thousands of
    // events a second): an event still unacknowledged when it fires has timed out, and its late
    // answer is ignored. Broker callbacks complete the acks on client threads: come back to this
    // verticle's context (one hop per window) before touching its state.
    Promise<Void> window = Promise.promise();
    long timer = vertx.setTimer(attemptTimeout.toMillis(), id -> window.tryComplete());
    Future.join(acks).onComplete(ar -> context.runOnContext(v -> {
      vertx.cancelTimer(timer);
      window.tryComplete();
    }));
    return window.future().compose(v -> {
      // One look at each ack (null = acknowledged): broker callbacks may still complete them on
      // their own threads, and every decision below must see the same answers.
      String noAcknowledgement = "no acknowledgement from the broker within " + attemptTimeout.toMillis() + " ms";
      TimeoutException timedOut = new TimeoutException(noAcknowledgement);
      List<Throwable> answers = acks.stream().map(ack -> ack.succeeded() ? null : ack.failed() ? ack.cause() : timedOut).toList();
      if (answers.contains(timedOut)) {
        relay.abandon(); // those events go back to be claimed again: the relay must not send them late
      }
      // A malformed event failed before reaching the broker: it tells nothing about the broker
      List<Throwable> brokerAnswers = answers.stream().filter(a -> !(a instanceof MalformedEventException)).toList();
      if (!brokerAnswers.isEmpty()
          && brokerAnswers.stream().allMatch(a -> a == timedOut || a instanceof RelayTimeoutException || a instanceof RelayUnavailableException)) {
        // No event got an answer (none by the attempt timeout, the relay's own timeout, or no broker
        // to reach): the broker is not there, or hung, which is an outage, not an attempt of these
        // events; in a window with any answer they are failed attempts. The rest of the batch is released
        // with this window instead of being sent after it (more waiting if the broker is gone, more
        // duplicates if it only stalled).
        Throwable outage = brokerAnswers.stream().filter(RelayUnavailableException.class::isInstance).findFirst()
            .orElseGet(() -> new RelayUnavailableException(noAcknowledgement + " for any of the " + brokerAnswers.size() + " events sent",
                brokerAnswers.get(0)));
        answers.forEach(a -> outcomes.add(a instanceof MalformedEventException ? a : outage));
        while (outcomes.size() < records.size()) {
          outcomes.add(outage);
        }
        return Future.succeededFuture(outcomes);
      }
      outcomes.addAll(answers);
      return publish(records, to, outcomes);
    });
  }

  private void logFailures(List<Throwable> outcomes) {
    Throwable first = null;
    int failed = 0;
    for (Throwable t : outcomes) {
      if (t != null && !(t instanceof RelayUnavailableException)) { // an outage is logged once, below
        failed++;
        first = first == null ? t : first;
      }
    }
    if (first != null) {
      log.warn("{} of {} publishes failed, first: {}", failed, outcomes.size(), first.toString());
    }
  }

  /**
   * After a batch: if nothing was acknowledged and the relay found its broker unreachable, pause
   * claiming (doubling up to {@link #MAX_OUTAGE_PAUSE}); if anything was acknowledged, the broker is
   * back.
   */
  private void relayOutcome(List<Throwable> outcomes) {
    if (stopping) {
      return; // stop() has settled the gauge; no pause to schedule
    }
    boolean acked = outcomes.stream().anyMatch(t -> t == null);
    Throwable unreachable = outcomes.stream().filter(RelayUnavailableException.class::isInstance).findFirst().orElse(null);
    if (acked) {
      if (outages > 0) {
        log.info("outbox relay reached its broker again after {} s; claiming resumes",
            (System.nanoTime() - outageStarted) / 1_000_000_000L);
        outages = 0;
      }
      if (outage.pausedPollers() > 0) {
        outage.reached(this);
      }
    } else if (unreachable != null) {
      if (outages++ == 0) {
        outageStarted = System.nanoTime();
      }
      outage.paused(this);
      long pause = Math.min(MAX_OUTAGE_PAUSE.toMillis(), config.backoffBase().toMillis() << Math.min(outages - 1, 20));
      if (outages == 1) {
        log.warn("outbox relay cannot reach its broker ({}); no attempt counted, claiming paused, retried every {} ms"
            + " doubling up to {} s", unreachable.getMessage(), pause, MAX_OUTAGE_PAUSE.toSeconds());
      } else {
        log.debug("outbox relay still cannot reach its broker ({}); next try in {} ms", unreachable.getMessage(), pause);
      }
      resumeTimer = vertx.setTimer(Math.max(1, pause), id -> {
        resumeTimer = -1;
        sweepDue = true;
        trigger();
      });
    }
  }

  private void record(OutboxStore.Settled s) {
    metrics.published.increment(s.sent());
    metrics.released.increment(s.released());
    metrics.deadLettered.increment(s.deadLettered());
    if (s.fenced() > 0) {
      log.warn("{} events of a batch were no longer ours to mark (claim expired and recovered)", s.fenced());
    }
  }

  /** Failed attempts by event type; events whose broker was unreachable made no attempt. */
  private void countFailures(List<OutboxRecord> records, List<Throwable> outcomes) {
    for (int i = 0; i < outcomes.size(); i++) {
      Throwable err = outcomes.get(i);
      if (err != null && !(err instanceof RelayUnavailableException)) {
        metrics.failed(records.get(i).eventType());
      }
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
