package io.sagaz.fleet.outbox.relay;

import io.sagaz.fleet.core.config.KafkaConfig;
import io.sagaz.fleet.core.outbox.OutboxRecord;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Publishes to Kafka with an idempotent producer ({@code acks=all}); topic = the event's topic,
 * key = aggregate id, value = the payload JSON, headers per {@link RelayHeaders}.
 *
 * <p>Uses kafka-clients directly: {@code send} can block (metadata fetch, full buffer), so a whole
 * batch is handed to the producer in one blocking call on a worker thread, and the producer's
 * callbacks complete the per-event futures. Timeouts are set below the claim timeout so every attempt
 * is settled while the claim is still ours. Settings from {@code kafka.producer} win.
 */
public final class KafkaRelay implements Relay {
  private static final java.util.concurrent.atomic.AtomicInteger CLIENTS = new java.util.concurrent.atomic.AtomicInteger();
  private final Vertx vertx;
  private final SharedKafkaProducer shared;
  private KafkaProducer<String, byte[]> producer;
  /** What a failure says about the brokers, looked up once: failures read it per event. */
  private KafkaReachability reach;

  /** A relay with a producer of its own. */
  public KafkaRelay(Vertx vertx, KafkaConfig config, Duration attemptTimeout) {
    this(vertx, new SharedKafkaProducer(vertx, producerProps(config, attemptTimeout)));
  }

  private KafkaRelay(Vertx vertx, SharedKafkaProducer shared) {
    this.vertx = vertx;
    this.shared = shared;
  }

  /** Relays for one node's pollers, all publishing through one producer (see {@link SharedKafkaProducer}). */
  public static Supplier<Relay> sharingOneProducer(Vertx vertx, KafkaConfig config, Duration attemptTimeout) {
    SharedKafkaProducer shared = new SharedKafkaProducer(vertx, producerProps(config, attemptTimeout));
    return () -> new KafkaRelay(vertx, shared);
  }

  static Map<String, Object> producerProps(KafkaConfig config, Duration attemptTimeout) {
    // Kafka's own verdict (delivered, or why not) must arrive before the poller's attempt timeout,
    // which knows no more than "too slow": half a second earlier, but at least 2 s.
    long delivery = Math.max(2_000, attemptTimeout.toMillis() - 500);
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "1");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(delivery));
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(delivery - 2));
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(delivery / 2));
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "sagaz-outbox-" + CLIENTS.incrementAndGet());
    p.putAll(config.producer());
    return p;
  }

  @Override
  public Future<Void> start() {
    // A producer that failed to open is given back, so the next start tries afresh.
    return shared.acquire().onFailure(e -> shared.release()).map(p -> {
      producer = p;
      reach = KafkaReachability.of(p, shared.maxBlockMs());
      return null;
    });
  }

  @Override
  public List<Future<Void>> publish(List<OutboxRecord> records) {
    List<Promise<Void>> promises = Relay.pending(records.size());
    KafkaProducer<String, byte[]> producer = this.producer;
    KafkaReachability reach = this.reach;
    // How many records send() has taken: a callback of one of them came from the broker side (an ack,
    // or its delivery timeout expiring); any other callback ran inside send() (no metadata in time).
    AtomicInteger accepted = new AtomicInteger();
    vertx.executeBlocking(() -> {
      for (int i = 0; i < records.size(); i++) {
        Promise<Void> p = promises.get(i);
        int index = i;
        ProducerRecord<String, byte[]> record;
        try {
          record = toRecord(records.get(i));
        } catch (MalformedEventException e) {
          p.tryFail(e); // this event only; the others go out
          continue;
        }
        try {
          producer.send(record, (md, err) -> {
            if (err == null) {
              p.tryComplete();
            } else {
              p.tryFail(classify(reach, err, index < accepted.get()));
            }
          });
          accepted.set(i + 1);
          if (p.future().failed()) {
            // send() reports a failure to get metadata within max.block.ms through the callback, before
            // it returns; every further send would block as long again: the rest fail now
            for (int j = i + 1; j < records.size(); j++) {
              promises.get(j).tryFail(p.future().cause());
            }
            break;
          }
        } catch (RuntimeException e) {
          // send() itself failed (e.g. no metadata within max.block.ms): this and the rest fail now
          Throwable failure = classify(reach, e, false);
          for (int j = i; j < records.size(); j++) {
            promises.get(j).tryFail(failure);
          }
          break;
        }
      }
      return null;
    }).onFailure(e -> promises.forEach(p -> p.tryFail(e)));
    return promises.stream().map(Promise::future).toList();
  }

  /**
   * A retriable failure (a timeout, a network error) while no broker is reachable
   * ({@link KafkaReachability}) is an outage ({@link RelayUnavailableException}). A record the producer had taken whose
   * delivery timeout expired got no answer from a connected broker ({@link RelayTimeoutException}: the
   * poller takes a window of nothing but those for a hung broker). Anything else fails this event only:
   * an unknown topic without auto-creation (no metadata within {@code max.block.ms}, raised inside
   * {@code send}), a record too large.
   */
  static Throwable classify(KafkaReachability reach, Throwable err, boolean accepted) {
    if (err instanceof RetriableException && reach != null && reach.noBrokerReachable(!accepted)) {
      return new RelayUnavailableException("no Kafka broker reachable: " + err.getMessage(), err);
    }
    if (accepted && err instanceof TimeoutException) {
      return new RelayTimeoutException("no answer from Kafka within delivery.timeout.ms: " + err.getMessage(), err);
    }
    return err;
  }

  private static ProducerRecord<String, byte[]> toRecord(OutboxRecord r) {
    var rec = new ProducerRecord<String, byte[]>(r.topic(), r.aggregateId(), r.payloadJson().getBytes(StandardCharsets.UTF_8));
    RelayHeaders.of(r).forEach((k, v) -> rec.headers().add(new RecordHeader(k, v.getBytes(StandardCharsets.UTF_8))));
    return rec;
  }

  @Override
  public Future<Void> close() {
    if (producer == null) {
      return Future.succeededFuture();
    }
    producer = null;
    return shared.release();
  }
}
