package io.sagaz.fleet.outbox.relay;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One Kafka producer for all the pollers of a node, opened by the first relay that starts and closed
 * by the last that stops. The producer is thread-safe and batches per partition across its callers,
 * so one producer sends fewer, fuller requests than one per poller, and the node holds one connection
 * and one sender thread per broker instead of one per poller.
 */
final class SharedKafkaProducer {
  private final Vertx vertx;
  private final Map<String, Object> props;
  private Future<KafkaProducer<String, byte[]>> opened;
  private int users;

  SharedKafkaProducer(Vertx vertx, Map<String, Object> props) {
    this.vertx = vertx;
    this.props = props;
  }

  /** The producer's {@code max.block.ms}: how long {@code send()} waits for metadata. */
  long maxBlockMs() {
    Object v = props.get(org.apache.kafka.clients.producer.ProducerConfig.MAX_BLOCK_MS_CONFIG);
    return v == null ? 60_000 : Long.parseLong(String.valueOf(v).trim());
  }

  /** The producer, opened on first use (creating one can block: it resolves the bootstrap servers). */
  synchronized Future<KafkaProducer<String, byte[]>> acquire() {
    users++;
    if (opened == null) {
      opened = vertx.executeBlocking(() -> new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer()));
    }
    return opened;
  }

  /** Gives the producer back; the last user closes it (flushing what it still holds, up to 5 s). */
  synchronized Future<Void> release() {
    if (users == 0 || --users > 0 || opened == null) {
      return Future.succeededFuture();
    }
    Future<KafkaProducer<String, byte[]>> closing = opened;
    opened = null;
    return closing.compose(p -> vertx.executeBlocking(() -> {
      p.close(Duration.ofSeconds(5));
      return null;
    }), e -> Future.succeededFuture());
  }
}
