package io.sagaz.fleet.app.node;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies the Flyway migrations shipped in {@code core} ({@code classpath:db/migration}). Blocking. */
public final class Migrations {
  private static final Logger log = LoggerFactory.getLogger(Migrations.class);

  private Migrations() {}

  /** Migrates the database to the newest version and returns how many migrations ran. */
  public static int apply(DbTarget db) {
    Flyway flyway = Flyway.configure()
        .dataSource(db.jdbcUrl(), db.user(), db.password())
        .locations("classpath:db/migration")
        .load();
    MigrateResult result = flyway.migrate();
    var current = flyway.info().current();
    log.info("database schema at version {} ({} migration(s) applied now)",
        current == null ? "none" : current.getVersion(), result.migrationsExecuted);
    return result.migrationsExecuted;
  }
}
