package io.sagaz.fleet.outbox.relay;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.sagaz.fleet.core.config.RabbitMqConfig;
import io.sagaz.fleet.core.outbox.OutboxRecord;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes to a RabbitMQ topic exchange ({@code rabbitmq.exchange}, declared durable on connect)
 * with routing key = the event's topic, persistent messages, {@code message_id} = event id.
 *
 * <p>Publisher confirms, streamed: up to {@code rabbitmq.confirmWindow} messages are unconfirmed at
 * once, and the next window goes out when the previous one is confirmed, unless the poller has
 * {@linkplain #abandon() abandoned} the publish meanwhile. Every message is published
 * {@code mandatory}: RabbitMQ confirms an unroutable message too, but first returns it
 * ({@code basic.return}), so a returned message fails its attempt and is never marked sent.
 *
 * <p>Uses the RabbitMQ Java client directly because vertx-rabbitmq-client 5.0.8 has neither mandatory
 * publishing nor a return listener. Channel calls run on a worker thread (they may block on the
 * socket); confirms and returns arrive on the client's connection thread and complete futures. A lost
 * connection fails everything unconfirmed, and the next publish reconnects.
 */
public final class RabbitMqRelay implements Relay {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RabbitMqRelay.class);
  private final Vertx vertx;
  private final RabbitMqConfig config;
  private final ConcurrentNavigableMap<Long, Pending> unconfirmed = new ConcurrentSkipListMap<>();
  private final Map<String, Pending> byMessageId = new ConcurrentHashMap<>();
  /** Raised by {@link #abandon()}: windows of earlier publishes still to go out are not sent. */
  private final AtomicLong generation = new AtomicLong();
  private Connection connection;
  private Channel channel;

  private record Pending(String messageId, Promise<Void> promise, String[] returned) {}

  public RabbitMqRelay(Vertx vertx, RabbitMqConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  @Override
  public Future<Void> start() {
    // Connect eagerly to surface a wrong URI early, but a broker that is down now is not fatal:
    // publishes fail and retry until it is back.
    return vertx.executeBlocking(() -> {
      try {
        ensureChannel();
      } catch (Exception e) {
        closeQuietly();
      }
      return null;
    });
  }

  @Override
  public List<Future<Void>> publish(List<OutboxRecord> records) {
    List<Promise<Void>> promises = Relay.pending(records.size());
    publishWindow(records, promises, 0, generation.get());
    return promises.stream().map(Promise::future).toList();
  }

  /**
   * Confirms that come after the poller's attempt timeout (a broker that stalled, then recovered)
   * would otherwise release the next windows of a batch that is already back in the outbox, and
   * every event of them would be delivered twice.
   */
  @Override
  public void abandon() {
    generation.incrementAndGet();
  }

  private void publishWindow(List<OutboxRecord> records, List<Promise<Void>> promises, int from, long gen) {
    if (from >= records.size()) {
      return;
    }
    if (gen != generation.get()) {
      abandoned(promises.subList(from, records.size()));
      return;
    }
    int to = Math.min(records.size(), from + config.confirmWindow());
    vertx.executeBlocking(() -> {
      Channel ch = ensureChannel();
      if (gen != generation.get()) {
        return false; // abandoned while the connection was (re)made, which can take longer than the attempt
      }
      for (int i = from; i < to; i++) {
        OutboxRecord r = records.get(i);
        AMQP.BasicProperties props;
        try {
          props = properties(r);
        } catch (MalformedEventException e) {
          promises.get(i).tryFail(e); // this event only; the others go out
          continue;
        }
        String messageId = r.eventId().toString();
        Pending p = new Pending(messageId, promises.get(i), new String[1]);
        long seq = ch.getNextPublishSeqNo();
        unconfirmed.put(seq, p);
        byMessageId.put(messageId, p);
        ch.basicPublish(config.exchange(), r.topic(), true, props, r.payloadJson().getBytes(StandardCharsets.UTF_8));
      }
      return true;
    }).onFailure(e -> {
      // No channel (the broker refused or dropped the connection) is an outage; a publish that failed
      // on an open channel is this batch's own failure.
      Throwable failure = channel == null || !channel.isOpen()
          ? new RelayUnavailableException("RabbitMQ unreachable: " + e.getMessage(), e) : e;
      for (int i = from; i < records.size(); i++) {
        promises.get(i).tryFail(failure);
      }
      vertx.executeBlocking(() -> {
        closeQuietly();
        return null;
      });
    }).onSuccess(sent -> {
      if (!sent) {
        abandoned(promises.subList(from, records.size()));
        return;
      }
      Future.join(promises.subList(from, to).stream().map(Promise::future).toList())
          .onComplete(ar -> publishWindow(records, promises, to, gen));
    });
  }

  private static void abandoned(List<Promise<Void>> notSent) {
    IllegalStateException e = new IllegalStateException("not sent: the poller abandoned its batch at the attempt timeout");
    notSent.forEach(p -> p.tryFail(e));
  }

  private static AMQP.BasicProperties properties(OutboxRecord r) {
    Map<String, Object> headers = new HashMap<>(RelayHeaders.of(r));
    return new AMQP.BasicProperties.Builder()
        .contentType("application/json")
        .deliveryMode(2)
        .messageId(r.eventId().toString())
        .type(r.eventType())
        .headers(headers)
        .build();
  }

  private Channel ensureChannel() throws Exception {
    if (channel != null && channel.isOpen()) {
      return channel;
    }
    closeQuietly();
    ConnectionFactory f = new ConnectionFactory();
    f.setUri(config.uri());
    f.setAutomaticRecoveryEnabled(false); // we reconnect on the next publish and retry the events
    f.setConnectionTimeout(5_000);
    f.setRequestedHeartbeat(10);
    Connection c = f.newConnection("sagaz-outbox");
    Channel ch = c.createChannel();
    ch.confirmSelect();
    ch.exchangeDeclare(config.exchange(), "topic", true);
    ch.addReturnListener(ret -> {
      Pending p = ret.getProperties() == null ? null : byMessageId.get(ret.getProperties().getMessageId());
      if (p != null) {
        p.returned()[0] = ret.getReplyCode() + " " + ret.getReplyText();
      }
    });
    ch.addConfirmListener(
        (tag, multiple) -> settle(tag, multiple, null),
        (tag, multiple) -> settle(tag, multiple, "broker nacked the message"));
    c.addShutdownListener(cause -> failAll(cause));
    connection = c;
    channel = ch;
    log.info("outbox relay connected to RabbitMQ, exchange '{}'", config.exchange());
    return ch;
  }

  private void settle(long tag, boolean multiple, String nack) {
    var done = multiple ? unconfirmed.headMap(tag, true) : unconfirmed.subMap(tag, true, tag, true);
    for (Pending p : done.values()) {
      byMessageId.remove(p.messageId());
      if (nack != null) {
        p.promise().tryFail(new IllegalStateException(nack));
      } else if (p.returned()[0] != null) {
        p.promise().tryFail(new IllegalStateException("unroutable: exchange '" + config.exchange()
            + "' returned the message (" + p.returned()[0] + "); no queue is bound for its routing key"));
      } else {
        p.promise().tryComplete();
      }
    }
    done.clear();
  }

  private void failAll(Throwable cause) {
    var all = new ArrayList<>(unconfirmed.values());
    unconfirmed.clear();
    byMessageId.clear();
    all.forEach(p -> p.promise().tryFail(new RelayUnavailableException("RabbitMQ connection lost: " + cause.getMessage(), cause)));
  }

  private void closeQuietly() {
    Connection c = connection;
    connection = null;
    channel = null;
    if (c != null) {
      try {
        c.abort(2_000);
      } catch (RuntimeException ignored) {
        // already gone
      }
    }
  }

  @Override
  public Future<Void> close() {
    return vertx.executeBlocking(() -> {
      if (connection != null && connection.isOpen()) {
        try {
          channel.waitForConfirms(5_000);
        } catch (Exception ignored) {
          // unconfirmed ones are failed below and retried by whoever polls next
        }
      }
      closeQuietly();
      failAll(new IllegalStateException("relay closed"));
      return null;
    });
  }
}
