package io.sagaz.fleet.core.schema;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sagaz.fleet.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A JDBC connection to one test database with the few helpers the schema tests need. */
final class Db implements AutoCloseable {
  private final Connection connection;

  Db(TestDatabase database) throws SQLException {
    this.connection = database.connect();
  }

  Connection connection() {
    return connection;
  }

  void exec(String sql) throws SQLException {
    try (Statement st = connection.createStatement()) {
      st.execute(sql);
    }
  }

  List<Map<String, Object>> rows(String sql) throws SQLException {
    try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      List<Map<String, Object>> out = new ArrayList<>();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          row.put(md.getColumnLabel(i), rs.getObject(i));
        }
        out.add(row);
      }
      return out;
    }
  }

  Object value(String sql) throws SQLException {
    try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      if (!rs.next()) {
        throw new AssertionError("no row from " + sql);
      }
      return rs.getObject(1);
    }
  }

  long count(String sql) throws SQLException {
    return ((Number) value(sql)).longValue();
  }

  /** Today in UTC as the server sees it, the day the partition functions count from. */
  LocalDate today() throws SQLException {
    return ((java.sql.Date) value("SELECT (now() AT TIME ZONE 'UTC')::date")).toLocalDate();
  }

  /** Names of the partitions of a table, sorted; the DEFAULT partition included. */
  List<String> partitions(String table) throws SQLException {
    List<String> names = new ArrayList<>();
    for (Map<String, Object> r : rows("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        + "WHERE i.inhparent = '" + table + "'::regclass ORDER BY c.relname")) {
      names.add((String) r.get("relname"));
    }
    return names;
  }

  /** Every relation in the public schema: a snapshot to prove a failed call changed nothing. */
  List<String> relations() throws SQLException {
    List<String> names = new ArrayList<>();
    for (Map<String, Object> r : rows("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        + "WHERE n.nspname = 'public' ORDER BY 1")) {
      names.add((String) r.get("relname"));
    }
    return names;
  }

  /** Runs a statement that must fail, and returns the failure. */
  SQLException failure(String sql) {
    SQLException[] caught = new SQLException[1];
    assertThatThrownBy(() -> {
      try {
        exec(sql);
      } catch (SQLException e) {
        caught[0] = e;
        throw e;
      }
    }).isInstanceOf(SQLException.class);
    return caught[0];
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
