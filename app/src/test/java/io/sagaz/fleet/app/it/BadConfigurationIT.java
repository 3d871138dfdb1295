package io.sagaz.fleet.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagaz.fleet.testkit.NodeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A node given a bad value exits with code 2, names the key, and starts nothing. */
class BadConfigurationIT {

  static Stream<Arguments> badConfigurations() throws Exception {
    Path yaml = Files.createTempFile("sagaz-bad", ".yaml");
    Files.writeString(yaml, "admin:\n  prot: 8080\n");
    return Stream.of(
        Arguments.of("unknown role", "node.roles", (UnaryOperator<NodeProcess.Builder>) b -> b.env("SAGAZ_NODE_ROLES", "saga,bogus")),
        Arguments.of("malformed URL", "db.url", (UnaryOperator<NodeProcess.Builder>) b -> b.dbUrl("postgresql://bad host:5432/x")),
        Arguments.of("port out of range", "admin.port", (UnaryOperator<NodeProcess.Builder>) b -> b.args("--admin-port", "70000")),
        Arguments.of("unreadable file", "/no/such/dir/sagaz.yaml", (UnaryOperator<NodeProcess.Builder>) b -> b.args("--config", "/no/such/dir/sagaz.yaml")),
        Arguments.of("unknown key", "admin.prot", (UnaryOperator<NodeProcess.Builder>) b -> b.args("--config", yaml.toString())),
        Arguments.of("bad duration", "cluster.heartbeatTimeout", (UnaryOperator<NodeProcess.Builder>) b -> b.env("SAGAZ_CLUSTER_HEARTBEAT_TIMEOUT", "soon")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badConfigurations")
  void nodeRefusesToStartAndNamesTheKey(String what, String named, UnaryOperator<NodeProcess.Builder> bad) {
    try (NodeProcess node = bad.apply(NodeProcess.builder().name("bad")).launch()) {
      int exit = node.awaitExit(Duration.ofSeconds(60));
      assertThat(exit).as("exit code; log:\n%s", node.log()).isEqualTo(2);
      assertThat(node.log()).contains("configuration error").contains(named).contains("nothing was started");
      assertThat(node.dataDir()).as("no data directory created").doesNotExist();
      assertThat(node.log()).as("no cluster joined").doesNotContain("Members {");
      assertThat(node.log()).doesNotContain(NodeProcess.READY_LINE);
    }
  }
}
