package io.sagaz.fleet.client.inbox;

import io.sagaz.fleet.core.outbox.InboxSql;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;
import java.util.function.Function;

/**
 * Consume-once: the effect of an event happens once per consumer however often it is delivered
 * (outbox delivery is at-least-once on the wire).
 *
 * <p>{@link #consume} inserts (consumer, event id) into {@code consumer_inbox} and runs the handler on
 * the same connection in the same transaction, then stores the handler's result: either all of it
 * commits or none. A duplicate finds the row, skips the handler and returns the stored result. Two
 * deliveries racing each other serialize on the primary key: the second waits for the first to
 * commit (then is a duplicate) or roll back (then runs).
 */
public final class Inbox {
  private final Pool pool;

  public Inbox(Pool pool) {
    this.pool = pool;
  }

  /**
   * Runs {@code handler} once for ({@code consumerName}, {@code eventId}). The handler writes through
   * the connection it is given; its result (may be null) is stored and returned.
   */
  public Future<InboxResult> consume(String consumerName, UUID eventId, Function<SqlConnection, Future<JsonObject>> handler) {
    if (consumerName == null || consumerName.isBlank()) {
      return Future.failedFuture(new IllegalArgumentException("consumerName: must not be empty"));
    }
    if (eventId == null) {
      return Future.failedFuture(new IllegalArgumentException("eventId: must not be null"));
    }
    Tuple key = Tuple.of(consumerName, eventId);
    return pool.withTransaction(conn -> conn.preparedQuery(InboxSql.CLAIM).execute(key)
        .compose(claimed -> claimed.rowCount() == 1
            ? runHandler(conn, key, handler, claimed.iterator().next())
            : stored(conn, key)));
  }

  private static Future<InboxResult> runHandler(SqlConnection conn, Tuple key,
      Function<SqlConnection, Future<JsonObject>> handler, Row claimed) {
    return handler.apply(conn).compose(result -> conn.preparedQuery(InboxSql.STORE_RESULT)
        .execute(Tuple.of(key.getValue(0), key.getValue(1), result == null ? null : result.encode()))
        .map(v -> new InboxResult(false, result, claimed.getOffsetDateTime("processed_at"))));
  }

  private static Future<InboxResult> stored(SqlConnection conn, Tuple key) {
    return conn.preparedQuery(InboxSql.FIND).execute(key).map((RowSet<Row> rows) -> {
      Row r = rows.iterator().next();
      String json = r.getString("result");
      return new InboxResult(true, json == null ? null : new JsonObject(json), r.getOffsetDateTime("processed_at"));
    });
  }
}
