package io.sagaz.fleet.bench.outbox;

import io.sagaz.fleet.core.config.KafkaConfig;
import io.sagaz.fleet.core.outbox.OutboxRecord;
import io.sagaz.fleet.outbox.relay.KafkaRelay;
import io.sagaz.fleet.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The baseline: the seed's kind of poller. Each worker claims one row (its own transaction), publishes
 * it through the same Kafka relay and waits for the ack, then marks that one row sent. Same database,
 * same broker, same relay as the fleet's poller; only the batching differs.
 */
final class NaivePoller implements AutoCloseable {
  private static final String CLAIM_ONE = """
      UPDATE saga_outbox o SET status = 'claimed', claimed_by = $1, claimed_at = now(), attempts = o.attempts + 1
        FROM (SELECT id, created_at FROM saga_outbox WHERE status = 'pending' AND next_attempt_at <= now()
               ORDER BY next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED) one
       WHERE o.id = one.id AND o.created_at = one.created_at
      RETURNING o.id, o.created_at, o.event_id, o.saga_id, o.aggregate_type, o.aggregate_id, o.event_type, o.topic,
                o.payload::text AS payload, o.headers::text AS headers, o.attempts
      """;
  private static final String MARK_ONE = """
      UPDATE saga_outbox SET status = 'sent', sent_at = now() WHERE id = $1 AND created_at = $2
      """;

  private final Vertx vertx = Vertx.vertx();
  private final Pool pool;
  private final KafkaRelay relay;
  final AtomicLong sent = new AtomicLong();

  NaivePoller(TestDatabase db, String bootstrap, int workers) {
    pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(workers))
        .connectingTo(PgConnectOptions.fromUri(db.url())).using(vertx).build();
    relay = new KafkaRelay(vertx, new KafkaConfig(bootstrap, Map.of()), Duration.ofSeconds(30));
    relay.start().await();
  }

  /** Runs {@code workers} claim-one/publish/mark-one loops until {@code deadline} (System.nanoTime()). */
  void run(int workers, long deadline) {
    List<Future<Void>> loops = new ArrayList<>();
    for (int i = 0; i < workers; i++) {
      loops.add(loop("naive-" + i, deadline));
    }
    Future.join(loops).otherwiseEmpty().await();
  }

  private Future<Void> loop(String me, long deadline) {
    if (System.nanoTime() >= deadline) {
      return Future.succeededFuture();
    }
    return pool.preparedQuery(CLAIM_ONE).execute(Tuple.of(me)).compose(rows -> {
      if (rows.rowCount() == 0) {
        return Future.succeededFuture();
      }
      Row r = rows.iterator().next();
      OutboxRecord rec = new OutboxRecord(r.getLong("id"), r.getOffsetDateTime("created_at"), r.getUUID("event_id"),
          r.getUUID("saga_id"), r.getString("aggregate_type"), r.getString("aggregate_id"), r.getString("event_type"),
          r.getString("topic"), r.getString("payload"), r.getString("headers"), r.getInteger("attempts"));
      return relay.publish(List.of(rec)).get(0)
          .compose(v -> pool.preparedQuery(MARK_ONE).execute(Tuple.of(rec.id(), rec.createdAt())))
          .map(v -> {
            sent.incrementAndGet();
            return null;
          });
    }).compose(v -> loop(me, deadline));
  }

  @Override
  public void close() {
    relay.close().await();
    vertx.close().await();
  }
}
