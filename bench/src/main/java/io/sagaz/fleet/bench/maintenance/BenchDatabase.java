package io.sagaz.fleet.bench.maintenance;

import io.sagaz.fleet.testkit.PostgresFixture;
import io.sagaz.fleet.testkit.TestDatabase;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * A fresh, migrated database for one benchmark run: on the server named by {@code SAGAZ_BENCH_PG_URL}
 * ({@code postgresql://user[:pass]@host:port/admin-db}) when set, else on an embedded PostgreSQL 17.
 * The database is dropped again by {@link #close()}.
 */
final class BenchDatabase implements AutoCloseable {
  private final TestDatabase database;
  private final String adminJdbcUrl;
  private final String description;

  private BenchDatabase(TestDatabase database, String adminJdbcUrl, String description) {
    this.database = database;
    this.adminJdbcUrl = adminJdbcUrl;
    this.description = description;
  }

  static BenchDatabase create() throws SQLException {
    String url = System.getenv("SAGAZ_BENCH_PG_URL");
    if (url == null || url.isBlank()) {
      PostgresFixture embedded = PostgresFixture.embedded();
      return new BenchDatabase(embedded.createMigratedDatabase(), null,
          "embedded PostgreSQL " + embedded.serverVersion());
    }
    URI uri = URI.create(url.startsWith("jdbc:") ? url.substring(5) : url);
    String user = "postgres";
    String pass = "";
    if (uri.getUserInfo() != null) {
      String[] up = uri.getUserInfo().split(":", 2);
      user = up[0];
      pass = up.length > 1 ? up[1] : "";
    }
    int port = uri.getPort() < 0 ? 5432 : uri.getPort();
    String adminDb = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
    String admin = "jdbc:postgresql://" + uri.getHost() + ":" + port + "/" + adminDb;
    String name = "sagaz_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
    int version;
    try (Connection c = DriverManager.getConnection(admin, user, pass); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
      try (ResultSet rs = st.executeQuery("SHOW server_version_num")) {
        rs.next();
        version = Integer.parseInt(rs.getString(1)) / 10000;
      }
    }
    TestDatabase db = new TestDatabase(uri.getHost(), port, name, user, pass, version);
    PostgresFixture.migrate(db);
    return new BenchDatabase(db, admin, "PostgreSQL " + version + " at " + uri.getHost() + ":" + port);
  }

  TestDatabase database() {
    return database;
  }

  String description() {
    return description;
  }

  @Override
  public void close() throws SQLException {
    if (adminJdbcUrl == null) {
      return; // the embedded server and its databases go away with the JVM
    }
    try (Connection c = DriverManager.getConnection(adminJdbcUrl, database.user(), database.password());
         Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + database.database() + " WITH (FORCE)");
    }
  }
}
