package io.sagaz.fleet.bench.outbox;

import io.sagaz.fleet.app.node.NodeRuntime;
import io.sagaz.fleet.client.outbox.OutboxEvent;
import io.sagaz.fleet.client.outbox.OutboxWriter;
import io.sagaz.fleet.client.sql.SqlStatement;
import io.sagaz.fleet.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Business transactions, each "insert an order row + write one outbox event" committed together,
 * from their own pool on the node's Vert.x (a service in the same cluster, so its wake-up hints reach
 * the pollers; across a real cluster they travel the clustered event bus). The pool keeps prepared
 * statements, as the node's does: without that every execution is parsed and planned anew, which
 * cost the writers a third of their rate here.
 */
final class Writers implements AutoCloseable {
  /** How a transaction is sent. */
  enum Style {
    /** {@link OutboxWriter#commit}: BEGIN, both inserts and COMMIT in one round trip. */
    ONE_ROUND_TRIP,
    /** {@code pool.withTransaction} around {@link OutboxWriter#write}: four round trips. */
    WITH_TRANSACTION
  }

  private static final String INSERT_ORDER = "INSERT INTO bench_orders (id, total) VALUES ($1, $2)";

  final Vertx vertx;
  final Pool pool;
  final OutboxWriter writer;
  final AtomicLong committed = new AtomicLong();
  /** event id -> {System.nanoTime(), wall clock in microseconds} at commit, when latency is tracked. */
  final Map<String, long[]> commitTimes = new ConcurrentHashMap<>();
  private final String topic;
  private final Style style;
  private volatile boolean trackLatency;

  Writers(Vertx vertx, TestDatabase db, String topic, int poolSize, Style style) {
    this.vertx = vertx;
    this.topic = topic;
    this.style = style;
    pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(poolSize))
        .connectingTo(NodeRuntime.connectOptions(db.url(), false)).using(vertx).build();
    writer = new OutboxWriter(vertx);
    pool.query("CREATE TABLE IF NOT EXISTS bench_orders (id uuid PRIMARY KEY, total numeric NOT NULL)").execute().await();
  }

  void trackLatency(boolean on) {
    trackLatency = on;
  }

  Future<Void> one() {
    UUID order = UUID.randomUUID();
    OutboxEvent e = OutboxEvent.of(topic, "OrderCreated", "order", order.toString(),
        new JsonObject().put("orderId", order.toString()).put("total", 42.5));
    Future<UUID> tx = style == Style.ONE_ROUND_TRIP
        ? writer.commit(pool, SqlStatement.of(INSERT_ORDER, order, 42.5), e)
        : pool.withTransaction(conn -> conn.preparedQuery(INSERT_ORDER).execute(Tuple.of(order, 42.5))
            .compose(v -> writer.write(conn, e)));
    return tx.map(id -> {
      committed.incrementAndGet();
      if (trackLatency) {
        java.time.Instant wall = java.time.Instant.now();
        commitTimes.put(id.toString(), new long[] {System.nanoTime(), wall.getEpochSecond() * 1_000_000 + wall.getNano() / 1_000});
      }
      return null;
    });
  }

  /** Runs {@code concurrency} transactions back to back each until {@code deadline} (System.nanoTime()). */
  void closedLoop(int concurrency, long deadline) {
    java.util.List<Future<Void>> loops = new java.util.ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      loops.add(loop(deadline));
    }
    Future.join(loops).otherwiseEmpty().await();
  }

  private Future<Void> loop(long deadline) {
    if (System.nanoTime() >= deadline) {
      return Future.succeededFuture();
    }
    return one().otherwiseEmpty().compose(v -> loop(deadline));
  }

  /** Starts transactions at {@code perSecond} (open loop, paced every millisecond) until {@code deadline}. */
  void openLoop(double perSecond, long deadline) {
    long start = System.nanoTime();
    long[] started = {0};
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    vertx.setPeriodic(1, id -> {
      long now = System.nanoTime();
      if (now >= deadline) {
        vertx.cancelTimer(id);
        done.tryComplete();
        return;
      }
      long due = (long) ((now - start) / 1e9 * perSecond);
      for (; started[0] < due; started[0]++) {
        one();
      }
    });
    done.future().await();
  }

  @Override
  public void close() {
    pool.close().await();
  }
}
