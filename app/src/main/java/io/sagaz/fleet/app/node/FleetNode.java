package io.sagaz.fleet.app.node;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sagaz.fleet.client.node.NodeInfo;
import io.sagaz.fleet.client.node.NodeServices;
import io.sagaz.fleet.core.config.AdminConfig;
import io.sagaz.fleet.core.config.DbConfig;
import io.sagaz.fleet.core.config.Role;
import io.sagaz.fleet.core.config.SagazConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running {@code sagaz node}: the database (configured or embedded, migrated), the clustered
 * Vert.x with metrics, the one pool, the cluster view and the modules of its roles. {@link #start}
 * returns when all of it is up; {@link #stop} takes it down in reverse order.
 */
public final class FleetNode {
  /** The line printed when the node is ready; the test helper waits for it. */
  public static final String READY_LINE = "sagaz node ready";

  private static final Logger log = LoggerFactory.getLogger(FleetNode.class);
  private static final long STEP_TIMEOUT_SECONDS = 15;
  /** How often a node re-announces itself in the cluster view (cheap: one small map entry). */
  private static final long REFRESH_MILLIS = 5_000;

  private final AtomicBoolean stopped = new AtomicBoolean();
  private SagazConfig config;
  private volatile EmbeddedDatabase embedded; // set by the database thread
  private Vertx vertx;
  private Pool pool;
  private Pool analyticsPool; // null: the heavy reads use pool
  private HazelcastClusterView view;
  private Thread dbThread;

  /**
   * Starts the node on a validated configuration, printing where its admin API is to {@code out}.
   * On failure everything already started is stopped again before the exception propagates. Register
   * {@link #stop} as a shutdown hook before calling this, so a SIGTERM during the start cleans up too.
   */
  public void start(SagazConfig config, PrintStream out) throws Exception {
    try {
      startAll(config, out);
    } catch (Exception | Error e) {
      stop();
      throw e;
    }
  }

  private void startAll(SagazConfig initial, PrintStream out) throws Exception {
    long t0 = System.nanoTime();
    Path dataDir = initial.node().dataDir();
    Files.createDirectories(dataDir);
    AdminToken token = AdminToken.resolve(initial.admin().token(), dataDir);
    config = withConcreteAdminPort(initial);

    // The database (maybe an embedded server to start, always migrations) is started beside the
    // cluster join, which is the other slow part of a start.
    FutureTask<DbTarget> database = new FutureTask<>(() -> prepareDatabase(dataDir));
    dbThread = new Thread(database, "sagaz-db-start");
    dbThread.start();

    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    HazelcastClusterManager clusterManager = ClusterFactory.create(config.cluster());
    vertx = NodeRuntime.vertx(meters, config.cluster().host())
        .withClusterManager(clusterManager)
        .buildClustered()
        .await();
    long joined = System.nanoTime();

    DbTarget db;
    try {
      db = database.get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof Exception ex ? ex : e;
    }
    long dbReady = System.nanoTime();
    String appName = "sagaz-" + config.node().id();
    pool = NodeRuntime.pool(vertx, config.db(), db.url(), truncate(appName));
    analyticsPool = config.db().analyticsUrl()
        .map(url -> NodeRuntime.analyticsPool(vertx, config.db(), url, truncate(appName + "-analytics")))
        .orElse(null);

    NodeInfo self = new NodeInfo(config.node().id(), clusterManager.getNodeId(),
        config.node().roles().stream().sorted().map(Role::id).toList(),
        config.node().has(Role.ADMIN) ? adminUrl(config.admin()) : null, Instant.now());
    view = new HazelcastClusterView(vertx, clusterManager, self);
    await(view.register(), "announce this node to the cluster");
    view.keepRegistered(REFRESH_MILLIS);

    NodeServices services = new NodeServices(config, pool, analyticsPool == null ? pool : analyticsPool, meters, view, token.value());
    // Modules are independent (they only meet on the event bus), so they deploy side by side.
    List<Future<Void>> deployments = Modules.forRoles(config.node().roles()).stream()
        .map(entry -> entry.module().get().deploy(vertx, services)
            .recover(e -> Future.failedFuture(new IllegalStateException("the " + entry.role().id() + " role: " + e.getMessage(), e))))
        .toList();
    await(Future.all(deployments).mapEmpty(), "deploy the modules");

    List<NodeInfo> members = await(view.members(), "list cluster members");
    long end = System.nanoTime();
    log.info("started in {} ms: cluster joined after {} ms, database ready after {} ms, modules deployed in {} ms",
        ms(end - t0), ms(joined - t0), ms(dbReady - t0), ms(end - dbReady));
    printReady(out, clusterManager.getConfig().getClusterName(), self, token, members.size(), db, System.nanoTime() - t0);
  }

  private DbTarget prepareDatabase(Path dataDir) throws IOException {
    DbTarget db;
    if (config.db().embedded()) {
      embedded = EmbeddedDatabase.start(dataDir.resolve("pg"), config.db().embeddedPort());
      db = embedded.target();
    } else {
      db = DbTarget.parse(config.db().url().orElseThrow()).throughPgBouncer(config.db().pgbouncer());
    }
    try {
      Migrations.apply(db);
    } catch (RuntimeException e) {
      // Flyway's own message is a multi-line report; the root cause says what is wrong.
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      throw new IllegalStateException("cannot migrate the database at "
          + DbConfig.redact(db.url()) + ": " + root.getMessage(), e);
    }
    return db;
  }

  private void printReady(PrintStream out, String clusterName, NodeInfo self, AdminToken token, int members, DbTarget db, long nanos) {
    out.printf("Sagaz node %s (roles %s) joined cluster '%s' with %d member(s) in %d ms%n",
        self.nodeId(), String.join(",", self.roles()), clusterName, members,
        TimeUnit.NANOSECONDS.toMillis(nanos));
    out.println("  database:  " + (embedded != null ? embedded.toString() : DbConfig.redact(db.url())));
    if (self.adminUrl() != null) {
      out.println("  admin API: " + self.adminUrl() + "/api/v1  (metrics " + self.adminUrl() + "/metrics)");
    }
    if (token.generated()) {
      out.println("  admin token (generated, shown once, kept in " + token.file() + "): " + token.value());
    } else if (config.admin().token().isEmpty()) {
      out.println("  admin token: in " + token.file());
    }
    out.println(READY_LINE);
    out.flush();
  }

  /** PostgreSQL truncates application_name to 63 bytes; cut it ourselves so the admin API's match holds. */
  private static String truncate(String applicationName) {
    return applicationName.length() > 63 ? applicationName.substring(0, 63) : applicationName;
  }

  /**
   * Stops in reverse order: leave the cluster view first (nobody routes work here any more), undeploy
   * the modules, close the pool, leave the cluster, stop the embedded PostgreSQL. Each step is bounded
   * so a stuck one cannot keep the process alive. Safe to call more than once.
   */
  public void stop() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    if (view != null) {
      quietly(() -> await(view.unregister(), "remove this node from the cluster view"));
    }
    if (vertx != null) {
      for (String id : vertx.deploymentIDs()) {
        quietly(() -> await(vertx.undeploy(id), "undeploy " + id));
      }
    }
    if (pool != null) {
      quietly(() -> await(pool.close(), "close the database pool"));
    }
    if (analyticsPool != null) {
      quietly(() -> await(analyticsPool.close(), "close the analytics pool"));
    }
    if (vertx != null) {
      quietly(() -> await(vertx.close(), "leave the cluster"));
    }
    if (dbThread != null) {
      // A start that failed elsewhere may still be bringing up the embedded server: let it finish,
      // or it would outlive this process.
      quietly(() -> dbThread.join(TimeUnit.SECONDS.toMillis(90)));
    }
    if (embedded != null) {
      quietly(embedded::close);
    }
    log.info("node stopped");
  }

  private static <T> T await(Future<T> future, String what) throws Exception {
    try {
      return future.timeout(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS).await();
    } catch (Exception e) {
      throw new IllegalStateException("could not " + what + ": " + rootMessage(e), e);
    }
  }

  private interface Step {
    void run() throws Exception;
  }

  private static void quietly(Step step) {
    try {
      step.run();
    } catch (Exception e) {
      log.warn("during shutdown: {}", e.getMessage());
    }
  }

  /** Port 0 means "any free port": pick one now, so the URL we announce is the one the admin module binds. */
  private static SagazConfig withConcreteAdminPort(SagazConfig c) throws IOException {
    if (c.admin().port() != 0) {
      return c;
    }
    int port;
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getByName(c.admin().host()), 0));
      port = s.getLocalPort();
    }
    AdminConfig admin = new AdminConfig(c.admin().host(), port, c.admin().token());
    return new SagazConfig(c.node(), c.cluster(), c.db(), admin, c.outbox(), c.kafka(), c.rabbitmq(), c.saga(), c.maintenance());
  }

  private String adminUrl(AdminConfig admin) {
    String host = admin.host();
    if (host.equals("0.0.0.0") || host.equals("::")) {
      host = config.cluster().host(); // a wildcard bind is reached through the node's cluster address
    }
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + admin.port();
  }

  private static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return t == e ? msg : e.getMessage() + " (" + msg + ")";
  }
}
