package io.sagaz.fleet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaFixtureTest {

  @Test
  void aRecordProducedToACreatedTopicIsReadBack() throws Exception {
    KafkaFixture kafka = KafkaFixture.shared();
    String topic = KafkaFixture.uniqueTopic("fixture");
    kafka.createTopic(topic, 2);
    kafka.createTopic(topic, 2); // creating it again is harmless

    produce(kafka.bootstrapServers(), topic, "k1", "hello");

    var read = kafka.readUntil(topic, Duration.ofSeconds(30), r -> !r.isEmpty());
    assertThat(read).singleElement().satisfies(r -> {
      assertThat(r.key()).isEqualTo("k1");
      assertThat(r.value()).isEqualTo("hello");
    });
  }

  @Test
  void aBrokerStartedLaterOnAChosenPortServesClientsPointedThereBefore() throws Exception {
    int port = KafkaFixture.freePort();
    try (KafkaFixture late = KafkaFixture.startInJvm(port)) {
      assertThat(late.bootstrapServers()).endsWith(":" + port);
      String topic = KafkaFixture.uniqueTopic("late");
      late.createTopic(topic, 1);
      produce("localhost:" + port, topic, "k", "v");
      assertThat(late.readUntil(topic, Duration.ofSeconds(30), r -> !r.isEmpty())).hasSize(1);
    }
  }

  @Test
  void aBrokerInAChildJvmServesClientsAndGoesAwayWhenClosed() throws Exception {
    String bootstrap;
    try (KafkaFixture child = KafkaFixture.startProcess(java.util.List.of("-Xmx256m"))) {
      bootstrap = child.bootstrapServers();
      assertThat(child.kind()).contains("child JVM");
      String topic = KafkaFixture.uniqueTopic("child");
      child.createTopic(topic, 1);
      produce(bootstrap, topic, "k", "v");
      assertThat(child.readUntil(topic, Duration.ofSeconds(30), r -> !r.isEmpty())).singleElement()
          .satisfies(r -> assertThat(r.value()).isEqualTo("v"));
    }
    int port = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
    assertThat(connects(port)).as("the broker's port after close").isFalse();
  }

  private static boolean connects(int port) {
    try (java.net.Socket s = new java.net.Socket()) {
      s.connect(new java.net.InetSocketAddress("localhost", port), 1000);
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static void produce(String bootstrap, String topic, String key, String value) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    }
  }
}
