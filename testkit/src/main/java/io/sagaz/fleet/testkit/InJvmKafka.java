package io.sagaz.fleet.testkit;

import java.util.Map;
import kafka.testkit.KafkaClusterTestKit;
import kafka.testkit.TestKitNodes;

/**
 * The one place that touches Kafka's internal {@code KafkaClusterTestKit}: a single combined KRaft
 * broker + controller in this JVM. Keeping it here means a Kafka upgrade that changes the test kit
 * breaks one small class, not every test.
 */
final class InJvmKafka implements AutoCloseable {
  private final KafkaClusterTestKit cluster;

  private InJvmKafka(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
  }

  static InJvmKafka start(int port) {
    KafkaClusterTestKit cluster = null;
    try {
      TestKitNodes.Builder nodes = new TestKitNodes.Builder()
          .setCombined(true)
          .setNumBrokerNodes(1)
          .setNumControllerNodes(1);
      if (port > 0) {
        // Per-node overrides win over the kit's "EXTERNAL://localhost:0": a fixed port lets a test
        // point clients at a broker before it exists.
        nodes.setPerServerProperties(Map.of(0, Map.of(
            "listeners", "EXTERNAL://localhost:" + port + ",CONTROLLER://localhost:0")));
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
