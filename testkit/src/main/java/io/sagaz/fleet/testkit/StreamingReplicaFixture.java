package io.sagaz.fleet.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL primary with one hot standby streaming from it, both on free loopback ports,
 * built with the machine's PostgreSQL binaries ({@code SAGAZ_TEST_PG_BIN}, else the newest
 * {@code /usr/lib/postgresql/<version>/bin}): initdb, pg_basebackup {@code -R}, pg_ctl. The standby
 * reports itself with the given name, its cluster_name, as the deployments' replicas do. PostgreSQL
 * refuses to run as root, so as root every command runs as the {@code postgres} system user (runuser).
 */
public final class StreamingReplicaFixture implements AutoCloseable {
  private static final Duration STREAMING_TIMEOUT = Duration.ofSeconds(30);

  private final Path bin;
  private final Path dir;
  private final int primaryPort;
  private final int standbyPort;
  private final List<Path> running = new ArrayList<>();

  private StreamingReplicaFixture(Path bin, Path dir, int primaryPort, int standbyPort) {
    this.bin = bin;
    this.dir = dir;
    this.primaryPort = primaryPort;
    this.standbyPort = standbyPort;
  }

  /** Starts the primary, clones it into a standby named {@code standbyName} and waits until it streams. */
  public static StreamingReplicaFixture start(String standbyName) {
    StreamingReplicaFixture f;
    try {
      f = new StreamingReplicaFixture(binaries(), Files.createTempDirectory("sagaz-replication-"), FreePorts.one(), FreePorts.one());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      f.startPrimary();
      f.startStandby(standbyName);
      f.awaitStreaming();
      return f;
    } catch (RuntimeException e) {
      f.close();
      throw e;
    }
  }

  /** {@code postgresql://postgres@127.0.0.1:port/postgres} of the primary. */
  public String primaryUrl() {
    return "postgresql://postgres@127.0.0.1:" + primaryPort + "/postgres";
  }

  /** Stops the standby (fast shutdown): the primary stops listing it. */
  public void stopStandby() {
    pgCtlStop(dir.resolve("standby"));
  }

  private void startPrimary() {
    Path data = dir.resolve("primary");
    owned(dir);
    run(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync");
    append(data.resolve("postgresql.conf"), "listen_addresses = '127.0.0.1'", "port = " + primaryPort,
        "unix_socket_directories = '" + dir + "'", "wal_level = replica", "max_wal_senders = 4", "fsync = off",
        "wal_receiver_status_interval = 1s");
    pgCtlStart(data);
  }

  private void startStandby(String name) {
    Path data = dir.resolve("standby");
    run(bin.resolve("pg_basebackup").toString(), "-h", "127.0.0.1", "-p", String.valueOf(primaryPort), "-U", "postgres",
        "-D", data.toString(), "-R", "-X", "stream", "--no-sync");
    append(data.resolve("postgresql.conf"), "port = " + standbyPort);
    // Named as the deployments name their replicas (docker/postgres/replica-entrypoint.sh): the
    // primary_conninfo from -R has no application_name, so the walreceiver reports the cluster_name.
    append(data.resolve("postgresql.conf"), "cluster_name = '" + name + "'");
    pgCtlStart(data);
  }

  private void awaitStreaming() {
    long deadline = System.nanoTime() + STREAMING_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + primaryPort + "/postgres", "postgres", "");
           ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")) {
        rs.next();
        if (rs.getInt(1) == 1) {
          return;
        }
        Thread.sleep(100);
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    }
    throw new IllegalStateException("the standby did not stream within " + STREAMING_TIMEOUT + ": " + logs());
  }

  private void pgCtlStart(Path data) {
    run(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", data + ".log", "-w", "-t", "60", "start");
    running.add(data);
  }

  private void pgCtlStop(Path data) {
    if (running.remove(data)) {
      run(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop");
    }
  }

  @Override
  public void close() {
    for (Path data : List.copyOf(running)) {
      try {
        pgCtlStop(data);
      } catch (RuntimeException ignored) {
        // best effort: a server that cannot stop leaves a temp dir behind
      }
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp dir left behind is harmless
    }
  }

  private String logs() {
    StringBuilder b = new StringBuilder();
    for (String name : List.of("primary.log", "standby.log")) {
      try {
        b.append("\n--- ").append(name).append('\n').append(Files.readString(dir.resolve(name)));
      } catch (IOException e) {
        b.append("\n--- ").append(name).append(": none");
      }
    }
    return b.toString();
  }

  private static void run(String... command) {
    List<String> cmd = new ArrayList<>();
    if (isRoot()) {
      cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    cmd.addAll(List.of(command));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + cmd, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void append(Path file, String... lines) {
    try {
      Files.writeString(file, "\n" + String.join("\n", lines) + "\n", java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** As root, hands the directory to the postgres user, who runs the servers. */
  private static void owned(Path dir) {
    if (!isRoot()) {
      return;
    }
    try {
      UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
      Files.setOwner(dir, postgres);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot hand " + dir + " to the postgres user (PostgreSQL refuses to run as root)", e);
    }
  }

  private static Path binaries() {
    String configured = System.getenv("SAGAZ_TEST_PG_BIN");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("pg_basebackup")))
          .max(Comparator.comparingInt(b -> Integer.parseInt(b.getParent().getFileName().toString().replaceAll("\\D", "0"))))
          .orElseThrow();
    } catch (IOException | RuntimeException e) {
      throw MissingTool.of("no PostgreSQL server binaries (initdb, pg_basebackup, pg_ctl) found: set "
          + "SAGAZ_TEST_PG_BIN or install them, e.g. `apt-get install -y postgresql`");
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }
}
