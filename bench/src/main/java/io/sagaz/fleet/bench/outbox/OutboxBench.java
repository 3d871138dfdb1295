package io.sagaz.fleet.bench.outbox;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.sagaz.fleet.core.config.OutboxConfig;
import io.sagaz.fleet.testkit.KafkaFixture;
import io.sagaz.fleet.testkit.PostgresFixture;
import io.sagaz.fleet.testkit.RabbitMqFixture;
import io.sagaz.fleet.testkit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Outbox throughput and latency, every figure with its baseline measured in the same run:
 * <ol>
 *   <li>naive baseline: single-row pollers (claim one, publish, mark one), draining a backlog to Kafka;
 *   <li>backlog drain: {@code bench.backlog} pending events (default 1,000,000) drained to Kafka;
 *   <li>end to end: business transactions (order row + one outbox event) from a closed loop, delivered
 *       to Kafka: events/s from the first commit to the last event marked sent;
 *   <li>latency at half of that peak (open loop), from the commit as the writer sees it: to the broker's
 *       append (LogAppendTime; the broker acks an acks=all write to this one-replica topic right after
 *       it), and to a consumer's read of the event (an upper bound: a consumer can only read what
 *       acks=all acknowledged);
 *   <li>the same end-to-end run through RabbitMQ (publisher confirms, mandatory).
 * </ol>
 * A ceiling for the end-to-end figures is measured too: the same business transactions with no
 * poller running. System properties: {@code bench.only=drain} runs only the drain, {@code bench.only=e2e} only the
 * ceilings and the Kafka end to end, {@code bench.only=rabbitmq} the ceiling and the RabbitMQ end to end,
 * {@code bench.only=latency} only the latency phase at {@code bench.rate} (1000) events/s; {@code bench.seconds} (10), {@code bench.backlog} (1000000), {@code bench.drainWarmup} (300000), {@code bench.pollers} (4),
 * {@code bench.batch} (1000), {@code bench.warmup} (20 s), {@code bench.kafkaInJvm} (false), {@code bench.writers} (64), {@code bench.writerPool} (32), {@code bench.naiveWorkers} (8);
 * {@code bench.kafka.NAME=VALUE} sets the relay's producer setting NAME (as {@code kafka.producer} does).
 * Services: {@code SAGAZ_TEST_PG_URL} / {@code SAGAZ_TEST_KAFKA_BOOTSTRAP} / {@code SAGAZ_TEST_RABBITMQ_URI},
 * else embedded PostgreSQL, the test Kafka broker in a child JVM (see {@link #kafka()}), embedded AMQP broker.
 */
public final class OutboxBench {
  private static final int SECONDS = Integer.getInteger("bench.seconds", 10);
  private static final int BACKLOG = Integer.getInteger("bench.backlog", 1_000_000);
  private static final int POLLERS = Integer.getInteger("bench.pollers", 4);
  private static final int BATCH = Integer.getInteger("bench.batch", 1000);
  private static final int WRITERS = Integer.getInteger("bench.writers", 64);
  private static final int WRITER_POOL = Integer.getInteger("bench.writerPool", 32);
  private static final int NAIVE_WORKERS = Integer.getInteger("bench.naiveWorkers", 8);
  /**
   * Seconds of load before each end-to-end and latency measurement. On this machine C2 is still
   * compiling the relay's and the pg client's hot paths 20-60 s into a process, at up to a second a
   * method (docs/benchmarks.md, "Warm-up and a broker process of its own").
   */
  private static final int WARMUP = Integer.getInteger("bench.warmup", 20);
  /** Events drained untimed before the timed drain (see {@link #drain}). */
  private static final int DRAIN_WARMUP = Integer.getInteger("bench.drainWarmup", 300_000);

  public static void main(String[] args) throws Exception {
    KafkaFixture kafka = kafka();
    System.out.printf("Outbox benchmark: %d cores, PostgreSQL %s, Kafka %s, AMQP %s, warm-up %d s%n",
        Runtime.getRuntime().availableProcessors(), PostgresFixture.shared().kind() + " " + PostgresFixture.shared().serverVersion(),
        kafka.kind(), RabbitMqFixture.shared().kind(), WARMUP);
    String only = System.getProperty("bench.only", "");
    if (only.equals("drain")) {
      drain(kafka);
      System.exit(0);
    }
    if (only.equals("e2e")) {
      writeCeiling(kafka, Writers.Style.WITH_TRANSACTION);
      double ceiling = writeCeiling(kafka, Writers.Style.ONE_ROUND_TRIP);
      double e2e = endToEnd(kafka);
      System.out.printf("end to end to Kafka: %,.0f events/s (%.0f%% of the %,.0f txn/s ceiling)%n", e2e, 100 * e2e / ceiling, ceiling);
      System.exit(0);
    }
    if (only.equals("rabbitmq")) {
      double ceiling = writeCeiling(kafka, Writers.Style.ONE_ROUND_TRIP);
      double rabbit = rabbitEndToEnd();
      System.out.printf("end to end to RabbitMQ: %,.0f events/s (%.0f%% of the %,.0f txn/s ceiling)%n", rabbit, 100 * rabbit / ceiling, ceiling);
      System.exit(0);
    }
    if (only.equals("latency")) {
      double rate = Double.parseDouble(System.getProperty("bench.rate", "1000"));
      double[] l = latencyAtHalf(kafka, rate);
      System.out.printf("commit -> Kafka append at %,.0f/s: p50 %.1f ms, p99 %.1f ms, max %.1f ms; -> consumer: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
          rate, l[0], l[1], l[2], l[3], l[4], l[5]);
      System.exit(0);
    }
    double naive = naive(kafka);
    double drain = drain(kafka);
    double classic = writeCeiling(kafka, Writers.Style.WITH_TRANSACTION);
    double ceiling = writeCeiling(kafka, Writers.Style.ONE_ROUND_TRIP);
    double e2e = endToEnd(kafka);
    double[] latency = latencyAtHalf(kafka, e2e / 2);
    double rabbit = rabbitEndToEnd();

    System.out.println();
    System.out.println("=== Outbox results ===");
    System.out.printf("naive single-row poller (%d workers) to Kafka : %,10.0f events/s (baseline)%n", NAIVE_WORKERS, naive);
    System.out.printf("backlog drain of %,d to Kafka          : %,10.0f events/s  (%.1fx naive; goal >= 50,000 and >= 3x)%n",
        BACKLOG, drain, drain / naive);
    System.out.printf("business txns alone, withTransaction, no pollers: %,10.0f txn/s (4 round trips each)%n", classic);
    System.out.printf("business txns alone, OutboxWriter.commit (ceiling): %,10.0f txn/s (1 round trip each; %.2fx)%n", ceiling, ceiling / classic);
    System.out.printf("end to end, 1 event per txn, to Kafka        : %,10.0f events/s  (%.1fx naive, %.0f%% of ceiling; goal >= 6,000)%n",
        e2e, e2e / naive, 100 * e2e / ceiling);
    System.out.printf("commit -> Kafka append at %,.0f/s (half of peak): p50 %.1f ms, p99 %.1f ms, max %.1f ms (goal p99 <= 25 ms)%n",
        e2e / 2, latency[0], latency[1], latency[2]);
    System.out.printf("commit -> consumer read, same run             : p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
        latency[3], latency[4], latency[5]);
    System.out.printf("end to end, 1 event per txn, to RabbitMQ     : %,10.0f events/s  (%.1fx naive Kafka, %.0f%% of ceiling; goal >= 6,000)%n",
        rabbit, rabbit / naive, 100 * rabbit / ceiling);
    System.exit(0);
  }

  /**
   * The broker: {@code SAGAZ_TEST_KAFKA_BOOTSTRAP} if set; else, by default, the test broker in a JVM of
   * its own, as a broker beside a node would be (in the node's JVM its garbage and JIT compilation were
   * the node's: G1 pauses of 6-33 ms every 4 s instead of 5-9 ms); {@code bench.kafkaInJvm=true} puts
   * it in this JVM, as the tests do.
   */
  private static KafkaFixture kafka() {
    String external = System.getenv("SAGAZ_TEST_KAFKA_BOOTSTRAP");
    if (Boolean.getBoolean("bench.kafkaInJvm") || (external != null && !external.isBlank())) {
      return KafkaFixture.shared();
    }
    KafkaFixture broker = KafkaFixture.startProcess(List.of("-Xmx1g", "-XX:+UseG1GC"));
    Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-broker-stop"));
    return broker;
  }

  private static double naive(KafkaFixture kafka) throws Exception {
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    String topic = topic(kafka, "naive");
    insertBacklog(db, topic, 200_000);
    try (NaivePoller naive = new NaivePoller(db, kafka.bootstrapServers(), NAIVE_WORKERS)) {
      naive.run(NAIVE_WORKERS, System.nanoTime() + Duration.ofSeconds(2).toNanos()); // warm-up
      long before = naive.sent.get();
      long t0 = System.nanoTime();
      naive.run(NAIVE_WORKERS, t0 + Duration.ofSeconds(SECONDS).toNanos());
      double rate = (naive.sent.get() - before) / ((System.nanoTime() - t0) / 1e9);
      System.out.printf("naive: %,d sent in %d s -> %,.0f/s%n", naive.sent.get() - before, SECONDS, rate);
      return rate;
    } finally {
      PostgresFixture.shared().drop(db);
    }
  }

  /**
   * Drains a warm-up backlog untimed, then times the drain of {@code bench.backlog}. A backlog
   * builds up on nodes that have been running (during a broker outage), so the figure is for a warm
   * JVM: in a fresh one the JIT compiler took half a core for the first 20 s of the drain, most of
   * it compiling the in-JVM broker's produce path, which a real deployment runs elsewhere.
   */
  private static double drain(KafkaFixture kafka) throws Exception {
    if (DRAIN_WARMUP > 0) {
      drainOnce(kafka, DRAIN_WARMUP, "drain warm-up");
    }
    return drainOnce(kafka, BACKLOG, "drain");
  }

  private static double drainOnce(KafkaFixture kafka, int backlog, String what) throws Exception {
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    String topic = topic(kafka, "drain");
    long ti = System.nanoTime();
    insertBacklog(db, topic, backlog);
    System.out.printf("%s: %,d pending events inserted in %.1f s%n", what, backlog, (System.nanoTime() - ti) / 1e9);
    long t0 = System.nanoTime();
    try (BenchNode node = new BenchNode(db, BenchNode.outbox(OutboxConfig.Relay.KAFKA, POLLERS, BATCH),
        kafka.bootstrapServers(), "amqp://unused@127.0.0.1:9", "unused", POLLERS * 2 + 2)) {
      waitFor(node::published, backlog, Duration.ofMinutes(10), what);
      double rate = backlog / ((System.nanoTime() - t0) / 1e9);
      System.out.printf("%s: %,d sent in %.1f s -> %,.0f/s%n", what, backlog, (System.nanoTime() - t0) / 1e9, rate);
      return rate;
    } finally {
      PostgresFixture.shared().drop(db);
    }
  }

  private static double endToEnd(KafkaFixture kafka) {
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    String topic = topic(kafka, "e2e");
    try (BenchNode node = new BenchNode(db, BenchNode.outbox(OutboxConfig.Relay.KAFKA, POLLERS, BATCH),
        kafka.bootstrapServers(), "amqp://unused@127.0.0.1:9", "unused", POLLERS * 2 + 2);
        Writers writers = new Writers(node.vertx, db, topic, WRITER_POOL, Writers.Style.ONE_ROUND_TRIP)) {
      return closedLoopRate("kafka e2e", node, writers);
    } finally {
      PostgresFixture.shared().drop(db);
    }
  }

  /** The same business transactions with no poller running: what the database allows the writers. */
  private static double writeCeiling(KafkaFixture kafka, Writers.Style style) {
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try (Writers writers = new Writers(vertx, db, "ceiling", WRITER_POOL, style)) {
      writers.closedLoop(WRITERS, System.nanoTime() + Duration.ofSeconds(2).toNanos());
      long base = writers.committed.get();
      long t0 = System.nanoTime();
      writers.closedLoop(WRITERS, t0 + Duration.ofSeconds(SECONDS).toNanos());
      double rate = (writers.committed.get() - base) / ((System.nanoTime() - t0) / 1e9);
      System.out.printf("ceiling (%s): %,.0f business txn/s with no pollers%n", style, rate);
      return rate;
    } finally {
      vertx.close().await();
      PostgresFixture.shared().drop(db);
    }
  }

  private static double rabbitEndToEnd() throws Exception {
    RabbitMqFixture rabbit = RabbitMqFixture.shared();
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    String exchange = "sagaz.bench." + UUID.randomUUID();
    String topic = "orders.created";
    AtomicLong consumed = new AtomicLong();
    try (Connection conn = rabbit.connect()) {
      Channel ch = conn.createChannel();
      ch.exchangeDeclare(exchange, "topic", true);
      String queue = ch.queueDeclare("", false, true, true, null).getQueue();
      ch.queueBind(queue, exchange, topic);
      ch.basicConsume(queue, true, new DefaultConsumer(ch) {
        @Override
        public void handleDelivery(String tag, Envelope env, com.rabbitmq.client.AMQP.BasicProperties p, byte[] body) {
          consumed.incrementAndGet();
        }
      });
      try (BenchNode node = new BenchNode(db, BenchNode.outbox(OutboxConfig.Relay.RABBITMQ, POLLERS, BATCH),
          "localhost:9", rabbit.uri(), exchange, POLLERS * 2 + 2);
          Writers writers = new Writers(node.vertx, db, topic, WRITER_POOL, Writers.Style.ONE_ROUND_TRIP)) {
        double rate = closedLoopRate("rabbitmq e2e", node, writers);
        waitFor(consumed::get, writers.committed.get(), Duration.ofSeconds(60), "rabbitmq consumer");
        return rate;
      }
    } finally {
      PostgresFixture.shared().drop(db);
    }
  }

  /** Closed-loop writers for bench.seconds; rate = committed events / (first commit .. last marked sent). */
  private static double closedLoopRate(String name, BenchNode node, Writers writers) {
    writers.closedLoop(WRITERS, System.nanoTime() + Duration.ofSeconds(WARMUP).toNanos());
    waitFor(node::published, writers.committed.get(), Duration.ofSeconds(60), name + " warm-up");
    long base = node.published();
    long committedBase = writers.committed.get();
    long t0 = System.nanoTime();
    writers.closedLoop(WRITERS, t0 + Duration.ofSeconds(SECONDS).toNanos());
    long written = writers.committed.get() - committedBase;
    double writeSeconds = (System.nanoTime() - t0) / 1e9;
    waitFor(node::published, base + written, Duration.ofSeconds(120), name);
    double seconds = (System.nanoTime() - t0) / 1e9;
    var claims = node.meters.get("outbox.claim.size").summary();
    System.out.printf("%s: %,d committed in %.1f s (%,.0f/s), all sent after %.1f s -> %,.0f events/s; %,d claims, %.1f events per claim%n",
        name, written, writeSeconds, written / writeSeconds, seconds, written / seconds, claims.count(), claims.mean());
    return written / seconds;
  }

  /**
   * Commit to broker, two ways, per event: to the broker's append (the topic stamps records with
   * LogAppendTime, in milliseconds; the broker acknowledges an acks=all write of this one-replica
   * topic right after appending it) and to a consumer's read. Returns {append p50, p99, max, read
   * p50, p99, max} in ms.
   */
  private static double[] latencyAtHalf(KafkaFixture kafka, double rate) throws Exception {
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    String topic = KafkaFixture.uniqueTopic("bench-latency");
    kafka.createTopic(topic, 8, java.util.Map.of("message.timestamp.type", "LogAppendTime"));
    // event id -> {read at (nanoTime), appended at (epoch micros)}, matched with the commit times after
    // the run: the consumer can see an event before its writer's commit callback has run
    Map<String, long[]> arrivals = new ConcurrentHashMap<>();
    AtomicBoolean stop = new AtomicBoolean();
    try (BenchNode node = new BenchNode(db, BenchNode.outbox(OutboxConfig.Relay.KAFKA, POLLERS, BATCH),
        kafka.bootstrapServers(), "amqp://unused@127.0.0.1:9", "unused", POLLERS * 2 + 2);
        Writers writers = new Writers(node.vertx, db, topic, WRITER_POOL, Writers.Style.ONE_ROUND_TRIP)) {
      Thread consumer = new Thread(() -> consume(kafka, topic, arrivals, stop), "latency-consumer");
      consumer.start();
      writers.openLoop(rate, System.nanoTime() + Duration.ofSeconds(WARMUP).toNanos()); // not measured
      waitFor(node::published, writers.committed.get(), Duration.ofSeconds(60), "latency warm-up");
      Thread.sleep(500);
      arrivals.clear();
      writers.trackLatency(true);
      writers.openLoop(rate, System.nanoTime() + Duration.ofSeconds(SECONDS).toNanos());
      writers.trackLatency(false);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!arrivals.keySet().containsAll(writers.commitTimes.keySet()) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      stop.set(true);
      consumer.join();
      Samples appended = new Samples();
      Samples read = new Samples();
      long missing = 0;
      for (var e : writers.commitTimes.entrySet()) {
        long[] arrival = arrivals.get(e.getKey());
        if (arrival == null) {
          missing++;
        } else {
          read.add((arrival[0] - e.getValue()[0]) / 1_000);
          appended.add(arrival[1] - e.getValue()[1]);
        }
      }
      if (missing > 0) {
        System.out.printf("latency: %,d of %,d committed events never reached the consumer within 60 s%n", missing, writers.commitTimes.size());
      }
      var publish = node.meters.get("outbox.publish.duration").timer();
      var claims = node.meters.get("outbox.claim.size").summary();
      System.out.printf("latency: %,d events at %,.0f/s measured; relay hand-off to ack: mean %.1f ms, max %.1f ms over %,d; "
              + "%,d claims, %.1f events per claim%n",
          read.count(), rate, publish.mean(java.util.concurrent.TimeUnit.MILLISECONDS),
          publish.max(java.util.concurrent.TimeUnit.MILLISECONDS), publish.count(), claims.count(), claims.mean());
      double[] a = appended.percentiles();
      double[] r = read.percentiles();
      return new double[] {a[0], a[1], a[2], r[0], r[1], r[2]};
    } finally {
      PostgresFixture.shared().drop(db);
    }
  }

  /** Latency samples in microseconds, filled by one thread, read after it stopped. */
  private static final class Samples {
    private final long[] micros = new long[1 << 22];
    private final AtomicLong n = new AtomicLong();

    void add(long value) {
      long i = n.getAndIncrement();
      if (i < micros.length) {
        micros[(int) i] = value;
      }
    }

    long count() {
      return n.get();
    }

    /** p50, p99 and max in milliseconds. */
    double[] percentiles() {
      long[] sorted = Arrays.copyOf(micros, (int) Math.min(n.get(), micros.length));
      Arrays.sort(sorted);
      return new double[] {pct(sorted, 50), pct(sorted, 99), pct(sorted, 100)};
    }
  }

  private static void consume(KafkaFixture kafka, String topic, Map<String, long[]> arrivals, AtomicBoolean stop) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    // A long poll: the broker answers a fetch as soon as a record arrives (fetch.min.bytes = 1), so
    // waiting up to 500 ms costs no latency, while a 1 ms wait made the consumer send a thousand empty
    // fetches a second into the same two cores as the system it measures.
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "500");
    try (var c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      c.subscribe(List.of(topic));
      while (!stop.get()) {
        for (var r : c.poll(Duration.ofMillis(100))) {
          long now = System.nanoTime();
          var h = r.headers().lastHeader("event_id");
          if (h != null) {
            // LogAppendTime is whole milliseconds, truncated: count the append at the end of its
            // millisecond, so the figure is an upper bound, never flattering by up to 1 ms.
            arrivals.putIfAbsent(new String(h.value(), StandardCharsets.UTF_8), new long[] {now, (r.timestamp() + 1) * 1_000});
          }
        }
      }
    }
  }

  private static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100.0 * sorted.length) - 1));
    return sorted[i] / 1e3;
  }

  private static String topic(KafkaFixture kafka, String prefix) {
    String t = KafkaFixture.uniqueTopic("bench-" + prefix);
    kafka.createTopic(t, 8);
    return t;
  }

  /** Inserts {@code n} pending events in one statement, then ANALYZE so claims plan on real numbers. */
  private static void insertBacklog(TestDatabase db, String topic, int n) throws Exception {
    try (var c = db.connect(); Statement st = c.createStatement()) {
      st.execute("INSERT INTO saga_outbox (aggregate_type, aggregate_id, event_type, topic, payload) "
          + "SELECT 'order', 'order-' || (g % 10000), 'OrderCreated', '" + topic + "', "
          + "jsonb_build_object('orderId', g, 'total', 42.5) FROM generate_series(1, " + n + ") g");
      st.execute("ANALYZE saga_outbox");
    }
  }

  private static void waitFor(LongSupplier value, long target, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (value.getAsLong() < target) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(what + ": reached " + value.getAsLong() + " of " + target + " within " + timeout);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
