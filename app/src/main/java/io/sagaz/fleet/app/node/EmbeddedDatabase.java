package io.sagaz.fleet.app.node;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL a node starts for itself when no {@code db.url} is configured, with its data in
 * {@code <node.dataDir>/pg}. The directory is kept across restarts: zonky runs {@code initdb} only when
 * it holds no {@code postgresql.conf} (and we never ask it to clean the directory).
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

  private final EmbeddedPostgres pg;
  private final Path dir;

  private EmbeddedDatabase(EmbeddedPostgres pg, Path dir) {
    this.pg = pg;
    this.dir = dir;
  }

  /** Starts PostgreSQL on {@code dir} (created and initialised on first use); blocking. */
  public static EmbeddedDatabase start(Path dir, int port) throws IOException {
    Files.createDirectories(dir);
    stopOrphanedServer(dir);
    boolean fresh = !Files.exists(dir.resolve("postgresql.conf"));
    log.info("{} embedded PostgreSQL in {}", fresh ? "initialising" : "starting", dir.toAbsolutePath());
    EmbeddedPostgres pg = EmbeddedPostgres.builder()
        .setDataDirectory(dir)
        .setCleanDataDirectory(false)
        .setPort(port)
        // zonky turns synchronous_commit off for tests; a node's data must survive a crash.
        .setServerConfig("synchronous_commit", "on")
        .setServerConfig("max_connections", "100")
        .setPGStartupWait(Duration.ofSeconds(60))
        // The node's own shutdown hook stops PostgreSQL last. zonky's hook would run beside it and
        // stop the database while the modules still hand over (the maintenance lease release failed).
        .setRegisterShutdownHook(false)
        .start();
    return new EmbeddedDatabase(pg, dir);
  }

  public int port() {
    return pg.getPort();
  }

  public DbTarget target() {
    return DbTarget.local(pg.getPort());
  }

  @Override
  public void close() throws IOException {
    pg.close();
  }

  /**
   * A node killed with SIGKILL leaves its PostgreSQL running on the data directory, which would make
   * the next start fail on the lock file. Stop that server (SIGTERM = smart shutdown) before starting.
   */
  private static void stopOrphanedServer(Path dir) {
    Path pidFile = dir.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    Optional<ProcessHandle> orphan = readPid(pidFile)
        .flatMap(ProcessHandle::of)
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false));
    orphan.ifPresent(p -> {
      log.warn("stopping PostgreSQL (pid {}) left running on {} by an earlier node", p.pid(), dir);
      p.destroy();
      try {
        p.onExit().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        log.warn("PostgreSQL pid {} did not stop within 30 s: {}", p.pid(), e.toString());
      }
    });
  }

  private static Optional<Long> readPid(Path pidFile) {
    try {
      List<String> lines = Files.readAllLines(pidFile);
      return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return "embedded PostgreSQL on 127.0.0.1:" + port() + " (data in " + dir.toAbsolutePath() + ")";
  }
}
