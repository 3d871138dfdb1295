package io.sagaz.fleet.app.cli;

import io.sagaz.fleet.app.node.DbTarget;
import io.sagaz.fleet.app.node.EmbeddedDatabase;
import io.sagaz.fleet.app.node.Migrations;
import io.sagaz.fleet.core.config.DbConfig;
import io.sagaz.fleet.core.config.SagazConfig;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sagaz migrate}: applies the Flyway migrations to {@code --url} (or {@code SAGAZ_MIGRATION_URL}),
 * else to {@code db.url}, else to the embedded database. The separate URL is for a migration that must
 * bypass the node's route to the database: the Kubernetes Job migrates the primary directly when its
 * secret has a {@code migration-connection-string}, and through {@code db.url} (pgbouncer-rw) when it
 * has only the seed's {@code connection-string}.
 */
@Command(name = "migrate", mixinStandardHelpOptions = true,
    description = "Apply the database migrations to --url, else db.url; without either, to the embedded PostgreSQL in the data directory.")
public final class MigrateCommand implements Callable<Integer> {
  @Mixin
  ConfigOption config;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "node.dataDir (used when db.url is not set).")
  String dataDir;

  @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:SAGAZ_MIGRATION_URL}",
      description = "Migrate this database, directly (not through PgBouncer), instead of db.url. Default: $SAGAZ_MIGRATION_URL.")
  String url;

  @Override
  public Integer call() throws Exception {
    if (url != null && !url.isBlank()) {
      DbConfig.validateUrl("--url", url);
      DbTarget db = DbTarget.parse(url);
      int applied = Migrations.apply(db);
      System.out.println("migrated " + DbConfig.redact(db.url()) + ": " + applied + " migration(s) applied");
      return 0;
    }
    SagazConfig cfg = config.load(dataDir == null ? Map.of() : Map.of("node.dataDir", dataDir));
    if (cfg.db().url().isPresent()) {
      DbTarget db = DbTarget.parse(cfg.db().url().get()).throughPgBouncer(cfg.db().pgbouncer());
      int applied = Migrations.apply(db);
      System.out.println("migrated " + DbConfig.redact(db.url()) + ": " + applied + " migration(s) applied");
      return 0;
    }
    try (EmbeddedDatabase embedded = EmbeddedDatabase.start(cfg.node().dataDir().resolve("pg"), cfg.db().embeddedPort())) {
      int applied = Migrations.apply(embedded.target());
      System.out.println("migrated " + embedded + ": " + applied + " migration(s) applied");
    }
    return 0;
  }
}
