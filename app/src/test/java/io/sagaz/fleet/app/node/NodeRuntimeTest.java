package io.sagaz.fleet.app.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sagaz.fleet.core.config.DbConfig;
import io.sagaz.fleet.testkit.PostgresFixture;
import io.sagaz.fleet.testkit.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The registry a node hands to modules really carries Vert.x, JVM and named pool metrics. */
class NodeRuntimeTest {

  @Test
  void registryHasJvmVertxAndNamedPoolMetricsAfterTheFirstQuery() {
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx = NodeRuntime.vertx(meters, "127.0.0.1").build();
    try {
      DbConfig cfg = new DbConfig(Optional.of(db.url()), Optional.empty(), 2, 0);
      Pool pool = NodeRuntime.pool(vertx, cfg, db.url());
      int one = pool.query("SELECT 1").execute().map(rows -> rows.iterator().next().getInteger(0)).await();
      assertThat(one).isEqualTo(1);
      String scrape = meters.scrape();
      assertThat(scrape).contains("jvm_memory_used_bytes");
      assertThat(scrape).contains("vertx_pool_");
      assertThat(scrape).containsPattern("vertx_pool_\\w+\\{[^}]*pool_name=\"" + NodeRuntime.POOL_NAME + "\"");
    } finally {
      vertx.close().await();
      PostgresFixture.shared().drop(db);
    }
  }
}
