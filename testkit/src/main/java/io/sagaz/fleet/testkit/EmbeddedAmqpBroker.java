package io.sagaz.fleet.testkit;

import java.util.HashMap;
import java.util.Map;
import org.apache.qpid.server.SystemLauncher;

/**
 * Apache Qpid Broker-J in this JVM, speaking AMQP 0-9-1 on loopback with user guest/guest and an
 * in-memory virtual host. It stands in for RabbitMQ where neither a server nor Docker is available;
 * it has no RabbitMQ extensions, so RabbitMQ-only behaviour is tested against a real RabbitMQ.
 */
final class EmbeddedAmqpBroker implements AutoCloseable {
  private final SystemLauncher launcher;
  private final int port;

  private EmbeddedAmqpBroker(SystemLauncher launcher, int port) {
    this.launcher = launcher;
    this.port = port;
  }

  static EmbeddedAmqpBroker start() {
    int port = KafkaFixture.freePort();
    SystemLauncher launcher = new SystemLauncher();
    Map<String, Object> attributes = new HashMap<>();
    attributes.put("type", "Memory");
    attributes.put("initialConfigurationLocation",
        EmbeddedAmqpBroker.class.getResource("qpid-config.json").toExternalForm());
    attributes.put("startupLoggedToSystemOut", false);
    attributes.put("context", Map.of(
        "qpid.amqp_port", String.valueOf(port),
        "qpid.work_dir", System.getProperty("java.io.tmpdir") + "/sagaz-qpid-" + port,
        "qpid.broker.defaultPreferenceStoreAttributes", "{\"type\": \"Noop\"}"));
    try {
      launcher.startup(attributes);
    } catch (Exception e) {
      throw new IllegalStateException("embedded AMQP broker did not start: " + e.getMessage(), e);
    }
    return new EmbeddedAmqpBroker(launcher, port);
  }

  String uri() {
    return "amqp://guest:guest@127.0.0.1:" + port;
  }

  @Override
  public void close() {
    launcher.shutdown();
  }
}
