package io.sagaz.fleet.outbox.relay;

import java.util.Map;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Whether a failed send means "no broker reachable" (an outage: no attempt counted), read from the
 * producer's own metrics, looked up once.
 *
 * <p>{@code connection-count} alone cannot tell: it counts the producer's channels, and a channel is
 * counted from the moment a connection is attempted. While a down broker is retried the count blinks
 * between 0 and 1, and a send that failed during a blink was taken for a failed attempt (200 events
 * with an attempt each, in a CI run on a slow machine). Inside {@code send()} the producer has asked
 * for metadata for the whole {@code max.block.ms}; {@code metadata-age} (seconds since the last
 * metadata response) at least that long means no broker answered in all that time. With a broker up
 * and a topic it does not have, the producer keeps getting answers, and the age stays short.
 */
final class KafkaReachability {
  private final Metric connections;
  private final Metric metadataAge;
  private final long maxBlockMs;

  KafkaReachability(Metric connections, Metric metadataAge, long maxBlockMs) {
    this.connections = connections;
    this.metadataAge = metadataAge;
    this.maxBlockMs = maxBlockMs;
  }

  static KafkaReachability of(Producer<?, ?> producer, long maxBlockMs) {
    return new KafkaReachability(metric(producer, "connection-count"), metric(producer, "metadata-age"), maxBlockMs);
  }

  /**
   * @param duringSend the failure came from inside {@code send()} (no metadata within
   *                   {@code max.block.ms}), not from a record the producer had taken
   */
  boolean noBrokerReachable(boolean duringSend) {
    if (connections != null && connections.metricValue() instanceof Number n && n.longValue() == 0) {
      return true;
    }
    return duringSend && metadataAge != null && metadataAge.metricValue() instanceof Number age
        && age.doubleValue() * 1000 >= maxBlockMs;
  }

  /** A producer metric of the {@code producer-metrics} group; null if this client has none (nothing is then taken for an outage). */
  private static Metric metric(Producer<?, ?> producer, String name) {
    for (Map.Entry<MetricName, ? extends Metric> m : producer.metrics().entrySet()) {
      if (name.equals(m.getKey().name()) && "producer-metrics".equals(m.getKey().group())) {
        return m.getValue();
      }
    }
    return null;
  }
}
