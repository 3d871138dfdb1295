package io.sagaz.fleet.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A {@code sagaz node} running as its own process from the fat jar, on loopback, for multi-node tests.
 *
 * <pre>{@code
 * try (NodeProcess node = NodeProcess.builder().clusterName(name).dbUrl(db.url()).start()) {
 *   HttpResponse<String> r = node.get("/api/v1/cluster");
 *   node.kill9();
 * }
 * }</pre>
 *
 * <p>Each node gets a folder {@code target/nodes/<name>} holding its working directory, data directory
 * and {@code node.log} (stdout and stderr). The helper chooses a free admin port and a random admin
 * token unless told otherwise, and strips {@code SAGAZ_*} variables inherited from the test's
 * environment so only what the test sets reaches the node. Waits are bounded; when one times out the
 * exception carries the tail of the node's log.
 */
public final class NodeProcess implements AutoCloseable {
  /** What the node prints once it is ready (kept in sync with the app's {@code FleetNode.READY_LINE}). */
  public static final String READY_LINE = "sagaz node ready";
  /** JVM flags Hazelcast needs on JDK 17+. */
  public static final List<String> HAZELCAST_FLAGS = List.of(
      "--add-modules", "java.se",
      "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");
  /** Small-footprint defaults: several nodes share a test machine's few cores. */
  public static final List<String> DEFAULT_JVM_ARGS = List.of(
      "-Xms32m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
  /** Nodes still running; stopped when the test JVM exits, so an aborted run leaves no processes behind. */
  private static final java.util.Set<Process> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(NodeProcess::stopLeftovers, "node-process-cleanup"));
  }

  private final String name;
  private final Process process;
  private final Path dir;
  private final Path dataDir;
  private final Path logFile;
  private final int adminPort;
  private final String configuredToken;

  private NodeProcess(String name, Process process, Path dir, Path dataDir, Path logFile, int adminPort, String token) {
    this.name = name;
    this.process = process;
    this.dir = dir;
    this.dataDir = dataDir;
    this.logFile = logFile;
    this.adminPort = adminPort;
    this.configuredToken = token;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The class-data-sharing flags of one node launch, and what to do once that node has exited. */
  private record CdsPlan(List<String> flags, Path partial, Path archive) {
    void afterStart(Process process) {
      if (partial == null) {
        return;
      }
      process.onExit().thenRun(() -> {
        try {
          if (Files.isRegularFile(partial)) {
            Files.move(partial, archive, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
          } else {
            dumpEnded(); // killed before it could write one: let a later node try
          }
        } catch (IOException ignored) {
          // another test JVM made the same archive first; either is good
        }
      });
    }
  }

  private static boolean cdsDumpStarted;

  private static synchronized void dumpEnded() {
    cdsDumpStarted = false;
  }

  /**
   * Class data sharing for node processes: a node loads ~12k classes, and mapping them from an archive
   * takes about a third of its start-up CPU away, which matters when a suite starts many nodes on a
   * busy machine. The first node of a test JVM writes the archive when it exits, to a temporary name
   * renamed only after that process is gone, so no node maps a half-written file; later nodes use it.
   * The name carries the jar's size and time and the JDK, so a rebuilt jar gets a fresh archive.
   * {@code -Dsagaz.nodeCds=false} turns it off.
   */
  private static synchronized CdsPlan cds(Path jar, Path baseDir, boolean mayWrite) {
    if (!Boolean.parseBoolean(System.getProperty("sagaz.nodeCds", "true"))) {
      return new CdsPlan(List.of(), null, null);
    }
    try {
      String key = Files.size(jar) + "-" + Files.getLastModifiedTime(jar).toMillis() + "-jdk" + Runtime.version().feature();
      Path dir = Files.createDirectories(baseDir.toAbsolutePath());
      Path archive = dir.resolve("sagaz-" + key + ".jsa");
      if (Files.isRegularFile(archive)) {
        return new CdsPlan(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off"), null, null);
      }
      if (cdsDumpStarted || !mayWrite) {
        return new CdsPlan(List.of(), null, null);
      }
      cdsDumpStarted = true;
      // Archives of earlier jars are dead weight (~70 MB each); a mapped file may be unlinked safely.
      try (var old = Files.newDirectoryStream(dir, "sagaz-*.jsa")) {
        for (Path f : old) {
          Files.deleteIfExists(f);
        }
      }
      Path partial = dir.resolve("sagaz-" + key + "-" + ProcessHandle.current().pid() + ".jsa.part");
      return new CdsPlan(List.of("-XX:ArchiveClassesAtExit=" + partial, "-Xlog:cds=off"), partial, archive);
    } catch (IOException e) {
      return new CdsPlan(List.of(), null, null);
    }
  }

  /** The node's name (also its {@code node.id} unless the test set one). */
  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public int adminPort() {
    return adminPort;
  }

  /** {@code http://127.0.0.1:<adminPort>}. */
  public String adminUrl() {
    return "http://127.0.0.1:" + adminPort;
  }

  /** The admin token: the one the helper configured, else the one the node generated into its data dir. */
  public String token() {
    if (configuredToken != null) {
      return configuredToken;
    }
    try {
      Path f = dataDir.resolve("admin-token");
      return Files.exists(f) ? Files.readString(f).trim() : null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The node's folder under {@code target/nodes} (its working directory). */
  public Path dir() {
    return dir;
  }

  public Path dataDir() {
    return dataDir;
  }

  public Path logFile() {
    return logFile;
  }

  /** Everything the node printed so far. */
  public String log() {
    try {
      return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(cannot read " + logFile + ": " + e + ")";
    }
  }

  /** The last {@code lines} lines of the log, for failure messages. */
  public String logTail(int lines) {
    List<String> all = log().lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Waits until the node printed its ready line; fails early if it exits first. */
  public NodeProcess awaitReady(Duration timeout) {
    awaitOrFail(() -> log().contains(READY_LINE), timeout, "print '" + READY_LINE + "'", true);
    return this;
  }

  /** Waits until {@code GET /health/ready} answers 200. */
  public NodeProcess awaitHealthy(Duration timeout) {
    awaitOrFail(() -> {
      try {
        return get("/health/ready").statusCode() == 200;
      } catch (UncheckedIOException e) {
        return false;
      }
    }, timeout, "answer 200 on /health/ready", true);
    return this;
  }

  /** Waits for the process to end and returns its exit code. */
  public int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("node " + name + " did not exit within " + timeout + "; log tail:\n" + logTail(60));
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@code GET} on the admin API with the bearer token. */
  public HttpResponse<String> get(String path) {
    return send("GET", path, null, token());
  }

  /** Any request on the admin API; {@code token} null sends none. JSON body when {@code body} is set. */
  public HttpResponse<String> send(String method, String path, String body, String token) {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(adminUrl() + path))
        .timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      req.header("Content-Type", "application/json");
    }
    if (token != null) {
      req.header("Authorization", "Bearer " + token);
    }
    try {
      // .timeout() above only covers the response headers: a body that stalls would hang the test.
      return HTTP.sendAsync(req.build(), HttpResponse.BodyHandlers.ofString()).get(20, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("node " + name + " " + method + " " + path + ": no complete answer within 20 s; log "
          + logFile() + " ends with:\n" + logTail(60), e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new UncheckedIOException("node " + name + " " + method + " " + path + ": " + e.getCause(),
          e.getCause() instanceof IOException io ? io : new IOException(e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** SIGKILL: the node dies without any cleanup (its embedded PostgreSQL, if any, keeps running). */
  public void kill9() {
    process.destroyForcibly();
    awaitExit(Duration.ofSeconds(30));
  }

  /** SIGSTOP: the JVM freezes (stops heart-beating) but keeps its sockets open. */
  public void pause() {
    signal("STOP");
  }

  /** SIGCONT after {@link #pause()}. */
  public void resume() {
    signal("CONT");
  }

  /**
   * SIGTERM and wait for the graceful shutdown; returns the exit code (143 = ended by SIGTERM after
   * the shutdown hook ran). Fails with the log tail when the node does not end within 60 s.
   */
  public int stop() {
    if (!process.isAlive()) {
      return process.exitValue();
    }
    process.destroy();
    return awaitExit(Duration.ofSeconds(60));
  }

  /** Stops the node if it still runs: SIGCONT (it may be paused), SIGTERM, then SIGKILL after 30 s. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    signal("CONT");
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static void stopLeftovers() {
    LIVE.forEach(Process::destroy);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    for (Process p : LIVE) {
      try {
        if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
      }
    }
  }

  private void signal(String sig) {
    if (!process.isAlive()) {
      return;
    }
    try {
      Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).inheritIO().start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + sig + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void awaitOrFail(BooleanSupplier condition, Duration timeout, String what, boolean mustStayAlive) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (condition.getAsBoolean()) {
        return;
      }
      if (mustStayAlive && !process.isAlive()) {
        throw new AssertionError("node " + name + " exited with " + process.exitValue() + " before it did "
            + what + "; log " + logFile + " ends with:\n" + logTail(60));
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("node " + name + " did not " + what + " within " + timeout + "; log " + logFile
            + " ends with:\n" + logTail(60));
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * Polls {@code condition} every 200 ms until it holds or {@code timeout} passes; for assertions on
   * eventually-consistent state ("the others list two members within 15 s") without fixed sleeps.
   */
  public static boolean eventually(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (condition.getAsBoolean()) {
          return true;
        }
      } catch (RuntimeException e) {
        // not yet: a node may be restarting or briefly unreachable
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return condition.getAsBoolean();
  }

  /** The fat jar: system property {@code sagaz.fatJar} (set by failsafe in app), else the usual build output. */
  public static Path fatJar() {
    String prop = System.getProperty("sagaz.fatJar");
    Path jar = prop != null ? Path.of(prop)
        : Path.of(System.getenv().getOrDefault("SAGAZ_TEST_PROJECT_ROOT", "."), "app", "target", "sagaz-fat.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no fat jar at " + jar.toAbsolutePath()
          + "; build it with ./mvnw -q -DskipTests -pl app -am package");
    }
    return jar;
  }

  /** Unique-per-run cluster name, so parallel test clusters on one machine never merge. */
  public static String uniqueClusterName(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** How to start a node; every setting has a test-friendly default. */
  public static final class Builder {
    private String name = "node-" + UUID.randomUUID().toString().substring(0, 6);
    private String clusterName;
    private Integer clusterPort;
    private String dbUrl;
    private List<String> roles;
    private Path dataDir;
    private Integer adminPort;
    private String token = randomToken();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> args = new ArrayList<>();
    private List<String> jvmArgs = DEFAULT_JVM_ARGS;
    private Duration readyTimeout = Duration.ofSeconds(90);
    private Path baseDir = Path.of(System.getProperty("sagaz.nodeDir", "target/nodes"));

    private Builder() {}

    /** Names the node's folder and log and sets {@code node.id}. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** {@code cluster.name}; default a unique one per node (a node alone in its cluster). */
    public Builder clusterName(String clusterName) {
      this.clusterName = clusterName;
      return this;
    }

    /**
     * {@code cluster.port}: first Hazelcast port; give all nodes of a cluster the same {@link FreePorts#range}.
     * Default: a private range per node, so a lone node never probes other tests' members.
     */
    public Builder clusterPort(int port) {
      this.clusterPort = port;
      return this;
    }

    /** {@code db.url}; without it the node starts its embedded PostgreSQL. */
    public Builder dbUrl(String url) {
      this.dbUrl = url;
      return this;
    }

    public Builder roles(String... roles) {
      this.roles = Arrays.asList(roles);
      return this;
    }

    /** {@code node.dataDir}; default {@code <node folder>/data}. Reuse one to restart "the same" node. */
    public Builder dataDir(Path dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    /** {@code admin.port}; default a free port chosen by the helper. */
    public Builder adminPort(int port) {
      this.adminPort = port;
      return this;
    }

    /** {@code admin.token}; null lets the node generate one (read back by {@link NodeProcess#token()}). */
    public Builder adminToken(String token) {
      this.token = token;
      return this;
    }

    /** Any environment variable (e.g. {@code SAGAZ_OUTBOX_RELAY}); set last, so it wins over the defaults. */
    public Builder env(String key, String value) {
      env.put(key, value);
      return this;
    }

    /** Extra arguments after {@code node}. */
    public Builder args(String... more) {
      args.addAll(Arrays.asList(more));
      return this;
    }

    /** JVM options replacing {@link #DEFAULT_JVM_ARGS}. */
    public Builder jvmArgs(String... options) {
      this.jvmArgs = List.of(options);
      return this;
    }

    public Builder readyTimeout(Duration timeout) {
      this.readyTimeout = timeout;
      return this;
    }

    /** Launches the node and waits for its ready line. */
    public NodeProcess start() {
      NodeProcess node = launch(true);
      try {
        return node.awaitReady(readyTimeout);
      } catch (RuntimeException | Error e) {
        node.close();
        throw e;
      }
    }

    /** Launches the node without waiting (e.g. to watch it refuse a bad configuration). */
    public NodeProcess launch() {
      return launch(false);
    }

    /** {@code expectReady}: the node should run fully, so it is a good one to write the CDS archive. */
    private NodeProcess launch(boolean expectReady) {
      try {
        Path dir = Files.createDirectories(baseDir.resolve(name + "-" + UUID.randomUUID().toString().substring(0, 4)).toAbsolutePath());
        Path data = dataDir != null ? dataDir.toAbsolutePath() : dir.resolve("data");
        Path log = dir.resolve("node.log");
        int port = adminPort != null ? adminPort : FreePorts.one();

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(HAZELCAST_FLAGS);
        if (Runtime.version().feature() >= 24) {
          command.add("--sun-misc-unsafe-memory-access=allow"); // Hazelcast uses Unsafe; JDK 24+ warns
        }
        Path jar = fatJar().toAbsolutePath();
        CdsPlan cds = cds(jar, baseDir, expectReady);
        command.addAll(cds.flags());
        command.addAll(jvmArgs);
        command.add("-jar");
        command.add(jar.toString());
        command.add("node");
        command.addAll(args);

        ProcessBuilder pb = new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
        Map<String, String> e = pb.environment();
        e.keySet().removeIf(k -> k.toUpperCase(Locale.ROOT).startsWith("SAGAZ_"));
        e.put("SAGAZ_NODE_ID", name);
        e.put("SAGAZ_NODE_DATA_DIR", data.toString());
        e.put("SAGAZ_CLUSTER_NAME", clusterName != null ? clusterName : uniqueClusterName("solo"));
        e.put("SAGAZ_ADMIN_PORT", Integer.toString(port));
        e.put("SAGAZ_CLUSTER_PORT", Integer.toString(clusterPort != null ? clusterPort : FreePorts.range(NodeCluster.PORT_RANGE)));
        if (dbUrl != null) {
          e.put("SAGAZ_DB_URL", dbUrl);
        }
        if (roles != null) {
          e.put("SAGAZ_NODE_ROLES", String.join(",", roles));
        }
        if (token != null) {
          e.put("SAGAZ_ADMIN_TOKEN", token);
        }
        e.putAll(env);
        Process process = pb.start();
        LIVE.add(process);
        cds.afterStart(process);
        process.onExit().thenRun(() -> LIVE.remove(process));
        String effectiveToken = env.containsKey("SAGAZ_ADMIN_TOKEN") ? env.get("SAGAZ_ADMIN_TOKEN") : token;
        return new NodeProcess(name, process, dir, data, log, port, effectiveToken);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start node " + name, e);
      }
    }

    private static String randomToken() {
      return "test-" + UUID.randomUUID().toString().replace("-", "");
    }
  }

  @Override
  public String toString() {
    return "node " + name + " (pid " + (process.isAlive() ? process.pid() : "exited") + ", " + adminUrl() + ")";
  }
}
