package io.sagaz.fleet.testkit;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real AMQP 0-9-1 broker for tests.
 *
 * <p>{@link #shared()} picks, once per JVM: the RabbitMQ named by {@code SAGAZ_TEST_RABBITMQ_URI}
 * ({@code amqp://user:pass@host:port[/vhost]}); else a Testcontainers RabbitMQ when a Docker engine
 * answers; else an embedded Apache Qpid Broker-J. {@link #isRabbitMq()} tells tests whether
 * RabbitMQ-only behaviour (mandatory returns, exchange semantics of RabbitMQ) can be asserted.
 * {@link #rabbitMq()} is the same but never falls back to the embedded broker: tests of RabbitMQ-only
 * behaviour use it and fail loudly where no RabbitMQ exists, instead of passing on a stand-in.
 */
public final class RabbitMqFixture {
  private static final Logger log = LoggerFactory.getLogger(RabbitMqFixture.class);
  private static RabbitMqFixture shared;
  private static RabbitMqFixture embedded;

  private final String kind;
  private final String uri;

  private RabbitMqFixture(String kind, String uri) {
    this.kind = kind;
    this.uri = uri;
  }

  /** The AMQP broker the environment offers (see class doc), started on first use. */
  public static synchronized RabbitMqFixture shared() {
    if (shared == null) {
      shared = realOrNull();
      if (shared == null) {
        shared = embedded();
      }
      log.info("tests use AMQP broker {} at {}", shared.kind, redact(shared.uri));
    }
    return shared;
  }

  /** A real RabbitMQ (server or container); fails when the environment has none. */
  public static synchronized RabbitMqFixture rabbitMq() {
    RabbitMqFixture f = shared();
    if (!f.isRabbitMq()) {
      throw new IllegalStateException("this test needs a real RabbitMQ: set SAGAZ_TEST_RABBITMQ_URI "
          + "(e.g. amqp://guest:guest@127.0.0.1:5672) or provide a Docker engine");
    }
    return f;
  }

  /** The embedded Qpid broker, whatever the environment. */
  public static synchronized RabbitMqFixture embedded() {
    if (embedded == null) {
      EmbeddedAmqpBroker broker = EmbeddedAmqpBroker.start();
      Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "embedded-amqp-stop"));
      embedded = new RabbitMqFixture("embedded", broker.uri());
    }
    return embedded;
  }

  private static RabbitMqFixture realOrNull() {
    String env = System.getenv("SAGAZ_TEST_RABBITMQ_URI");
    if (env != null && !env.isBlank()) {
      return new RabbitMqFixture("server", env.trim());
    }
    if (Containers.dockerAvailable()) {
      return new RabbitMqFixture("container", Containers.rabbitMqUri());
    }
    return null;
  }

  /** {@code server}, {@code container} or {@code embedded}. */
  public String kind() {
    return kind;
  }

  /** True for a real RabbitMQ (server or container), false for the embedded stand-in. */
  public boolean isRabbitMq() {
    return !"embedded".equals(kind);
  }

  /** {@code amqp://user:pass@host:port[/vhost]}: the form {@code rabbitmq.uri} takes. */
  public String uri() {
    return uri;
  }

  /** A new client connection; the caller closes it. */
  public Connection connect() {
    try {
      ConnectionFactory f = new ConnectionFactory();
      f.setUri(uri);
      return f.newConnection("sagaz-test");
    } catch (Exception e) {
      throw new IllegalStateException("could not connect to " + redact(uri) + ": " + e.getMessage(), e);
    }
  }

  static String redact(String uri) {
    return uri.replaceAll("//([^:/@]+):[^@/]*@", "//$1:***@");
  }
}
