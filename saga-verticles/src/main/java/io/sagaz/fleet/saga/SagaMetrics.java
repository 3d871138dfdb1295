package io.sagaz.fleet.saga;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Collection;
import java.util.function.Supplier;

/**
 * Saga metrics by saga name. Prometheus names: {@code sagaz_saga_started_total},
 * {@code sagaz_saga_completed_total}, {@code sagaz_saga_rolled_back_total}, {@code sagaz_saga_failed_total},
 * {@code sagaz_saga_step_duration_seconds} (histogram; tags saga, step, phase, outcome) and
 * {@code sagaz_saga_running} (sagas this node is running).
 */
final class SagaMetrics {
  private final MeterRegistry registry;
  private final java.util.Map<String, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();

  SagaMetrics(MeterRegistry registry, Collection<String> sagaNames, Supplier<Collection<LiveSaga>> live) {
    this.registry = registry;
    for (String name : sagaNames) {
      Gauge.builder("sagaz.saga.running", live, l -> l.get().stream().filter(s -> s.def.name().equals(name)).count())
          .tag("saga", name).description("sagas this node is running").register(registry);
    }
  }

  void started(String saga) {
    counter("sagaz.saga.started", saga);
  }

  /** Counts the terminal lifecycle events. */
  void lifecycle(String type, String saga) {
    switch (type) {
      case "saga.completed" -> counter("sagaz.saga.completed", saga);
      case "saga.rolled_back" -> counter("sagaz.saga.rolled_back", saga);
      case "saga.failed" -> counter("sagaz.saga.failed", saga);
      default -> { }
    }
  }

  void stepDuration(String saga, String step, String phase, String outcome, long nanos) {
    // cached: building the meter id on every step costs more than recording the sample
    timers.computeIfAbsent(saga + '\u0000' + step + '\u0000' + phase + '\u0000' + outcome,
        k -> Timer.builder("sagaz.saga.step.duration").tags("saga", saga, "step", step, "phase", phase, "outcome", outcome)
            .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
            .register(registry))
        .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  private void counter(String name, String saga) {
    Counter.builder(name).tag("saga", saga).register(registry).increment();
  }
}
