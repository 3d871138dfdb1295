package io.sagaz.fleet.outbox.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** How a failed send is classified from the producer's metrics (KafkaRelayTest has the outages themselves). */
class KafkaReachabilityTest {
  private static final long MAX_BLOCK = 1_750;

  /** A metric holding a fixed value: what the producer's gauges read at the moment of a failure. */
  private static Metric value(String name, double v) {
    return new Metric() {
      @Override
      public MetricName metricName() {
        return new MetricName(name, "producer-metrics", "", Map.of());
      }

      @Override
      public Object metricValue() {
        return v;
      }
    };
  }

  private static KafkaReachability reach(double connections, double metadataAgeSeconds) {
    return new KafkaReachability(value("connection-count", connections), value("metadata-age", metadataAgeSeconds), MAX_BLOCK);
  }

  @Test
  void noChannelAtAllIsAnOutage() {
    assertThat(reach(0, 0.1).noBrokerReachable(false)).isTrue();
    assertThat(KafkaRelay.classify(reach(0, 0.1), new TimeoutException("x"), true)).isInstanceOf(RelayUnavailableException.class);
  }

  @Test
  void aConnectionBeingAttemptedWhileNoMetadataArrivedForTheWholeWaitIsAnOutage() {
    // the CI failure: connection-count 1 (a reconnect in progress), no metadata answer for 22 s
    Throwable t = KafkaRelay.classify(reach(1, 22.0), new TimeoutException("Topic t not present in metadata after 1750 ms."), false);
    assertThat(t).isInstanceOf(RelayUnavailableException.class);
  }

  @Test
  void aBrokerThatAnswersMetadataButHasNoSuchTopicFailsTheEventAsAnAttempt() {
    TimeoutException noTopic = new TimeoutException("Topic t not present in metadata after 1750 ms.");
    assertThat(KafkaRelay.classify(reach(1, 0.2), noTopic, false)).isSameAs(noTopic);
  }

  @Test
  void aTakenRecordTimingOutOnAConnectedBrokerIsATimeoutNotAnOutageHoweverOldTheMetadata() {
    // metadata is refreshed every few minutes on a healthy producer: its age says nothing outside send()
    assertThat(KafkaRelay.classify(reach(1, 120), new TimeoutException("expired"), true)).isInstanceOf(RelayTimeoutException.class);
  }

  @Test
  void theMetricsAreFoundOnARealProducer() {
    try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9"),
        new StringSerializer(), new ByteArraySerializer())) {
      assertThat(producer.metrics().keySet()).extracting(m -> m.group() + "/" + m.name())
          .contains("producer-metrics/connection-count", "producer-metrics/metadata-age");
      // never connected: no metadata answer ever, whatever the connection count blinks to
      assertThat(KafkaReachability.of(producer, MAX_BLOCK).noBrokerReachable(true)).isTrue();
    }
  }
}
