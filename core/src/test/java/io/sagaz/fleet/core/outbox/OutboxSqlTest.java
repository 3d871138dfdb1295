package io.sagaz.fleet.core.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagaz.fleet.testkit.PostgresFixture;
import io.sagaz.fleet.testkit.TestDatabase;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every statement of the outbox and inbox SQL classes parses against the migrated schema. */
class OutboxSqlTest {

  @Test
  void everyStatementIsAcceptedByPostgres() throws Exception {
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    List<String> problems = new ArrayList<>();
    try (Connection c = db.connect()) {
      for (Class<?> type : List.of(OutboxSql.class, InboxSql.class, OutboxShardLeaseSql.class)) {
        for (Field f : type.getDeclaredFields()) {
          if (!Modifier.isPublic(f.getModifiers()) || f.getType() != String.class) {
            continue;
          }
          String sql = (String) f.get(null);
          if (sql.startsWith("SET")) {
            continue;
          }
          try (var ps = c.prepareStatement(sql.replaceAll("\\$\\d+", "?"))) {
            ps.getParameterMetaData(); // makes the driver send Parse: PostgreSQL checks names and types
          } catch (Exception e) {
            problems.add(type.getSimpleName() + "." + f.getName() + ": " + e.getMessage());
          }
        }
      }
    }
    assertThat(problems).isEmpty();
  }
}
