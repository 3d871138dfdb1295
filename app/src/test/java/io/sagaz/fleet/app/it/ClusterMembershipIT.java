package io.sagaz.fleet.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagaz.fleet.testkit.NodeCluster;
import io.sagaz.fleet.testkit.NodeProcess;
import io.sagaz.fleet.testkit.PostgresFixture;
import io.sagaz.fleet.testkit.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Three node processes form one cluster; a node killed with SIGKILL disappears from the others' view. */
class ClusterMembershipIT {
  private static final String[][] ROLES = {
      {"saga", "admin"}, {"outbox", "admin"}, {"maintenance", "admin"}};

  @Test
  void threeNodesSeeEachOtherWithRolesAndDropAKilledOneWithin15Seconds() {
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    try (NodeCluster cluster = NodeCluster.start(3, (i, node) -> node.dbUrl(db.url()).roles(ROLES[i]))) {
      for (NodeProcess node : cluster.nodes()) {
        boolean all = NodeProcess.eventually(Duration.ofSeconds(20), () -> members(node).size() == 3);
        assertThat(all).as("%s lists 3 members: %s", node, body(node)).isTrue();
        Map<String, Set<String>> roles = members(node);
        assertThat(roles).containsOnlyKeys("n0", "n1", "n2");
        assertThat(roles.get("n0")).containsExactlyInAnyOrder("saga", "admin");
        assertThat(roles.get("n1")).containsExactlyInAnyOrder("outbox", "admin");
        assertThat(roles.get("n2")).containsExactlyInAnyOrder("maintenance", "admin");
      }

      // The operator's view of the same: `sagaz status` against one node.
      CliRun status = sagaz("status", "--url", cluster.node(0).adminUrl(), "--token", cluster.node(0).token());
      assertThat(status.exit()).as(status.output()).isZero();
      assertThat(status.output()).contains("ready").contains("3 member(s)").contains("n0").contains("n1").contains("n2");
      CliRun wrongToken = sagaz("status", "--url", cluster.node(0).adminUrl(), "--token", "not-the-token-at-all");
      assertThat(wrongToken.exit()).isEqualTo(1);
      assertThat(wrongToken.output()).contains("401");

      cluster.node(1).kill9();

      List<NodeProcess> survivors = List.of(cluster.node(0), cluster.node(2));
      boolean dropped = NodeProcess.eventually(Duration.ofSeconds(15), () ->
          survivors.stream().allMatch(n -> members(n).keySet().equals(Set.of("n0", "n2"))));
      assertThat(dropped).as("survivors list only n0 and n2 within 15 s: %s / %s",
          body(survivors.get(0)), body(survivors.get(1))).isTrue();
    } finally {
      PostgresFixture.shared().drop(db);
    }
  }

  record CliRun(int exit, String output) {}

  /** Runs the sagaz command from the fat jar, as an operator would. */
  private static CliRun sagaz(String... args) {
    try {
      List<String> cmd = new java.util.ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", NodeProcess.fatJar().toString()));
      cmd.addAll(List.of(args));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("sagaz " + String.join(" ", args) + " did not finish: " + out);
      }
      return new CliRun(p.exitValue(), out);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** nodeId -> roles from {@code GET /api/v1/cluster}. */
  private static Map<String, Set<String>> members(NodeProcess node) {
    HttpResponse<String> r = node.get("/api/v1/cluster");
    if (r.statusCode() != 200) {
      throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
    }
    JsonArray members = new JsonObject(r.body()).getJsonArray("members");
    return members.stream().map(JsonObject.class::cast).collect(Collectors.toMap(
        m -> m.getString("nodeId"),
        m -> m.getJsonArray("roles").stream().map(String::valueOf).collect(Collectors.toSet())));
  }

  private static String body(NodeProcess node) {
    try {
      return node.get("/api/v1/cluster").body();
    } catch (RuntimeException e) {
      return e.getMessage();
    }
  }
}
