package io.sagaz.fleet.bench.saga;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sagaz.fleet.app.node.NodeRuntime;
import io.sagaz.fleet.client.Addresses;
import io.sagaz.fleet.client.saga.SagaClient;
import io.sagaz.fleet.core.config.SagaConfig;
import io.sagaz.fleet.core.saga.SagaDefinition;
import io.sagaz.fleet.core.saga.SagaDefinitionBuilder;
import io.sagaz.fleet.saga.SagaDefinitions;
import io.sagaz.fleet.saga.SagaOrchestratorVerticle;
import io.sagaz.fleet.testkit.PostgresFixture;
import io.sagaz.fleet.testkit.TestDatabase;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Saga engine throughput and latency against a plain-SQL ceiling measured in the same run, on the
 * same database and pool:
 * <ol>
 *   <li>ceiling: steps/s of "update the saga row + insert one outbox row in one transaction";
 *   <li>max: five-step sagas from a closed loop, in-process participants that answer at once
 *       (so the figure is the orchestrator's own cost: one persisted transition per step, with its
 *       audit rows and lifecycle outbox row);
 *   <li>half load: an open loop at half the max saga rate: step latency (one step's command received
 *       by the participant to the next step's command received: reply, transition commit, next send)
 *       and saga completion latency (start request to the saga.completed event).
 * </ol>
 * System properties: {@code bench.seconds} (default 10), {@code bench.inflight} (200),
 * {@code bench.pool} (16). PostgreSQL: {@code SAGAZ_TEST_PG_URL} or an embedded one.
 */
public final class SagaBench {
  private static final int STEPS = 5;
  private static final String SAGA = "bench5";

  public static void main(String[] args) {
    int seconds = Integer.getInteger("bench.seconds", 10);
    int inflight = Integer.getInteger("bench.inflight", 200);
    int poolSize = Integer.getInteger("bench.pool", 16);
    TestDatabase db = PostgresFixture.shared().createMigratedDatabase();
    Vertx vertx = Vertx.vertx();
    Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(poolSize))
        .connectingTo(NodeRuntime.connectOptions(db.url(), false)).using(vertx).build();
    try {
      run(vertx, pool, seconds, inflight, poolSize);
    } finally {
      vertx.close().await();
      PostgresFixture.shared().drop(db);
    }
    System.exit(0);
  }

  private static void run(Vertx vertx, Pool pool, int seconds, int inflight, int poolSize) {
    System.out.printf("saga bench: %d-step sagas, %d s windows, %d sagas in flight, pool %d, %d cores%n",
        STEPS, seconds, inflight, poolSize, Runtime.getRuntime().availableProcessors());

    JsonObject steps = sampleSteps();
    JsonObject context = new JsonObject();
    for (int i = 1; i <= STEPS; i++) {
      context.put("s" + i, new JsonObject().put("ok", true));
    }
    StepCeiling ceiling = new StepCeiling(vertx, pool, steps, context);
    ceiling.prepare(inflight).await();
    double ceilingTx = ceiling.run(false, inflight, 2, seconds);
    double ceilingOne = ceiling.run(true, inflight, 2, seconds);
    System.out.printf("ceiling (plain SQL, UPDATE saga row + INSERT outbox row, one transaction): %.0f steps/s%n", ceilingTx);
    System.out.printf("ceiling (same work as one statement with a CTE):                        %.0f steps/s%n", ceilingOne);

    SagaDefinitionBuilder b = SagaDefinition.builder(SAGA);
    for (int i = 1; i <= STEPS; i++) {
      String step = "s" + i;
      String prev = "s" + (i - 1);
      boolean first = i == 1;
      b.step(step, s -> {
        s.action("bench." + step).compensation("bench." + step + ".undo").timeout(Duration.ofSeconds(10));
        if (!first) {
          s.dependsOn(prev);
        }
      });
    }
    SagaDefinition def = b.build();
    Probe probe = new Probe();
    for (int i = 1; i <= STEPS; i++) {
      String step = "s" + i;
      boolean first = i == 1;
      vertx.eventBus().<JsonObject>consumer("bench." + step, m -> {
        probe.stepCommand(m.body().getString("sagaId"), first ? m.body().getJsonObject("input").getLong("t0") : null);
        m.reply(new JsonObject().put("ok", true));
      }).completion().await();
    }
    vertx.eventBus().<JsonObject>consumer(Addresses.SAGA_EVENTS, m -> {
      if ("saga.completed".equals(m.body().getString("type"))) {
        probe.completed(m.body().getString("sagaId"));
      }
    }).completion().await();
    vertx.deployVerticle(() -> new SagaOrchestratorVerticle(new SagaConfig(null, Duration.ofSeconds(30), Duration.ofSeconds(5)),
        pool, pool, new SimpleMeterRegistry(), new SagaDefinitions(List.of(def)), "bench-node"), new DeploymentOptions()).await();
    SagaClient client = new SagaClient(vertx.eventBus());

    // max: closed loop
    Window max = closedLoop(vertx, client, probe, inflight, 2, seconds);
    System.out.printf("engine max: %.0f sagas/s completed, %.0f steps/s (%.2fx the transaction ceiling, %.2fx the one-statement ceiling)%n",
        max.sagasPerSecond, max.stepsPerSecond, max.stepsPerSecond / ceilingTx, max.stepsPerSecond / ceilingOne);

    // half load: open loop
    double rate = max.sagasPerSecond / 2;
    probe.resetLatencies();
    Window half = openLoop(vertx, client, probe, rate, 2, seconds);
    System.out.printf("engine at half load (%.0f sagas/s offered): %.0f sagas/s, %.0f steps/s%n", rate, half.sagasPerSecond, half.stepsPerSecond);
    System.out.println("  step latency:            " + probe.stepLatency.summary());
    System.out.println("  saga completion latency: " + probe.completion.summary());
    // light load: what one step costs when nothing queues (separates the engine's own latency from contention)
    double light = Math.max(5, max.sagasPerSecond / 20);
    Latencies halfStep = probe.stepLatency;
    Latencies halfCompletion = probe.completion;
    probe.resetLatencies();
    Window lw = openLoop(vertx, client, probe, light, 1, Math.max(3, seconds / 2));
    System.out.printf("engine at light load (%.0f sagas/s): %.0f steps/s%n", light, lw.stepsPerSecond);
    System.out.println("  step latency:            " + probe.stepLatency.summary());
    System.out.println("  saga completion latency: " + probe.completion.summary());
    probe.stepLatency = halfStep;
    probe.completion = halfCompletion;
    System.out.printf("goals: >= 5000 steps/s [%s], p99 step <= 10 ms at half load [%s], >= 1000 sagas/s [%s], "
            + "p99 completion <= 250 ms at half load [%s], >= 0.8x ceiling [%s]%n",
        ok(max.stepsPerSecond >= 5000), ok(probe.stepLatency.percentileMillis(99) <= 10), ok(max.sagasPerSecond >= 1000),
        ok(probe.completion.percentileMillis(99) <= 250), ok(max.stepsPerSecond / ceilingTx >= 0.8));
  }

  private static String ok(boolean b) {
    return b ? "met" : "NOT met";
  }

  record Window(double sagasPerSecond, double stepsPerSecond) {}

  private static Window closedLoop(Vertx vertx, SagaClient client, Probe probe, int inflight, int warmup, int seconds) {
    long endAt = System.nanoTime() + (warmup + seconds) * 1_000_000_000L;
    probe.onCompleted = () -> {
      if (System.nanoTime() < endAt) {
        vertx.runOnContext(v -> startOne(client));
      }
    };
    for (int i = 0; i < inflight; i++) {
      vertx.runOnContext(v -> startOne(client));
    }
    return measure(vertx, probe, warmup, seconds);
  }

  private static Window openLoop(Vertx vertx, SagaClient client, Probe probe, double perSecond, int warmup, int seconds) {
    probe.onCompleted = () -> { };
    long t0 = System.nanoTime();
    long endAt = t0 + (warmup + seconds) * 1_000_000_000L;
    AtomicLong started = new AtomicLong();
    long timer = vertx.setPeriodic(1, id -> {
      long now = System.nanoTime();
      long due = (long) ((now - t0) / 1e9 * perSecond);
      while (started.get() < due && now < endAt) {
        started.incrementAndGet();
        startOne(client);
      }
    });
    Window w = measure(vertx, probe, warmup, seconds);
    vertx.cancelTimer(timer);
    return w;
  }

  private static void startOne(SagaClient client) {
    client.start(SAGA, new JsonObject().put("t0", System.nanoTime()), null);
  }

  private static Window measure(Vertx vertx, Probe probe, int warmup, int seconds) {
    Promise<Window> done = Promise.promise();
    long[] at = new long[4];
    vertx.setTimer(warmup * 1000L, id -> {
      at[0] = probe.sagas.get();
      at[1] = probe.steps.get();
      probe.measuring = true;
    });
    vertx.setTimer((warmup + seconds) * 1000L, id -> {
      probe.measuring = false;
      done.complete(new Window((probe.sagas.get() - at[0]) / (double) seconds, (probe.steps.get() - at[1]) / (double) seconds));
    });
    Window w = done.future().await();
    // let the sagas in flight finish before the next phase
    long drainUntil = System.nanoTime() + 30_000_000_000L;
    while (probe.inFlight() > 0 && System.nanoTime() < drainUntil) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return w;
  }

  /** Counts steps and completions and samples latencies, from the participants and the lifecycle events. */
  static final class Probe {
    final AtomicLong steps = new AtomicLong();
    final AtomicLong sagas = new AtomicLong();
    final Map<String, long[]> running = new ConcurrentHashMap<>(); // sagaId -> {t0, last command}
    Latencies stepLatency = new Latencies();
    Latencies completion = new Latencies();
    volatile boolean measuring;
    volatile Runnable onCompleted = () -> { };

    void stepCommand(String sagaId, Long t0) {
      long now = System.nanoTime();
      steps.incrementAndGet();
      if (t0 != null) {
        running.put(sagaId, new long[] {t0, now});
        return;
      }
      long[] r = running.get(sagaId);
      if (r != null) {
        if (measuring) {
          stepLatency.add(now - r[1]);
        }
        r[1] = now;
      }
    }

    void completed(String sagaId) {
      long[] r = running.remove(sagaId);
      sagas.incrementAndGet();
      if (r != null && measuring) {
        completion.add(System.nanoTime() - r[0]);
      }
      onCompleted.run();
    }

    int inFlight() {
      return running.size();
    }

    void resetLatencies() {
      stepLatency = new Latencies();
      completion = new Latencies();
    }
  }

  /** The steps column of a five-step saga midway, as the engine writes it (for the ceiling's row size). */
  private static JsonObject sampleSteps() {
    JsonObject steps = new JsonObject();
    for (int i = 1; i <= STEPS; i++) {
      steps.put("s" + i, new JsonObject().put("status", "SUCCEEDED").put("attempt", 1)
          .put("commandId", java.util.UUID.randomUUID().toString()).put("result", new JsonObject().put("ok", true))
          .put("sentAt", "2026-01-01T00:00:00.000Z").put("finishedAt", "2026-01-01T00:00:00.004Z"));
    }
    return steps;
  }
}
