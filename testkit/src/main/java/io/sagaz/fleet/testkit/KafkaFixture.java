package io.sagaz.fleet.testkit;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker for tests.
 *
 * <p>{@link #shared()} is, once per JVM, the cluster named by {@code SAGAZ_TEST_KAFKA_BOOTSTRAP} if set,
 * else an in-JVM KRaft broker (one combined broker + controller) started with Kafka's own
 * {@code KafkaClusterTestKit}. That test kit is an internal Kafka API, so it is only touched by
 * {@link InJvmKafka}; tests see bootstrap servers, topics and consumers.
 *
 * <p>{@link #startInJvm(int)} starts a private broker on a chosen port, for tests that need a broker
 * that is down first and comes up later (point a producer at {@link #freePort()} and start the broker
 * there when the test decides).
 */
public final class KafkaFixture implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KafkaFixture.class);
  private static KafkaFixture shared;

  private final String bootstrap;
  /** Stops the broker this fixture started; does nothing for an external cluster. */
  private final Runnable stop;
  private final String kind;

  private KafkaFixture(String bootstrap, Runnable stop, String kind) {
    this.bootstrap = bootstrap;
    this.stop = stop;
    this.kind = kind;
  }

  /** The Kafka the environment offers (see class doc), started on first use and kept for the JVM. */
  public static synchronized KafkaFixture shared() {
    if (shared == null) {
      String env = System.getenv("SAGAZ_TEST_KAFKA_BOOTSTRAP");
      if (env != null && !env.isBlank()) {
        shared = new KafkaFixture(env.trim(), () -> { }, env.trim());
      } else {
        shared = startInJvm(0);
        Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "kafka-fixture-stop"));
      }
      log.info("tests use Kafka at {}", shared.bootstrap);
    }
    return shared;
  }

  /** A private in-JVM KRaft broker listening on {@code port} (0 = any free port); close it when done. */
  public static KafkaFixture startInJvm(int port) {
    InJvmKafka broker = InJvmKafka.start(port);
    return new KafkaFixture(broker.bootstrapServers(), broker::close, "in-JVM KRaft");
  }

  /**
   * A private in-JVM broker behind {@code proxy}: it listens on the port the proxy forwards to and
   * tells clients to reach it at the proxy's port, so every connection they make (bootstrap, then
   * the broker's advertised address) goes through the proxy, which can then cut or stall them all.
   */
  public static KafkaFixture startInJvmBehind(TcpProxy proxy) {
    InJvmKafka broker = InJvmKafka.start(proxy.targetPort(), proxy.port());
    return new KafkaFixture("127.0.0.1:" + proxy.port(), broker::close, "in-JVM KRaft behind a proxy");
  }

  /**
   * The same single KRaft broker in a child JVM started with {@code jvmArgs} (see
   * {@link KafkaBrokerProcess}); close it when done.
   */
  public static KafkaFixture startProcess(List<String> jvmArgs) {
    KafkaBrokerProcess broker = KafkaBrokerProcess.start(jvmArgs);
    return new KafkaFixture(broker.bootstrap(), broker::close, "KRaft in a child JVM " + jvmArgs);
  }

  /** A loopback port that was free a moment ago. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("no free port: " + e.getMessage(), e);
    }
  }

  /** {@code host:port} to give producers and consumers. */
  public String bootstrapServers() {
    return bootstrap;
  }

  /** Where the broker runs: in this JVM, in a child JVM, or the external cluster's bootstrap servers. */
  public String kind() {
    return kind;
  }

  /** A topic name no other test uses. */
  public static String uniqueTopic(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Creates a topic (replication factor 1) through the Admin client; an existing one is fine. */
  public void createTopic(String name, int partitions) {
    createTopic(name, partitions, java.util.Map.of());
  }

  /** A topic with topic-level settings, e.g. {@code message.timestamp.type=LogAppendTime}. */
  public void createTopic(String name, int partitions, java.util.Map<String, String> configs) {
    try (Admin admin = admin()) {
      admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs))).all().get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("could not create topic " + name + ": " + e.getCause().getMessage(), e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** An Admin client on this broker; the caller closes it. */
  public Admin admin() {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return Admin.create(p);
  }

  /** A String consumer reading {@code topic} from the beginning in a fresh group; the caller closes it. */
  public KafkaConsumer<String, String> consumer(String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    var c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    c.subscribe(List.of(topic));
    return c;
  }

  /**
   * Reads {@code topic} from the beginning until {@code done} holds for everything read so far or
   * {@code timeout} passes, and returns what was read (in partition order).
   */
  public List<ConsumerRecord<String, String>> readUntil(String topic, Duration timeout,
      Predicate<List<ConsumerRecord<String, String>>> done) {
    List<ConsumerRecord<String, String>> all = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (var c = consumer(topic)) {
      while (System.nanoTime() < deadline && !done.test(all)) {
        c.poll(Duration.ofMillis(200)).forEach(all::add);
      }
    }
    return all;
  }

  /** Stops the broker this fixture started (no-op for an external cluster). */
  @Override
  public void close() {
    stop.run();
  }

  /** Settings a test-sized single broker needs: internal topics with replication factor 1. */
  static Map<String, String> brokerSettings() {
    return Map.of(
        "offsets.topic.replication.factor", "1",
        "offsets.topic.num.partitions", "4",
        "transaction.state.log.replication.factor", "1",
        "transaction.state.log.min.isr", "1",
        "min.insync.replicas", "1",
        "group.initial.rebalance.delay.ms", "0",
        "auto.create.topics.enable", "true",
        "num.partitions", "4");
  }
}
