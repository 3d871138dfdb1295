package io.sagaz.fleet.app.node;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A PostgreSQL location in the two forms the node needs: the {@code postgresql://} URL the Vert.x pool
 * takes ({@code db.url}) and the JDBC URL plus credentials Flyway takes.
 *
 * @param url      {@code postgresql://user[:password]@host:port/database[?params]}
 * @param jdbcUrl  {@code jdbc:postgresql://host:port/database[?params]}
 * @param user     user name (default {@code postgres})
 * @param password password, empty for trust authentication
 */
public record DbTarget(String url, String jdbcUrl, String user, String password) {

  /** Parses a {@code db.url} value (already validated by {@code DbConfig}). */
  public static DbTarget parse(String url) {
    URI uri = URI.create(url);
    String user = "postgres";
    String password = "";
    String info = uri.getRawUserInfo();
    if (info != null) {
      int colon = info.indexOf(':');
      user = decode(colon < 0 ? info : info.substring(0, colon));
      password = colon < 0 ? "" : decode(info.substring(colon + 1));
    }
    int port = uri.getPort() < 0 ? 5432 : uri.getPort();
    String db = uri.getRawPath() == null || uri.getRawPath().length() <= 1 ? user : uri.getRawPath().substring(1);
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    String jdbc = "jdbc:postgresql://" + uri.getHost() + ":" + port + "/" + db + query;
    return new DbTarget(url, jdbc, user, password);
  }

  /**
   * The same target for a connection through PgBouncer in transaction mode: the JDBC driver must not
   * switch to named server-side statements ({@code prepareThreshold=0}), which would not survive the
   * end of a transaction.
   */
  public DbTarget throughPgBouncer(boolean pgbouncer) {
    if (!pgbouncer) {
      return this;
    }
    return new DbTarget(url, jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "prepareThreshold=0", user, password);
  }

  /** The embedded server's {@code postgres} database. */
  public static DbTarget local(int port) {
    return parse("postgresql://postgres@127.0.0.1:" + port + "/postgres");
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
