package io.sagaz.fleet.admin.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sagaz.fleet.core.config.DbConfig;
import io.sagaz.fleet.testkit.NodeProcess;
import io.sagaz.fleet.testkit.StreamingReplicaFixture;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code sagaz_postgres_replication_lag_seconds{replica}} on a real primary with a real hot standby
 * streaming from it: one series named after the standby while it streams, none once it is gone.
 */
class ReplicationLagMetricsTest {

  @Test
  void oneSeriesPerStreamingStandbyAndNoneWithoutStandbys() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (StreamingReplicaFixture pair = StreamingReplicaFixture.start("replica-1")) {
      Vertx vertx = Vertx.vertx();
      Pool pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(pair.primaryUrl())).using(vertx).build();
      DbConfig db = new DbConfig(Optional.of(pair.primaryUrl()), Optional.empty(), 2, 0);
      vertx.deployVerticle(new DbMetricsVerticle(pool, db, new DbMetrics(registry), Duration.ofMillis(100))).await();

      Pattern series = Pattern.compile("(?m)^sagaz_postgres_replication_lag_seconds\\{replica=\"replica-1\"} (\\S+)$");
      awaitTrue(() -> series.matcher(registry.scrape()).find(), "the standby has a lag series");
      Matcher m = series.matcher(registry.scrape());
      assertThat(m.find()).isTrue();
      assertThat(Double.parseDouble(m.group(1))).isBetween(0.0, 30.0);
      assertThat(registry.scrape()).contains("# TYPE sagaz_postgres_replication_lag_seconds gauge");

      pair.stopStandby();
      awaitTrue(() -> !registry.scrape().contains("sagaz_postgres_replication_lag_seconds{"), "no series once the standby is gone");
      vertx.close().await();
    }
  }

  private static void awaitTrue(BooleanSupplier condition, String what) {
    assertThat(NodeProcess.eventually(Duration.ofSeconds(20), condition)).as("within 20 s: " + what).isTrue();
  }

}
