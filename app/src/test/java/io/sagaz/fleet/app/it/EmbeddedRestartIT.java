package io.sagaz.fleet.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagaz.fleet.testkit.FreePorts;
import io.sagaz.fleet.testkit.NodeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A node on the embedded PostgreSQL default keeps its data (and its generated token) across a restart. */
class EmbeddedRestartIT {

  @Test
  void dataWrittenBeforeAGracefulStopIsThereAfterTheRestart() throws Exception {
    Path dataDir = Path.of("target", "nodes", "embedded-" + UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
    String saga = "restart-" + UUID.randomUUID();
    int pgPort = FreePorts.one();

    String firstToken;
    try (NodeProcess first = node(dataDir, pgPort).start()) {
      assertThat(first.log()).contains("embedded PostgreSQL");
      firstToken = first.token();
      assertThat(firstToken).isNotBlank();
      assertThat(first.log()).contains(firstToken); // printed once, at the first start
      // The seed runbook's own statement, on the node's embedded server.
      try (Connection c = connect(pgPort); Statement st = c.createStatement()) {
        st.executeUpdate("INSERT INTO saga_executions (saga_name, status) VALUES ('" + saga + "','SUCCESS')");
      }
      int exit = first.stop();
      assertThat(exit).as("exit code after SIGTERM; log:\n%s", first.logTail(30)).isIn(0, 143);
      assertThat(first.log()).contains("node stopped");
    }
    assertThat(NodeProcess.eventually(Duration.ofSeconds(10), () -> !FreePorts.listening(pgPort)))
        .as("embedded PostgreSQL stopped with the node").isTrue();
    assertThat(dataDir.resolve("pg").resolve("PG_VERSION")).exists();

    int newPgPort = FreePorts.one();
    try (NodeProcess second = node(dataDir, newPgPort).start()) {
      try (Connection c = connect(newPgPort); Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT count(*) FROM saga_executions WHERE saga_name = '" + saga + "'")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(1);
      }
      assertThat(second.token()).isEqualTo(firstToken);
      assertThat(second.log()).doesNotContain(firstToken);
    }
    assertThat(Files.exists(dataDir.resolve("admin-token"))).isTrue();
  }

  private static NodeProcess.Builder node(Path dataDir, int pgPort) {
    return NodeProcess.builder()
        .name("embedded")
        .dataDir(dataDir)
        .adminToken(null) // let the node generate and keep it
        .roles("saga", "outbox", "maintenance", "admin")
        .env("SAGAZ_DB_EMBEDDED_PORT", Integer.toString(pgPort));
  }

  private static Connection connect(int port) throws Exception {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
  }
}
