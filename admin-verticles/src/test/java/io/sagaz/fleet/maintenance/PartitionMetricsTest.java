package io.sagaz.fleet.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The scraped names must be the seed's, exactly (Micrometer adds unit and type suffixes). */
class PartitionMetricsTest {

  @Test
  void scrapeCarriesTheSeedMetricNamesWithTheirValues() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    PartitionMetrics metrics = new PartitionMetrics(registry);
    metrics.recordRun(Duration.ofMillis(250));
    metrics.recordError();
    Instant now = Instant.parse("2026-01-10T00:00:00Z");
    metrics.update(new JsonObject()
        .put("partitions", new JsonArray()
            .add(partition("saga_outbox", "2026-01-17T00:00:00Z", false))
            .add(partition("saga_outbox", "2026-01-18T00:00:00Z", false))
            .add(partition("saga_outbox", null, true)))
        .put("defaults", new JsonArray().add(new JsonObject().put("table", "saga_outbox").put("rowCount", 42L))), now);

    String scrape = registry.scrape();

    assertThat(scrape).contains("sagaz_partition_maintenance_duration_seconds_count 1");
    assertThat(scrape).contains("sagaz_partition_maintenance_duration_seconds_sum 0.25");
    assertThat(scrape).contains("sagaz_partition_maintenance_duration_seconds_bucket{le=");
    assertThat(scrape).contains("sagaz_partition_maintenance_errors_total 1.0");
    assertThat(scrape).contains("sagaz_partition_ahead_days{table=\"saga_outbox\"} 8.0");
    assertThat(scrape).contains("sagaz_partition_default_rows{table=\"saga_outbox\"} 42.0");
  }

  private static JsonObject partition(String table, String to, boolean isDefault) {
    return new JsonObject().put("table", table).put("to", to).put("isDefault", isDefault);
  }
}
