package io.sagaz.fleet.app.node;

import com.hazelcast.config.ClasspathXmlConfig;
import com.hazelcast.config.Config;
import io.sagaz.fleet.core.config.ClusterConfig;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Builds the Hazelcast cluster manager: from {@code cluster.config} when set, else from the loopback
 * configuration bundled in the jar (a copy of {@code conf/cluster.xml}), then applies the settings that
 * {@code sagaz.yaml} owns: cluster name (when set), member port (when not 0) and heartbeat timeout.
 */
public final class ClusterFactory {
  /** Where the build puts {@code conf/cluster.xml} inside the jar. */
  static final String BUNDLED_CONFIG = "sagaz/cluster.xml";

  static {
    // Read by Hazelcast before any Config exists (its config loaders log too); without it they use JUL.
    if (System.getProperty("hazelcast.logging.type") == null) {
      System.setProperty("hazelcast.logging.type", "slf4j");
    }
  }

  private ClusterFactory() {}

  public static HazelcastClusterManager create(ClusterConfig cluster) {
    return new HazelcastClusterManager(hazelcastConfig(cluster));
  }

  static Config hazelcastConfig(ClusterConfig cluster) {
    Config hz;
    try {
      hz = cluster.configFile() == null
          ? new ClasspathXmlConfig(BUNDLED_CONFIG)
          : Config.loadFromFile(cluster.configFile().toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Hazelcast config " + cluster.configFile(), e);
    }
    if (cluster.name() != null) {
      hz.setClusterName(cluster.name());
    }
    if (cluster.port() > 0) {
      hz.getNetworkConfig().setPort(cluster.port());
    }
    long seconds = Math.max(1, cluster.heartbeatTimeout().toSeconds());
    hz.setProperty("hazelcast.max.no.heartbeat.seconds", Long.toString(seconds));
    if (hz.getProperty("hazelcast.heartbeat.interval.seconds") == null) {
      hz.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    }
    // Our shutdown hook leaves the cluster after undeploying; Hazelcast's own hook would race it.
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    return hz;
  }
}
