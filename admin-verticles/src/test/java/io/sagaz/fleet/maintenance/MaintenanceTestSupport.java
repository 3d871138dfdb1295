package io.sagaz.fleet.maintenance;

import io.sagaz.fleet.core.config.MaintenanceConfig;
import io.sagaz.fleet.testkit.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Shared helpers for the maintenance tests: config, pools, bounded polling, plain JDBC reads. */
final class MaintenanceTestSupport {
  private MaintenanceTestSupport() {}

  static MaintenanceConfig config(Duration lease) {
    return new MaintenanceConfig(Duration.ofHours(1), lease, Duration.ofMillis(200), 3, 7, 12, 30, 90);
  }

  static Pool pool(Vertx vertx, TestDatabase db, int size) {
    return PgBuilder.pool().connectingTo(db.url()).with(new PoolOptions().setMaxSize(size)).using(vertx).build();
  }

  /** Polls {@code condition} every 25 ms until it holds; fails naming {@code what} after {@code limit}. */
  static void await(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + limit + " waiting for " + what);
      }
      Thread.sleep(25);
    }
  }

  static long queryLong(TestDatabase db, String sql) {
    try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : -1;
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  static String queryString(TestDatabase db, String sql) {
    try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  static void execute(TestDatabase db, String sql) {
    try (Connection c = db.connect(); Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }
}
