package io.sagaz.fleet.admin.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.Optional;

/** {@code GET /metrics}: the Prometheus text of the node's registry. */
public final class MetricsHandler {
  private MetricsHandler() {}

  /**
   * A scraping handler for the Prometheus registry in {@code meters} (itself, or one inside a
   * composite); without one, a handler that answers 503 saying so.
   */
  public static Handler<RoutingContext> create(MeterRegistry meters) {
    return prometheus(meters)
        .map(PrometheusScrapingHandler::create)
        .orElse(ctx -> ctx.fail(new ProblemException(503,
            "the node's metrics registry is a " + meters.getClass().getSimpleName() + ", not a Prometheus registry")));
  }

  static Optional<PrometheusMeterRegistry> prometheus(MeterRegistry meters) {
    if (meters instanceof PrometheusMeterRegistry p) {
      return Optional.of(p);
    }
    if (meters instanceof CompositeMeterRegistry c) {
      return c.getRegistries().stream().map(MetricsHandler::prometheus).flatMap(Optional::stream).findFirst();
    }
    return Optional.empty();
  }
}
