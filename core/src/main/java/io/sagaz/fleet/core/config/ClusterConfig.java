package io.sagaz.fleet.core.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the node joins the Hazelcast cluster.
 *
 * @param configFile       Hazelcast XML/YAML config; null means the bundled loopback {@code conf/cluster.xml}
 * @param name             cluster name; overrides the one in the config file when set
 * @param host             address the clustered event bus binds to
 * @param port             Hazelcast member port (0 = the config file's)
 * @param heartbeatTimeout how long a silent member stays in the cluster before it is declared dead
 */
public record ClusterConfig(Path configFile, String name, String host, int port, Duration heartbeatTimeout) {
  public ClusterConfig {
    Check.notBlank("cluster.host", host);
    Check.port("cluster.port", port);
    Check.positive("cluster.heartbeatTimeout", heartbeatTimeout);
  }
}
