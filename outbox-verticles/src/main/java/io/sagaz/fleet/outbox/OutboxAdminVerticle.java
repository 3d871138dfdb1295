package io.sagaz.fleet.outbox;

import io.sagaz.fleet.client.Addresses;
import io.sagaz.fleet.client.MessageBodies;
import io.sagaz.fleet.core.failure.FailureCode;
import io.sagaz.fleet.core.outbox.OutboxSql;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox's admin side on the event bus (the admin API forwards its HTTP routes here):
 * {@link Addresses#OUTBOX_STATS}, {@link Addresses#OUTBOX_DEAD_LETTERS} and
 * {@link Addresses#OUTBOX_REPLAY}; bad requests fail with 400 naming the field. It also refreshes
 * the backlog gauges every few seconds.
 */
final class OutboxAdminVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(OutboxAdminVerticle.class);
  private final Pool pool;
  /** The counts per status and the dead-letter list: whole-table reads that may lag (db.analyticsUrl). */
  private final Pool reads;
  private final OutboxMetrics metrics;
  private final Duration gaugeInterval;

  OutboxAdminVerticle(Pool pool, Pool reads, OutboxMetrics metrics, Duration gaugeInterval) {
    this.pool = pool;
    this.reads = reads;
    this.metrics = metrics;
    this.gaugeInterval = gaugeInterval;
  }

  @Override
  public Future<?> start() {
    var bus = vertx.eventBus();
    var consumers = java.util.List.of(
        bus.<Object>consumer(Addresses.OUTBOX_STATS, m -> answer(m, this::stats)),
        bus.<Object>consumer(Addresses.OUTBOX_DEAD_LETTERS, m -> answer(m, this::deadLetters)),
        bus.<Object>consumer(Addresses.OUTBOX_REPLAY, m -> answer(m, this::replay)));
    vertx.setPeriodic(0, gaugeInterval.toMillis(), id -> refreshGauges());
    return Future.all(consumers.stream().map(c -> c.completion()).toList());
  }

  private void answer(Message<Object> m, Function<JsonObject, Future<JsonObject>> handler) {
    Future<JsonObject> reply;
    try {
      reply = handler.apply(MessageBodies.jsonObject(m.body()));
    } catch (IllegalArgumentException e) {
      reply = Future.failedFuture(e);
    }
    reply.onSuccess(m::reply).onFailure(e -> {
      FailureCode code = e instanceof IllegalArgumentException ? FailureCode.INVALID
          : e instanceof PgException ? FailureCode.INTERNAL : FailureCode.DEPENDENCY_DOWN;
      m.fail(code.code(), e.getMessage());
    });
  }

  private Future<JsonObject> stats(JsonObject req) {
    Future<JsonObject> counts = reads.query(OutboxSql.COUNT_BY_STATUS).execute().map(rows -> {
      JsonObject c = new JsonObject().put("pending", 0L).put("claimed", 0L).put("failed", 0L)
          .put("sent", 0L).put("dead_letter", 0L);
      rows.forEach(r -> c.put(r.getString("status"), r.getLong("n")));
      return c;
    });
    Future<Row> backlog = pool.query(OutboxSql.BACKLOG).execute().map(rows -> rows.iterator().next());
    return Future.all(counts, backlog).map(v -> {
      Row b = backlog.result();
      metrics.backlog(b.getLong("pending"), b.getLong("dead_letters"), b.getDouble("oldest_pending_seconds"));
      return new JsonObject().put("version", 1)
          .put("counts", counts.result())
          .put("oldestPendingAgeSeconds", b.getDouble("oldest_pending_seconds"))
          .put("deadLetters", b.getLong("dead_letters"));
    });
  }

  private Future<JsonObject> deadLetters(JsonObject req) {
    int limit = AdminRequests.limit(req);
    Tuple args = Tuple.of(AdminRequests.optionalString(req, "topic"), AdminRequests.optionalString(req, "eventType"), limit);
    return reads.preparedQuery(OutboxSql.LIST_DEAD_LETTERS).execute(args).map(rows -> {
      JsonArray list = new JsonArray();
      rows.forEach(r -> list.add(new JsonObject()
          .put("eventId", r.getUUID("event_id").toString())
          .put("id", r.getLong("id"))
          .put("createdAt", r.getOffsetDateTime("created_at").toString())
          .put("sagaId", r.getUUID("saga_id") == null ? null : r.getUUID("saga_id").toString())
          .put("aggregateType", r.getString("aggregate_type"))
          .put("aggregateId", r.getString("aggregate_id"))
          .put("eventType", r.getString("event_type"))
          .put("topic", r.getString("topic"))
          .put("attempts", r.getInteger("attempts"))
          .put("lastError", r.getString("last_error"))
          .put("replayCount", r.getInteger("replay_count"))
          .put("payload", new JsonObject(r.getString("payload")))
          .put("headers", new JsonObject(r.getString("headers")))));
      return new JsonObject().put("version", 1).put("deadLetters", list);
    });
  }

  private Future<JsonObject> replay(JsonObject req) {
    Object ids = req.getValue("ids");
    Object filter = req.getValue("filter");
    if ((ids == null) == (filter == null)) {
      throw new IllegalArgumentException("give either 'ids' (event ids) or 'filter' ({topic?, eventType?, olderThan?}), not "
          + (ids == null ? "neither" : "both"));
    }
    Future<JsonObject> done = ids != null ? replayIds(ids) : replayFilter(filter);
    return done.onSuccess(r -> {
      if (r.getInteger("replayed") > 0) {
        vertx.eventBus().publish(Addresses.OUTBOX_WAKEUP, new JsonObject().put("version", 1));
      }
    });
  }

  private Future<JsonObject> replayIds(Object ids) {
    return run(OutboxSql.REPLAY_BY_IDS, Tuple.of((Object) AdminRequests.eventIds(ids)));
  }

  private Future<JsonObject> replayFilter(Object filter) {
    JsonObject f = AdminRequests.filter(filter);
    return run(OutboxSql.REPLAY_BY_FILTER, Tuple.of(AdminRequests.optionalString(f, "topic"),
        AdminRequests.optionalString(f, "eventType"), AdminRequests.olderThan(f)));
  }

  private Future<JsonObject> run(String sql, Tuple args) {
    return pool.preparedQuery(sql).execute(args).map(rows -> {
      JsonArray replayed = new JsonArray();
      rows.forEach(r -> replayed.add(r.getUUID("event_id").toString()));
      log.info("replayed {} dead-lettered outbox events", replayed.size());
      return new JsonObject().put("version", 1).put("replayed", replayed.size()).put("eventIds", replayed);
    });
  }

  private void refreshGauges() {
    pool.query(OutboxSql.BACKLOG).execute()
        .onSuccess(rows -> {
          Row b = rows.iterator().next();
          metrics.backlog(b.getLong("pending"), b.getLong("dead_letters"), b.getDouble("oldest_pending_seconds"));
        })
        .onFailure(e -> log.debug("backlog gauge refresh failed: {}", e.toString()));
  }
}
