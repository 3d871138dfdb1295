package io.sagaz.fleet.maintenance;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The partition maintainer's metrics, under the seed's names (Prometheus adds nothing to these):
 * {@code sagaz_partition_maintenance_duration_seconds}, {@code sagaz_partition_maintenance_errors_total},
 * {@code sagaz_partition_ahead_days{table}} (how far past now the newest partition reaches) and
 * {@code sagaz_partition_default_rows{table}} (rows waiting in a DEFAULT partition).
 */
final class PartitionMetrics {
  private final MeterRegistry registry;
  private final Timer duration;
  private final Counter errors;
  private final Map<String, AtomicLong> aheadSeconds = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> defaultRows = new ConcurrentHashMap<>();

  PartitionMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.duration = Timer.builder("sagaz.partition.maintenance.duration")
        .description("Time a partition maintenance run took")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(10))
        .maximumExpectedValue(Duration.ofMinutes(2))
        .register(registry);
    this.errors = Counter.builder("sagaz.partition.maintenance.errors")
        .description("Partition maintenance runs that failed or were fenced")
        .register(registry);
  }

  void recordRun(Duration took) {
    duration.record(took);
  }

  void recordError() {
    errors.increment();
  }

  /** Updates the gauges from {@code PARTITIONS_LIST}'s body ({@code partitions} and {@code defaults}). */
  void update(JsonObject stats, Instant now) {
    Map<String, Long> newest = new java.util.HashMap<>();
    for (Object o : stats.getJsonArray("partitions", new JsonArray())) {
      JsonObject p = (JsonObject) o;
      String to = p.getString("to");
      if (to != null && !p.getBoolean("isDefault", false)) {
        newest.merge(p.getString("table"), Instant.parse(to).getEpochSecond(), Math::max);
      }
    }
    newest.forEach((table, toSeconds) -> gauge(aheadSeconds, "sagaz.partition.ahead.days",
        "Days from now to the end of the newest partition", table).set(toSeconds - now.getEpochSecond()));
    for (Object o : stats.getJsonArray("defaults", new JsonArray())) {
      JsonObject d = (JsonObject) o;
      gauge(defaultRows, "sagaz.partition.default.rows", "Rows sitting in the table's DEFAULT partition",
          d.getString("table")).set(d.getLong("rowCount", 0L));
    }
  }

  private AtomicLong gauge(Map<String, AtomicLong> values, String name, String help, String table) {
    return values.computeIfAbsent(table, t -> {
      AtomicLong value = new AtomicLong();
      boolean days = name.endsWith(".days");
      Gauge.builder(name, value, v -> days ? v.get() / 86_400.0 : v.get())
          .description(help)
          .tag("table", t)
          .register(registry);
      return value;
    });
  }
}
