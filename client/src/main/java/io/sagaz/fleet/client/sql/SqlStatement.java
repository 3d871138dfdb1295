package io.sagaz.fleet.client.sql;

import io.vertx.sqlclient.Tuple;
import java.util.Objects;

/**
 * One prepared statement and its parameters, as a value: what a caller hands over when the
 * statements are sent for it, all at once ({@link io.sagaz.fleet.client.outbox.OutboxWriter#commit}).
 */
public record SqlStatement(String sql, Tuple params) {
  public SqlStatement {
    if (sql == null || sql.isBlank()) {
      throw new IllegalArgumentException("sql must not be empty");
    }
    Objects.requireNonNull(params, "params");
  }

  public static SqlStatement of(String sql, Object... params) {
    return new SqlStatement(sql, Tuple.from(params));
  }
}
