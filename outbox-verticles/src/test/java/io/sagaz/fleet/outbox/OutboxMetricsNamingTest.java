package io.sagaz.fleet.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OutboxMetricsNamingTest {

  @Test
  void aPrometheusScrapeShowsTheSeedMetricNamesExactly() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    OutboxMetrics m = new OutboxMetrics(registry);
    m.published.increment(3);
    m.failed("OrderPlaced");
    m.deadLettered.increment();
    m.publishDuration.record(Duration.ofMillis(4));
    m.backlog(7, 2, 1.5);
    m.claimSize.record(0);
    m.claimSize.record(12);
    m.inFlight.set(5);
    m.relayUnavailable.set(2);
    m.released.increment(40);

    String scrape = registry.scrape();

    assertThat(scrape)
        .contains("\noutbox_pending_events_total 7.0")
        .contains("# TYPE outbox_backlog_events gauge")
        .contains("\noutbox_backlog_events 7.0")
        .contains("# TYPE outbox_published_events_total counter")
        .contains("outbox_published_events_total 3.0")
        .contains("outbox_failed_events_total{event_type=\"OrderPlaced\"} 1.0")
        .contains("# TYPE outbox_publish_duration_seconds histogram")
        .contains("outbox_publish_duration_seconds_bucket{le=")
        .contains("outbox_publish_duration_seconds_count 1")
        .contains("outbox_dead_lettered_events_total 1.0")
        .contains("outbox_dead_letter_events 2.0")
        .contains("outbox_oldest_pending_age_seconds 1.5")
        .contains("outbox_claim_size_events_count 2")
        .contains("outbox_claim_size_events_sum 12.0")
        .contains("# TYPE outbox_in_flight_events gauge")
        .contains("\noutbox_in_flight_events 5.0")
        .contains("# TYPE outbox_relay_unavailable_pollers gauge")
        .contains("\noutbox_relay_unavailable_pollers 2.0")
        .contains("# TYPE outbox_relay_unavailable_events_total counter")
        .contains("\noutbox_relay_unavailable_events_total 40.0");
  }

  @Test
  void failedAttemptsAreCountedByEventTypeUpToACapAndTheRestAsOther() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    OutboxMetrics m = new OutboxMetrics(registry);
    m.failed("OrderPlaced");
    m.failed("OrderPlaced");
    m.failed("PaymentTaken");
    for (int i = 0; i < OutboxMetrics.MAX_EVENT_TYPES + 5; i++) {
      m.failed("Hand" + i);
    }
    m.failed("OrderPlaced");

    String scrape = registry.scrape();
    assertThat(scrape).contains("outbox_failed_events_total{event_type=\"OrderPlaced\"} 3.0")
        .contains("outbox_failed_events_total{event_type=\"PaymentTaken\"} 1.0")
        .contains("outbox_failed_events_total{event_type=\"other\"} 7.0");
    assertThat(registry.find("outbox.failed.events").counters()).hasSize(OutboxMetrics.MAX_EVENT_TYPES + 1);
  }
}
