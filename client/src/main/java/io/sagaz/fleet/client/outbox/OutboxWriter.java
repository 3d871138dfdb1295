package io.sagaz.fleet.client.outbox;

import io.sagaz.fleet.client.Addresses;
import io.sagaz.fleet.client.sql.OneRoundTrip;
import io.sagaz.fleet.client.sql.SqlStatement;
import io.sagaz.fleet.core.outbox.OutboxRules;
import io.sagaz.fleet.core.outbox.OutboxSql;
import io.sagaz.fleet.core.outbox.OutboxValidationException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes outbox events on the caller's connection, inside the caller's transaction: the events
 * commit or roll back with the business change they announce.
 *
 * <p>Every event is checked before anything is written (topic, event type, aggregate, payload size
 * against {@code outbox.maxPayloadBytes}); a bad one fails the returned future with an
 * {@link OutboxValidationException} naming the field, and nothing is inserted, so the caller's
 * transaction decides what happens next (usually a rollback).
 *
 * <p>After the transaction commits, the writer publishes a wake-up hint on
 * {@link Addresses#OUTBOX_WAKEUP} so pollers start right away instead of at their next interval.
 * Hints are coalesced to at most one per event-loop turn and millisecond; they are only hints, the
 * pollers' interval is the guarantee. (No NOTIFY: inside a write transaction it takes a global lock
 * at commit.) Written on a connection without a transaction, the hint goes out after the insert.
 */
public final class OutboxWriter {
  /** The default of {@code outbox.maxPayloadBytes}: 1 MiB. */
  public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1 << 20;

  private final Vertx vertx;
  private final int maxPayloadBytes;
  private final AtomicBoolean hintScheduled = new AtomicBoolean();

  public OutboxWriter(Vertx vertx, int maxPayloadBytes) {
    if (maxPayloadBytes <= 0) {
      throw new IllegalArgumentException("maxPayloadBytes must be positive, was " + maxPayloadBytes);
    }
    this.vertx = vertx;
    this.maxPayloadBytes = maxPayloadBytes;
  }

  public OutboxWriter(Vertx vertx) {
    this(vertx, DEFAULT_MAX_PAYLOAD_BYTES);
  }

  /** Writes one event; the future carries its event id. */
  public Future<UUID> write(SqlConnection conn, OutboxEvent event) {
    return write(conn, List.of(event)).map(ids -> ids.get(0));
  }

  /** Writes the events in order (one round trip); the future carries their event ids. */
  public Future<List<UUID>> write(SqlConnection conn, List<OutboxEvent> events) {
    List<Tuple> rows;
    try {
      rows = validate(events);
    } catch (OutboxValidationException e) {
      return Future.failedFuture(e);
    }
    return insert(conn, rows).map(r -> {
      afterCommit(conn);
      return ids(events);
    });
  }

  /**
   * Runs the business statements, then writes the events, in one transaction sent as one round trip
   * ({@link OneRoundTrip}): BEGIN, the statements, the events' insert and COMMIT go out together, so
   * a transaction costs one wake-up of the database instead of four. The statements are values, so
   * none can be sent after the COMMIT; use {@link #write(SqlConnection, List)} inside
   * {@code pool.withTransaction} when the business logic must read before it writes.
   *
   * <p>The events are validated first: a bad one fails the future with an
   * {@link OutboxValidationException} and nothing is sent. If a statement or the insert fails,
   * nothing commits and the future fails with the first error. The wake-up hint goes out after the
   * commit.
   */
  public Future<List<UUID>> commit(Pool pool, List<SqlStatement> statements, List<OutboxEvent> events) {
    List<Tuple> rows;
    try {
      if (statements == null) {
        throw new OutboxValidationException("statements", "must not be null (it may be empty)");
      }
      for (int i = 0; i < statements.size(); i++) {
        if (statements.get(i) == null) {
          throw new OutboxValidationException("statements[" + i + "]", "must not be null");
        }
      }
      rows = validate(events);
    } catch (OutboxValidationException e) {
      return Future.failedFuture(e);
    }
    return OneRoundTrip.transaction(pool, conn -> {
      List<Future<?>> sent = new ArrayList<>(statements.size() + 1);
      for (SqlStatement st : statements) {
        sent.add(conn.preparedQuery(st.sql()).execute(st.params()));
      }
      sent.add(insert(conn, rows));
      return Future.all(sent).map(ids(events));
    }).onSuccess(ids -> hint());
  }

  /** {@link #commit(Pool, List, List)} for one business statement and one event; carries the event id. */
  public Future<UUID> commit(Pool pool, SqlStatement statement, OutboxEvent event) {
    return commit(pool, List.of(statement), List.of(event)).map(ids -> ids.get(0));
  }

  private static Future<?> insert(SqlConnection conn, List<Tuple> rows) {
    return rows.size() == 1
        ? conn.preparedQuery(OutboxSql.INSERT).execute(rows.get(0))
        : conn.preparedQuery(OutboxSql.INSERT).executeBatch(rows);
  }

  private static List<UUID> ids(List<OutboxEvent> events) {
    return events.stream().map(OutboxEvent::eventId).toList();
  }

  private List<Tuple> validate(List<OutboxEvent> events) {
    if (events == null || events.isEmpty()) {
      throw new OutboxValidationException("events", "at least one event is needed");
    }
    List<Tuple> rows = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      String prefix = events.size() == 1 ? "" : "events[" + i + "].";
      OutboxEvent e = events.get(i);
      if (e == null) {
        throw new OutboxValidationException("events[" + i + "]", "must not be null");
      }
      if (e.eventId() == null) {
        throw new OutboxValidationException(prefix + "eventId", "must not be null");
      }
      String payload = e.payload() == null ? null : e.payload().encode();
      OutboxRules.check(prefix, e.topic(), e.eventType(), e.aggregateType(), e.aggregateId(), payload, maxPayloadBytes);
      rows.add(Tuple.of(e.eventId(), e.sagaId(), e.aggregateType(), e.aggregateId(), e.eventType(), e.topic())
          .addString(payload)
          .addString(e.headers().encode()));
    }
    return rows;
  }

  private void afterCommit(SqlConnection conn) {
    Transaction tx = conn.transaction();
    if (tx == null) {
      hint();
    } else {
      // completion() fails on rollback: a rolled-back write wakes nobody.
      tx.completion().onSuccess(v -> hint());
    }
  }

  /** Publishes a wake-up hint soon, folding hints that arrive close together into one. */
  public void hint() {
    if (hintScheduled.compareAndSet(false, true)) {
      vertx.setTimer(1, id -> {
        hintScheduled.set(false);
        vertx.eventBus().publish(Addresses.OUTBOX_WAKEUP, new JsonObject().put("version", 1));
      });
    }
  }
}
