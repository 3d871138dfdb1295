package io.sagaz.fleet.testkit;

import java.util.Map;
import kafka.testkit.KafkaClusterTestKit;
import kafka.testkit.TestKitNodes;
import org.apache.kafka.common.utils.Exit;

/**
 * The one place that touches Kafka's internal {@code KafkaClusterTestKit}: a single combined KRaft
 * broker + controller in this JVM. Keeping it here means a Kafka upgrade that changes the test kit
 * breaks one small class, not every test.
 */
final class InJvmKafka implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(InJvmKafka.class);
  private final KafkaClusterTestKit cluster;

  private InJvmKafka(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
  }

  static InJvmKafka start(int port) {
    return start(port, 0);
  }

  /** {@code advertisedPort > 0}: clients are told to reach the broker at 127.0.0.1 on that port. */
  static InJvmKafka start(int port, int advertisedPort) {
    // Kafka halts the JVM when its log directory fails. At JVM exit, Kafka's own hook deletes the
    // broker's temporary directory while KafkaFixture's hook is still closing the broker, which then
    // takes the missing checkpoint files for a failed disk: a test JVM whose tests had all passed
    // ended with status 1 (surefire: "Error occurred in starting fork"). JVM shutdown hooks run
    // concurrently and cannot be ordered, so a halt is logged instead; a broker that really fails
    // mid-test still fails the test that uses it.
    Exit.setHaltProcedure((status, message) ->
        LOG.error("in-JVM Kafka asked to halt the JVM (status {}): {}; not halting", status, message));
    KafkaClusterTestKit cluster = null;
    try {
      TestKitNodes.Builder nodes = new TestKitNodes.Builder()
          .setCombined(true)
          .setNumBrokerNodes(1)
          .setNumControllerNodes(1);
      if (port > 0) {
        // Per-node overrides win over the kit's "EXTERNAL://localhost:0": a fixed port lets a test
        // point clients at a broker before it exists.
        Map<String, String> listeners = new java.util.HashMap<>();
        listeners.put("listeners", "EXTERNAL://localhost:" + port + ",CONTROLLER://localhost:0");
        if (advertisedPort > 0) {
          listeners.put("advertised.listeners", "EXTERNAL://127.0.0.1:" + advertisedPort);
        }
        nodes.setPerServerProperties(Map.of(0, listeners));
      }
      KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes.build());
      KafkaFixture.brokerSettings().forEach(builder::setConfigProp);
      cluster = builder.build();
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
      return new InJvmKafka(cluster);
    } catch (Exception e) {
      if (cluster != null) {
        try {
          cluster.close();
        } catch (Exception ignored) {
          // already failing; report the start failure
        }
      }
      throw new IllegalStateException("in-JVM Kafka did not start: " + e.getMessage(), e);
    }
  }

  String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  @Override
  public void close() {
    try {
      cluster.close();
    } catch (Exception e) {
      throw new IllegalStateException("in-JVM Kafka did not stop cleanly: " + e.getMessage(), e);
    }
  }
}
