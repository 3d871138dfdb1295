package io.sagaz.fleet.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagaz.fleet.testkit.NodeCluster;
import io.sagaz.fleet.testkit.NodeProcess;
import io.sagaz.fleet.testkit.PostgresFixture;
import io.sagaz.fleet.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A node frozen with SIGSTOP drops out of the cluster view and comes back after SIGCONT. */
class PauseResumeIT {

  @Test
  void pausedNodeLeavesTheViewAndRejoinsAfterResume() {
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    try (NodeCluster cluster = NodeCluster.start(2, (i, node) -> node.dbUrl(db.url()).roles("admin"))) {
      NodeProcess n0 = cluster.node(0);
      NodeProcess n1 = cluster.node(1);
      assertThat(NodeProcess.eventually(Duration.ofSeconds(20), () -> ids(n0).equals(Set.of("n0", "n1")))).isTrue();

      n1.pause();
      assertThat(NodeProcess.eventually(Duration.ofSeconds(15), () -> ids(n0).equals(Set.of("n0"))))
          .as("n0 drops the paused n1 within 15 s: %s", n0.get("/api/v1/cluster").body()).isTrue();

      n1.resume();
      boolean back = NodeProcess.eventually(Duration.ofSeconds(60),
          () -> ids(n0).equals(Set.of("n0", "n1")) && ids(n1).equals(Set.of("n0", "n1")));
      assertThat(back).as("both list both again after the resume: %s / %s; n1 log:\n%s",
          safe(n0), safe(n1), n1.logTail(40)).isTrue();
    } finally {
      PostgresFixture.shared().drop(db);
    }
  }

  private static Set<String> ids(NodeProcess node) {
    HttpResponse<String> r = node.get("/api/v1/cluster");
    if (r.statusCode() != 200) {
      throw new IllegalStateException("HTTP " + r.statusCode());
    }
    return new JsonObject(r.body()).getJsonArray("members").stream()
        .map(m -> ((JsonObject) m).getString("nodeId")).collect(Collectors.toSet());
  }

  private static String safe(NodeProcess node) {
    try {
      return node.get("/api/v1/cluster").body();
    } catch (RuntimeException e) {
      return e.getMessage();
    }
  }
}
