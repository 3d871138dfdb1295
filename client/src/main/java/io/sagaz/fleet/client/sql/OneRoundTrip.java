package io.sagaz.fleet.client.sql;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.function.Function;

/**
 * A transaction in one round trip: BEGIN (with its settings), the statements and COMMIT all go out
 * at once; the connection pipelines them and PostgreSQL runs them in order. {@code pool.withTransaction}
 * awaits BEGIN, the work and COMMIT one after the other: three round trips at least, and on a
 * machine whose cores are busy every round trip is a wake-up of the backend and of the event loop,
 * which costs more than the statements themselves (docs/benchmarks.md, "One round trip").
 *
 * <p>Only for work that sends all its statements before it returns, without waiting on their
 * answers (nothing in it decides on a result), and returns a future that fails when any of them
 * fails: COMMIT is sent as soon as the work returns, so a statement sent later would run outside
 * the transaction. If a statement fails, PostgreSQL aborts the transaction and answers the COMMIT
 * with a rollback; the result is handed over only when every statement and the COMMIT succeeded,
 * and the connection goes back to the pool only after all of them answered.
 * {@link io.sagaz.fleet.client.outbox.OutboxWriter#commit} is the safe way for business code: it
 * takes its statements as values.
 */
public final class OneRoundTrip {
  private OneRoundTrip() {}

  /** A transaction with no settings. */
  public static <T> Future<T> transaction(Pool pool, Function<SqlConnection, Future<T>> work) {
    return transaction(pool, "", work);
  }

  /** @param settings statements run right after BEGIN, e.g. {@code SET LOCAL ...; SET LOCAL ...} */
  public static <T> Future<T> transaction(Pool pool, String settings, Function<SqlConnection, Future<T>> work) {
    String begin = settings.isBlank() ? "BEGIN" : "BEGIN; " + settings;
    return pool.withConnection(conn -> {
      Future<?> begun = conn.query(begin).execute();
      Future<T> result = work.apply(conn);
      Future<?> commit = conn.query("COMMIT").execute();
      return Future.join(begun, result, commit).transform(ar -> {
        if (begun.failed() || result.failed()) {
          return Future.failedFuture(begun.failed() ? begun.cause() : result.cause());
        }
        return commit.map(v -> result.result());
      });
    });
  }
}
