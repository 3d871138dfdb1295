package io.sagaz.fleet.maintenance;

import io.micrometer.core.instrument.MeterRegistry;
import io.sagaz.fleet.client.Addresses;
import io.sagaz.fleet.client.MessageBodies;
import io.sagaz.fleet.core.config.MaintenanceConfig;
import io.sagaz.fleet.core.failure.FailureCode;
import io.sagaz.fleet.core.maintenance.LeaseSql;
import io.sagaz.fleet.core.maintenance.LeaseTiming;
import io.sagaz.fleet.core.partition.PartitionedTable;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partition maintainer of one node: competes for the maintenance lease, and while it leads runs
 * maintenance on gaining leadership, every {@code maintenance.interval}, and on demand. Only the leader
 * consumes {@code MAINTENANCE_RUN}, {@code PARTITIONS_CREATE} and {@code PARTITIONS_DROP}, so requests
 * reach it and, with no leader, their senders get NO_HANDLERS. Any maintenance node answers
 * {@code MAINTENANCE_LEADER} and {@code PARTITIONS_LIST} from the database.
 */
public final class MaintenanceVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(MaintenanceVerticle.class);
  private static final int MAX_ATTEMPTS = 5;

  private final String nodeId;
  private final MaintenanceConfig config;
  private final Pool pool;
  private final PartitionMetrics metrics;
  private final List<MessageConsumer<Object>> leaderConsumers = new ArrayList<>();
  private LeaderElection election;
  private FencedRunner runner;
  private MaintenanceJobs jobs;
  private long scheduleTimer = -1;
  private long statsTimer = -1;
  private boolean scheduledPending;
  private Future<?> queue = Future.succeededFuture();

  public MaintenanceVerticle(String nodeId, MaintenanceConfig config, Pool pool, MeterRegistry meters) {
    this.nodeId = nodeId;
    this.config = config;
    this.pool = pool;
    this.metrics = new PartitionMetrics(meters);
  }

  @Override
  public Future<?> start() {
    LeaseTiming timing = new LeaseTiming(config.leaseTimeout());
    LeaseStore lease = new LeaseStore(pool, LeaseSql.MAINTENANCE_LEADER);
    runner = new FencedRunner(vertx, pool, lease.name(), timing, FencedRunner.StepGuards.of(config), MAX_ATTEMPTS);
    jobs = new MaintenanceJobs(pool, config);
    election = new LeaderElection(vertx, lease, timing, nodeId, new LeaderElection.Listener() {
      @Override
      public Future<Void> gained(Leadership leadership) {
        return lead();
      }

      @Override
      public void lost(Leadership leadership, String reason) {
        follow();
      }
    });
    var leader = vertx.eventBus().<Object>consumer(Addresses.MAINTENANCE_LEADER, msg -> reply(msg, b -> lease.describe()));
    var list = vertx.eventBus().<Object>consumer(Addresses.PARTITIONS_LIST, msg -> reply(msg, b -> statistics()));
    statsTimer = vertx.setPeriodic(Math.min(config.interval().toMillis(), 60_000), id -> statistics());
    return Future.all(leader.completion(), list.completion()).compose(v -> election.start());
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(statsTimer);
    return election.stop();
  }

  /** The lease this verticle believes it holds (tests and diagnostics). */
  Optional<Leadership> leadership() {
    return election == null ? Optional.empty() : election.current();
  }

  /** Now leading: serve the leader-only addresses, schedule runs, and run once right away. */
  private Future<Void> lead() {
    leaderConsumers.add(vertx.eventBus().<Object>consumer(Addresses.MAINTENANCE_RUN, msg -> reply(msg, b -> maintain("api"))));
    leaderConsumers.add(vertx.eventBus().<Object>consumer(Addresses.PARTITIONS_CREATE, msg -> reply(msg, this::create)));
    leaderConsumers.add(vertx.eventBus().<Object>consumer(Addresses.PARTITIONS_DROP, msg -> reply(msg, this::drop)));
    scheduleTimer = vertx.setPeriodic(config.interval().toMillis(), id -> scheduled());
    return Future.all(leaderConsumers.stream().map(MessageConsumer::completion).toList())
        .onSuccess(v -> maintain("leadership"))
        .mapEmpty();
  }

  /** No longer leading: requests must find the new leader (or NO_HANDLERS), not this node. */
  private void follow() {
    vertx.cancelTimer(scheduleTimer);
    leaderConsumers.forEach(MessageConsumer::unregister);
    leaderConsumers.clear();
  }

  /** A scheduled run, unless the previous one is still queued or running (a slow run must not pile up). */
  private void scheduled() {
    if (!scheduledPending) {
      scheduledPending = true;
      maintain("schedule").onComplete(ar -> scheduledPending = false);
    }
  }

  /** Runs full maintenance (in order with any other fenced work of this node). */
  Future<JsonObject> maintain(String trigger) {
    return fenced(trigger, () -> jobs.maintainAll(LocalDate.now(ZoneOffset.UTC)))
        .onSuccess(body -> log.info("maintenance {} by {} epoch {} took {} ms: {} actions", trigger, body.getString("holder"),
            body.getLong("epoch"), body.getLong("durationMs"), body.getJsonArray("actions").size()));
  }

  private Future<JsonObject> create(JsonObject body) {
    var req = PartitionRequests.create(body);
    return fenced("api-create", () -> Future.succeededFuture(
        List.of(jobs.create(req.table().tableName(), req.range().from(), req.range().to()))));
  }

  private Future<JsonObject> drop(JsonObject body) {
    var req = PartitionRequests.drop(body, LocalDate.now(ZoneOffset.UTC));
    return fenced("api-drop", () -> Future.succeededFuture(
        List.of(jobs.dropOlderThan(req.tables().stream().map(PartitionedTable::tableName).toList(), req.before()))));
  }

  /**
   * Runs fenced work after whatever fenced work this node already has in flight, so the steps of two
   * runs never interleave; refreshes the partition gauges afterwards.
   */
  private Future<JsonObject> fenced(String trigger, Supplier<Future<List<FencedRunner.Work>>> plan) {
    Future<JsonObject> run = queue.transform(ignored -> {
      var held = election.current();
      if (held.isEmpty()) {
        return Future.failedFuture(new MaintenanceFailure(FailureCode.NOT_LEADER, "node " + nodeId + " is not the maintenance leader", null));
      }
      return plan.get().compose(steps -> runner.run(held.get(), trigger, steps))
          .onSuccess(outcome -> metrics.recordRun(outcome.took()))
          .onFailure(err -> {
            if (MaintenanceFailure.from(err).code() != FailureCode.INVALID) {
              metrics.recordError();
            }
          })
          .map(FencedRunner.Outcome::toJson);
    });
    queue = run.eventually(this::statistics);
    return run;
  }

  private Future<JsonObject> statistics() {
    return jobs.statistics()
        .onSuccess(stats -> metrics.update(stats, Instant.now()))
        .onFailure(err -> log.debug("partition statistics unavailable: {}", err.toString()));
  }

  private void reply(Message<Object> msg, Function<JsonObject, Future<JsonObject>> handler) {
    JsonObject body;
    try {
      body = MessageBodies.jsonObject(msg.body());
    } catch (IllegalArgumentException e) {
      MaintenanceFailure.invalid(e.getMessage()).failReply(msg);
      return;
    }
    Future<JsonObject> result;
    try {
      result = handler.apply(body);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onSuccess(msg::reply).onFailure(err -> MaintenanceFailure.from(err).failReply(msg));
  }
}
