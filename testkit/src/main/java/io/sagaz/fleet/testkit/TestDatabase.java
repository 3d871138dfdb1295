package io.sagaz.fleet.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * One database created for a test on a real PostgreSQL server.
 *
 * @param host     server host
 * @param port     server port
 * @param database database name (unique per test database)
 * @param user     user with full rights on it
 * @param password password, may be empty (trust auth)
 * @param serverVersion the server's major version, e.g. 15 or 17
 */
public record TestDatabase(String host, int port, String database, String user, String password, int serverVersion) {

  /** {@code postgresql://user[:password]@host:port/database}: the form {@code db.url} takes. */
  public String url() {
    String cred = password == null || password.isEmpty() ? user : user + ":" + password;
    return "postgresql://" + cred + "@" + host + ":" + port + "/" + database;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  /** A new JDBC connection; the caller closes it. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), user, password == null ? "" : password);
  }
}
