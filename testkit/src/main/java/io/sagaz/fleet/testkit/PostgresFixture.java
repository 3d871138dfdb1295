package io.sagaz.fleet.testkit;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server for tests, and fresh databases on it.
 *
 * <p>{@link #shared()} picks, once per JVM: the server named by {@code SAGAZ_TEST_PG_URL}
 * ({@code postgresql://user[:pass]@host:port/maintenance-db}); else a Testcontainers PostgreSQL when a
 * Docker engine answers; else an embedded PostgreSQL 17. {@link #embedded()} is always the embedded
 * one, for tests that must cover it whatever the environment.
 *
 * <p>Each test gets its own database, so suites may run in parallel against one server. Migrated
 * databases are cloned from a template migrated once per JVM, which costs a fraction of migrating.
 */
public final class PostgresFixture {
  private static final Logger log = LoggerFactory.getLogger(PostgresFixture.class);
  private static PostgresFixture shared;
  private static PostgresFixture embedded;

  private static final String PREFIX = "sagaz_t_";
  private static final java.time.Duration STALE_AFTER = java.time.Duration.ofHours(6);

  private final String kind;
  private final String host;
  private final int port;
  private final String user;
  private final String password;
  private final String adminDb;
  private final List<String> created = new CopyOnWriteArrayList<>();
  private String template;
  private int serverVersion;

  private PostgresFixture(String kind, String host, int port, String user, String password, String adminDb) {
    this.kind = kind;
    this.host = host;
    this.port = port;
    this.user = user;
    this.password = password == null ? "" : password;
    this.adminDb = adminDb;
    try (Connection c = adminConnection(); var rs = c.createStatement().executeQuery("SHOW server_version_num")) {
      rs.next();
      this.serverVersion = Integer.parseInt(rs.getString(1)) / 10000;
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL " + kind + " at " + host + ":" + port + " did not answer: " + e.getMessage(), e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(this::dropCreated, "pg-fixture-cleanup"));
    Thread sweeper = new Thread(this::dropStale, "pg-fixture-sweep");
    sweeper.setDaemon(true);
    sweeper.start();
  }

  /** The PostgreSQL the environment offers (see class doc), started on first use. */
  public static synchronized PostgresFixture shared() {
    if (shared == null) {
      String url = System.getenv("SAGAZ_TEST_PG_URL");
      if (url != null && !url.isBlank()) {
        shared = fromUrl("server", url);
      } else if (Containers.dockerAvailable()) {
        shared = Containers.postgres();
      } else {
        shared = embedded();
      }
      log.info("tests use PostgreSQL {} {}:{} (version {})", shared.kind, shared.host, shared.port, shared.serverVersion);
    }
    return shared;
  }

  /** An embedded PostgreSQL 17 in this JVM, whatever the environment. */
  public static synchronized PostgresFixture embedded() {
    if (embedded == null) {
      try {
        Path dir = Files.createTempDirectory("sagaz-test-pg");
        var pg = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
            .setDataDirectory(dir)
            .setCleanDataDirectory(true)
            .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            pg.close();
          } catch (Exception ignored) {
            // the JVM is going away; the temp directory goes with the machine
          }
        }, "embedded-pg-stop"));
        embedded = new PostgresFixture("embedded", "127.0.0.1", pg.getPort(), "postgres", "", "postgres");
      } catch (Exception e) {
        throw new IllegalStateException("embedded PostgreSQL did not start: " + e.getMessage(), e);
      }
    }
    return embedded;
  }

  static PostgresFixture fromUrl(String kind, String url) {
    URI uri = URI.create(url.startsWith("jdbc:") ? url.substring(5) : url);
    String userInfo = uri.getUserInfo();
    String user = "postgres";
    String pass = "";
    if (userInfo != null) {
      int i = userInfo.indexOf(':');
      user = i < 0 ? userInfo : userInfo.substring(0, i);
      pass = i < 0 ? "" : userInfo.substring(i + 1);
    }
    String db = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
    return new PostgresFixture(kind, uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), user, pass, db);
  }

  static PostgresFixture forContainer(String host, int port, String user, String password, String db) {
    return new PostgresFixture("container", host, port, user, password, db);
  }

  /** {@code server}, {@code container} or {@code embedded}. */
  public String kind() {
    return kind;
  }

  public int serverVersion() {
    return serverVersion;
  }

  /** A fresh, empty database. */
  public TestDatabase createDatabase() {
    return create(null);
  }

  /** A fresh database with every Flyway migration on the classpath applied. */
  public synchronized TestDatabase createMigratedDatabase() {
    if (template == null) {
      TestDatabase t = create(null);
      migrate(t);
      template = t.database();
    }
    return create(template);
  }

  /** Applies the migrations under {@code classpath:db/migration} to a database. */
  public static void migrate(TestDatabase db) {
    Flyway.configure()
        .dataSource(db.jdbcUrl(), db.user(), db.password())
        .locations("classpath:db/migration")
        .load()
        .migrate();
  }

  /** Drops a database made by this fixture, ending any sessions still on it. */
  public void drop(TestDatabase db) {
    dropDatabase(db.database());
    created.remove(db.database());
  }

  private TestDatabase create(String fromTemplate) {
    // The creation time in the name lets a later run sweep databases a killed JVM left behind.
    String name = PREFIX + Long.toString(System.currentTimeMillis() / 1000, 36) + "_"
        + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toLowerCase(Locale.ROOT);
    String sql = "CREATE DATABASE " + name + (fromTemplate == null ? "" : " TEMPLATE " + fromTemplate);
    try (Connection c = adminConnection(); Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create test database: " + e.getMessage(), e);
    }
    created.add(name);
    return new TestDatabase(host, port, name, user, password, serverVersion);
  }

  private void dropDatabase(String name) {
    try (Connection c = adminConnection(); Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      log.warn("could not drop test database {}: {}", name, e.getMessage());
    }
  }

  /**
   * Drops this JVM's databases in parallel with a bounded wait: one at a time they took ~1.5 s each on
   * a loaded server, long enough for surefire to kill the forked JVM at exit.
   */
  private void dropCreated() {
    ExecutorService drops = Executors.newFixedThreadPool(4);
    for (String name : created) {
      drops.submit(() -> dropDatabase(name));
    }
    drops.shutdown();
    try {
      drops.awaitTermination(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Drops test databases older than {@link #STALE_AFTER} that a killed test JVM could not drop. */
  private void dropStale() {
    long cutoff = System.currentTimeMillis() / 1000 - STALE_AFTER.toSeconds();
    List<String> stale = new ArrayList<>();
    try (Connection c = adminConnection(); Statement st = c.createStatement();
        var rs = st.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE 'sagaz\\_t\\_%'")) {
      while (rs.next()) {
        String name = rs.getString(1);
        String[] parts = name.substring(PREFIX.length()).split("_");
        try {
          if (parts.length == 2 && Long.parseLong(parts[0], 36) < cutoff) {
            stale.add(name);
          }
        } catch (NumberFormatException ignored) {
          // not one of ours
        }
      }
    } catch (SQLException e) {
      log.debug("stale test database sweep skipped: {}", e.getMessage());
      return;
    }
    stale.forEach(this::dropDatabase);
  }

  private Connection adminConnection() throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + adminDb, user, password);
  }
}
