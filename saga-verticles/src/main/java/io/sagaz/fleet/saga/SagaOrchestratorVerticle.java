package io.sagaz.fleet.saga;

import io.micrometer.core.instrument.MeterRegistry;
import io.sagaz.fleet.client.Addresses;
import io.sagaz.fleet.core.config.SagaConfig;
import io.sagaz.fleet.core.failure.FailureCode;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.DatabaseException;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The saga orchestrator of one node: serves {@code sagaz.saga.*}, runs the sagas it owns, renews
 * their leases and resumes sagas whose owner stopped renewing (design.md sections 4 and 7).
 */
public final class SagaOrchestratorVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(SagaOrchestratorVerticle.class);
  static final int RECOVERY_BATCH = 500;

  private final SagaConfig config;
  private final Pool pool;
  /** Saga lists: reads that may lag (db.analyticsUrl); a saga by id is read from {@code pool}. */
  private final Pool reads;
  private final MeterRegistry meters;
  private final SagaDefinitions defs;
  private final String node;
  private SagaEngine engine;
  private SagaQueries queries;
  private long recoveryTimer = -1;
  private long renewTimer = -1;

  public SagaOrchestratorVerticle(SagaConfig config, Pool pool, Pool reads, MeterRegistry meters, SagaDefinitions defs,
      String node) {
    this.config = config;
    this.pool = pool;
    this.reads = reads;
    this.meters = meters;
    this.defs = defs;
    this.node = node;
  }

  @Override
  public Future<?> start() {
    SagaStore store = new SagaStore(pool, node, config.leaseTimeout());
    engine = new SagaEngine(vertx, store, defs, node, meters);
    queries = new SagaQueries(store, new SagaStore(reads, node, config.leaseTimeout()), defs);
    List<Future<Void>> consumers = List.of(
        serve(Addresses.SAGA_START, this::start),
        serve(Addresses.SAGA_GET, body -> queries.view(SagaRequests.sagaId(body))),
        serve(Addresses.SAGA_LIST, body -> queries.list(SagaRequests.list(body))),
        serve(Addresses.SAGA_CANCEL, body -> engine.cancel(SagaRequests.sagaId(body), SagaRequests.reason(body))),
        serve(Addresses.SAGA_RETRY_COMPENSATION, body -> engine.retry(SagaRequests.sagaId(body))),
        serve(Addresses.SAGA_DEFINITIONS, body -> queries.definitions(SagaRequests.definitionName(body))));
    return Future.all(consumers)
        // sagas this node owned before it restarted are resumed at once, not after their lease runs out
        .compose(v -> resumeOwn(0))
        .onSuccess(n -> {
          recoveryTimer = vertx.setPeriodic(config.recoveryInterval().toMillis(), id -> recover());
          renewTimer = vertx.setPeriodic(Math.max(100, config.leaseTimeout().toMillis() / 3), id -> renew());
          log.info("saga orchestrator on node {} runs {} (resumed {} sagas at start)", node, defs.names(), n);
        });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(recoveryTimer);
    vertx.cancelTimer(renewTimer);
    return engine.shutdown();
  }

  private Future<JsonObject> start(Object body) {
    SagaRequests.Start req = SagaRequests.start(body);
    return defs.latest(req.saga())
        .map(def -> engine.start(def, req.input(), req.idempotencyKey()))
        .orElseGet(() -> Future.failedFuture(SagaEngine.failure(FailureCode.NOT_FOUND, "saga: no saga definition '" + req.saga() + "'")));
  }

  /** Claims this node's own unfinished sagas batch by batch; how many were resumed. */
  private Future<Integer> resumeOwn(int sofar) {
    return engine.recover(true, RECOVERY_BATCH)
        .compose(n -> n < RECOVERY_BATCH ? Future.succeededFuture(sofar + n) : resumeOwn(sofar + n));
  }

  private void recover() {
    engine.recover(false, RECOVERY_BATCH)
        .onFailure(e -> log.warn("saga recovery pass on node {} failed: {}", node, e.getMessage()));
  }

  private void renew() {
    engine.renewLeases().onFailure(e -> log.warn("saga lease renewal on node {} failed: {}", node, e.getMessage()));
  }

  private Future<Void> serve(String address, Function<Object, Future<JsonObject>> handler) {
    Handler<Message<Object>> h = msg -> {
      Future<JsonObject> result;
      try {
        result = handler.apply(msg.body());
      } catch (IllegalArgumentException e) {
        msg.fail(FailureCode.INVALID.code(), e.getMessage());
        return;
      }
      result.onSuccess(msg::reply).onFailure(err -> fail(msg, err));
    };
    return vertx.eventBus().<Object>consumer(address, h).completion();
  }

  private static void fail(Message<?> msg, Throwable err) {
    if (err instanceof ReplyException re && re.failureCode() > 0) {
      msg.fail(re.failureCode(), re.getMessage());
    } else if (err instanceof IllegalArgumentException) {
      msg.fail(FailureCode.INVALID.code(), err.getMessage());
    } else if (err instanceof DatabaseException || err instanceof io.vertx.sqlclient.ClosedConnectionException
        || err instanceof java.net.ConnectException) {
      msg.fail(FailureCode.DEPENDENCY_DOWN.code(), "database: " + err.getMessage());
    } else {
      log.error("saga request failed", err);
      msg.fail(FailureCode.INTERNAL.code(), String.valueOf(err.getMessage()));
    }
  }
}
