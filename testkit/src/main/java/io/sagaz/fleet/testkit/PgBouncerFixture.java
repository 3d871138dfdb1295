package io.sagaz.fleet.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real PgBouncer process in front of one {@link TestDatabase}, on a free loopback port, with a
 * generated ini in a temporary directory: transaction pooling (as the fleet's pgbouncer-rw), trust
 * authentication, and the test database's user as admin of the {@code pgbouncer} console database.
 *
 * <p>The binary is {@code SAGAZ_TEST_PGBOUNCER}, else {@code /usr/sbin/pgbouncer} (Debian's package),
 * else {@code pgbouncer} on the PATH. There is no fallback: a machine without PgBouncer fails these
 * tests with a message saying how to install it ({@code .ci/run} installs it when it runs as root).
 * PgBouncer refuses to run as root, so as root it is started with {@code -u} and a system user.
 */
public final class PgBouncerFixture implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

  private final Path dir;
  private final Process process;
  private final int port;
  private final TestDatabase target;

  private PgBouncerFixture(Path dir, Process process, int port, TestDatabase target) {
    this.dir = dir;
    this.process = process;
    this.port = port;
    this.target = target;
  }

  /** Starts PgBouncer in transaction mode with {@code serverPoolSize} server connections per pool. */
  public static PgBouncerFixture transactionMode(TestDatabase target, int serverPoolSize) {
    Path binary = binary();
    int port = FreePorts.one();
    try {
      Path dir = Files.createTempDirectory("sagaz-pgbouncer-");
      Files.writeString(dir.resolve("userlist.txt"), "\"" + target.user() + "\" \"\"\n");
      Files.writeString(dir.resolve("pgbouncer.ini"), ini(target, port, serverPoolSize, dir));
      // The unprivileged user PgBouncer switches to when started as root must read both files.
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      List<String> cmd = new ArrayList<>(List.of(binary.toString()));
      if (isRoot()) {
        cmd.addAll(List.of("-u", "nobody"));
      }
      cmd.add(dir.resolve("pgbouncer.ini").toString());
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(dir.resolve("pgbouncer.log").toFile()).start();
      PgBouncerFixture fixture = new PgBouncerFixture(dir, p, port, target);
      fixture.awaitListening();
      return fixture;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + binary, e);
    }
  }

  private static String ini(TestDatabase db, int port, int poolSize, Path dir) {
    return """
        [databases]
        %s = host=%s port=%d dbname=%s

        [pgbouncer]
        listen_addr = 127.0.0.1
        listen_port = %d
        unix_socket_dir =
        auth_type = trust
        auth_file = %s
        admin_users = %s
        stats_users = %s
        pool_mode = transaction
        default_pool_size = %d
        max_client_conn = 200
        ignore_startup_parameters = extra_float_digits
        """.formatted(db.database(), db.host(), db.port(), db.database(), port,
        dir.resolve("userlist.txt"), db.user(), db.user(), poolSize);
  }

  private void awaitListening() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("pgbouncer exited with " + process.exitValue() + ": " + log());
      }
      if (FreePorts.listening(port)) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for pgbouncer", e);
      }
    }
    close();
    throw new IllegalStateException("pgbouncer did not listen on " + port + " within " + START_TIMEOUT + ": " + log());
  }

  /** {@code postgresql://user@127.0.0.1:port/<database>}: the test database through PgBouncer. */
  public String url() {
    return "postgresql://" + target.user() + "@127.0.0.1:" + port + "/" + target.database();
  }

  /** The admin console: {@code postgresql://user@127.0.0.1:port/pgbouncer}. */
  public String adminUrl() {
    return "postgresql://" + target.user() + "@127.0.0.1:" + port + "/pgbouncer";
  }

  public int port() {
    return port;
  }

  /** What PgBouncer logged so far, for assertion messages. */
  public String log() {
    try {
      return Files.readString(dir.resolve("pgbouncer.log"));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    } catch (IOException ignored) {
      // a temp dir left behind is harmless
    }
  }

  static Path binary() {
    String configured = System.getenv("SAGAZ_TEST_PGBOUNCER");
    List<Path> candidates = new ArrayList<>();
    if (configured != null && !configured.isBlank()) {
      candidates.add(Path.of(configured));
    }
    candidates.add(Path.of("/usr/sbin/pgbouncer"));
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (!dir.isBlank()) {
        candidates.add(Path.of(dir, "pgbouncer"));
      }
    }
    return candidates.stream().filter(Files::isExecutable).findFirst().orElseThrow(() -> MissingTool.of(
        "PgBouncer is not installed: these tests need a real pgbouncer binary (SAGAZ_TEST_PGBOUNCER, "
            + "/usr/sbin/pgbouncer or PATH). Install it, e.g. `apt-get install -y pgbouncer`."));
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }
}
