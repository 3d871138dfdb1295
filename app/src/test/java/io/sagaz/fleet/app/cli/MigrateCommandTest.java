package io.sagaz.fleet.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagaz.fleet.app.Sagaz;
import io.sagaz.fleet.testkit.PostgresFixture;
import io.sagaz.fleet.testkit.TestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrateCommandTest {
  @TempDir
  Path dir;

  @Test
  void migrateAppliesTheSchemaToDbUrlAndIsIdempotent() throws Exception {
    TestDatabase db = PostgresFixture.shared().createDatabase();
    try {
      Path yaml = dir.resolve("sagaz.yaml");
      Files.writeString(yaml, "db:\n  url: " + db.url() + "\n");
      assertThat(Sagaz.commandLine().execute("migrate", "--config", yaml.toString())).isZero();
      assertThat(Sagaz.commandLine().execute("migrate", "--config", yaml.toString())).isZero();
      try (Connection c = db.connect();
           ResultSet rs = c.createStatement().executeQuery(
               "SELECT count(*) FILTER (WHERE success), count(*) FILTER (WHERE NOT success) FROM flyway_schema_history")) {
        rs.next();
        assertThat(rs.getInt(1)).isPositive();
        assertThat(rs.getInt(2)).isZero();
      }
      try (Connection c = db.connect()) {
        c.createStatement().executeUpdate("INSERT INTO saga_executions (saga_name, status) VALUES ('test-saga','SUCCESS')");
      }
    } finally {
      PostgresFixture.shared().drop(db);
    }
  }

  @Test
  void migrateUrlWinsOverDbUrlAndABadOneIsRefusedNamingTheOption() throws Exception {
    TestDatabase db = PostgresFixture.shared().createDatabase();
    try {
      Path yaml = dir.resolve("elsewhere.yaml");
      Files.writeString(yaml, "db:\n  url: postgresql://nobody@127.0.0.1:9/nowhere\n");
      assertThat(Sagaz.commandLine().execute("migrate", "--config", yaml.toString(), "--url", db.url())).isZero();
      try (Connection c = db.connect();
           ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM flyway_schema_history WHERE success")) {
        rs.next();
        assertThat(rs.getInt(1)).isPositive();
      }
    } finally {
      PostgresFixture.shared().drop(db);
    }
    StringWriter err = new StringWriter();
    var cmd = Sagaz.commandLine();
    cmd.setErr(new PrintWriter(err));
    assertThat(cmd.execute("migrate", "--url", "mysql://u:secret@h/x")).isEqualTo(Sagaz.EXIT_CONFIG);
    assertThat(err.toString()).contains("--url").doesNotContain("secret");
  }

  @Test
  void migrateWithABadUrlExitsWithTheConfigCodeNamingTheKey() throws Exception {
    Path yaml = dir.resolve("bad.yaml");
    Files.writeString(yaml, "db:\n  url: mysql://h/x\n");
    StringWriter err = new StringWriter();
    var cmd = Sagaz.commandLine();
    cmd.setErr(new PrintWriter(err));
    assertThat(cmd.execute("migrate", "--config", yaml.toString())).isEqualTo(Sagaz.EXIT_CONFIG);
    assertThat(err.toString()).contains("db.url");
  }
}
