package io.sagaz.fleet.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * The outbox's meters, named so that a Prometheus scrape shows the seed names exactly:
 * {@code outbox_pending_events_total} (gauge), {@code outbox_published_events_total},
 * {@code outbox_failed_events_total}, {@code outbox_publish_duration_seconds} (histogram), plus
 * {@code outbox_dead_lettered_events_total}, {@code outbox_dead_letter_events},
 * {@code outbox_in_flight_events}, {@code outbox_relay_unavailable_pollers},
 * {@code outbox_relay_unavailable_events_total} and {@code outbox_oldest_pending_age_seconds}.
 *
 * <p>Micrometer's Prometheus convention appends {@code _total} to counters and the base unit to
 * timers, so those are registered without the suffix. The Prometheus client strips {@code _total}
 * from gauges, so the seed's pending "gauge" is a function counter holding the current backlog (see
 * the constructor). The scraped names are checked against a PrometheusMeterRegistry in the tests: a
 * naming change would otherwise silently break dashboards and the autoscaler.
 */
public final class OutboxMetrics {
  /** Distinct {@code event_type} values of the failed counter; the rest count under {@link #OTHER_TYPES}. */
  static final int MAX_EVENT_TYPES = 200;
  static final String OTHER_TYPES = "other";
  final Counter published;
  private final MeterRegistry registry;
  private final Map<String, Counter> failedByType = new ConcurrentHashMap<>();
  final Counter deadLettered;
  final Timer publishDuration;
  final DistributionSummary claimSize;
  /** Events this node's pollers hold in claims right now: claimed, not settled yet. */
  final AtomicLong inFlight = new AtomicLong();
  /** This node's pollers that stopped claiming because their broker could not be reached. */
  final AtomicLong relayUnavailable = new AtomicLong();
  final Counter released;
  private final AtomicLong pending = new AtomicLong();
  private final AtomicLong deadLetters = new AtomicLong();
  private final DoubleAdder oldestPendingSeconds = new DoubleAdder();

  public OutboxMetrics(MeterRegistry registry) {
    this.registry = registry;
    published = Counter.builder("outbox.published.events")
        .description("Events the broker acknowledged and the outbox marked sent").register(registry);
    deadLettered = Counter.builder("outbox.dead.lettered.events")
        .description("Events moved to dead_letter after their last attempt").register(registry);
    publishDuration = Timer.builder("outbox.publish.duration")
        .description("Time from handing an event to the relay to the broker's acknowledgement")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry);
    // Every claim, empty ones included: rounds per second and events per round show whether pollers
    // spend their queries on work (large batches under load) or on finding nothing.
    claimSize = DistributionSummary.builder("outbox.claim.size")
        .baseUnit("events")
        .description("Events per claim, empty claims included").register(registry);
    // The seed's name for the backlog gauge ends in _total, which the Prometheus client reserves for
    // counters: a Gauge would be scraped as outbox_pending_events. A function counter reading the
    // current backlog is scraped under the seed's exact name (use it as a gauge: no rate()); the
    // same value is also exported with a gauge type as outbox_backlog_events.
    FunctionCounter.builder("outbox.pending.events", pending, AtomicLong::get)
        .description("Events not delivered yet (pending, failed awaiting retry, or claimed); a gauge value")
        .register(registry);
    Gauge.builder("outbox.backlog.events", pending, AtomicLong::get)
        .description("Events not delivered yet (pending, failed awaiting retry, or claimed)").register(registry);
    // Unordered claims are row locks and leave the rows pending, so the status counts no longer show
    // what is being published; each node tells its own.
    Gauge.builder("outbox.in.flight.events", inFlight, AtomicLong::get)
        .description("Events this node's pollers have claimed and not yet marked (being published)").register(registry);
    // A broker outage is not a failed delivery: no attempt is counted and the pollers wait for it.
    Gauge.builder("outbox.relay.unavailable.pollers", relayUnavailable, AtomicLong::get)
        .description("This node's pollers paused because their broker could not be reached").register(registry);
    released = Counter.builder("outbox.relay.unavailable.events")
        .description("Events claimed but not published because the broker could not be reached (no attempt counted)")
        .register(registry);
    Gauge.builder("outbox.dead.letter.events", deadLetters, AtomicLong::get)
        .description("Events currently in dead_letter").register(registry);
    Gauge.builder("outbox.oldest.pending.age", oldestPendingSeconds, DoubleAdder::sum)
        .baseUnit("seconds")
        .description("Age of the oldest undelivered event").register(registry);
  }
  /**
   * One failed publish attempt of an event of {@code eventType} (retried later or dead-lettered), the
   * seed dashboard's "error rate by event type". Event types are the application's own few names; a
   * flood of distinct ones (rows written by hand) stops adding series at {@link #MAX_EVENT_TYPES}.
   */
  void failed(String eventType) {
    String type = eventType == null || eventType.isEmpty() ? OTHER_TYPES : eventType;
    Counter c = failedByType.get(type);
    if (c == null) {
      String tag = failedByType.size() >= MAX_EVENT_TYPES ? OTHER_TYPES : type;
      c = failedByType.computeIfAbsent(tag, t -> Counter.builder("outbox.failed.events").tag("event_type", t)
          .description("Failed publish attempts (retried later or dead-lettered), by event type").register(registry));
    }
    c.increment();
  }


  /** Updates the backlog gauges from a fresh query. */
  void backlog(long pendingNow, long deadLettersNow, double oldestSeconds) {
    pending.set(pendingNow);
    deadLetters.set(deadLettersNow);
    oldestPendingSeconds.reset();
    oldestPendingSeconds.add(oldestSeconds);
  }
}
