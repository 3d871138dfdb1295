package io.sagaz.fleet.app.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import io.sagaz.fleet.core.config.ClusterConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterFactoryTest {
  @TempDir
  Path dir;

  @Test
  void bundledConfigIsLoopbackTcpWithoutMulticastAndTunedHeartbeat() {
    Config hz = ClusterFactory.hazelcastConfig(new ClusterConfig(null, null, "127.0.0.1", 0, Duration.ofSeconds(5)));
    assertThat(hz.getClusterName()).isEqualTo("sagaz");
    assertThat(hz.getNetworkConfig().getJoin().getMulticastConfig().isEnabled()).isFalse();
    assertThat(hz.getNetworkConfig().getJoin().getTcpIpConfig().isEnabled()).isTrue();
    assertThat(hz.getNetworkConfig().getJoin().getTcpIpConfig().getMembers()).containsExactly("127.0.0.1");
    assertThat(hz.getNetworkConfig().getPort()).isEqualTo(5701);
    assertThat(hz.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
    assertThat(hz.getProperty("hazelcast.wait.seconds.before.join")).isEqualTo("0");
    assertThat(hz.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("5");
    assertThat(hz.getMultiMapConfigs()).containsKey("__vertx.subs");
  }

  @Test
  void configuredNamePortAndHeartbeatOverrideTheFile() {
    Config hz = ClusterFactory.hazelcastConfig(new ClusterConfig(null, "team-a", "127.0.0.1", 40100, Duration.ofSeconds(12)));
    assertThat(hz.getClusterName()).isEqualTo("team-a");
    assertThat(hz.getNetworkConfig().getPort()).isEqualTo(40100);
    assertThat(hz.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("12");
  }

  @Test
  void ownFileKeepsItsClusterNameUnlessOneIsConfigured() throws Exception {
    Path file = dir.resolve("hz.xml");
    Files.writeString(file, """
        <hazelcast xmlns="http://www.hazelcast.com/schema/config">
          <cluster-name>from-file</cluster-name>
        </hazelcast>
        """);
    assertThat(ClusterFactory.hazelcastConfig(new ClusterConfig(file, null, "127.0.0.1", 0, Duration.ofSeconds(5)))
        .getClusterName()).isEqualTo("from-file");
    assertThat(ClusterFactory.hazelcastConfig(new ClusterConfig(file, "override", "127.0.0.1", 0, Duration.ofSeconds(5)))
        .getClusterName()).isEqualTo("override");
  }
}
