package io.sagaz.fleet.outbox;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.function.Function;

/**
 * A transaction in one round trip: BEGIN (with its settings), the statements and COMMIT all go out
 * at once; the connection pipelines them and PostgreSQL runs them in order. {@code pool.withTransaction}
 * awaits BEGIN, the work and COMMIT one after the other: three round trips, each of which waits
 * for a busy event loop and a busy backend on two cores.
 *
 * <p>Only for work that sends its statements without waiting on their answers (nothing in it
 * decides on a result). If a statement fails, PostgreSQL aborts the transaction and answers the
 * COMMIT with a rollback; the result is handed over only when every statement and the COMMIT
 * succeeded, and the connection goes back to the pool only after all of them answered.
 */
final class OneRoundTrip {
  private OneRoundTrip() {}

  /** @param settings statements run right after BEGIN, e.g. {@code SET LOCAL ...; SET LOCAL ...} */
  static <T> Future<T> transaction(Pool pool, String settings, Function<SqlConnection, Future<T>> work) {
    return pool.withConnection(conn -> {
      Future<?> begin = conn.query("BEGIN; " + settings).execute();
      Future<T> result = work.apply(conn);
      Future<?> commit = conn.query("COMMIT").execute();
      return Future.join(begin, result, commit).transform(ar -> {
        if (begin.failed() || result.failed()) {
          return Future.failedFuture(begin.failed() ? begin.cause() : result.cause());
        }
        return commit.map(v -> result.result());
      });
    });
  }
}
