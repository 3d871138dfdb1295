package io.sagaz.fleet.maintenance;

import io.sagaz.fleet.client.Addresses;
import io.sagaz.fleet.core.maintenance.LeaseTiming;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.Lock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Competes for one PostgreSQL lease and keeps it while it can (design.md section 7).
 *
 * <p>The cluster lock is only a hint: holding it lets a candidate take an expired lease at once, the
 * others wait a little longer, so a handover rarely races. The lease row decides. The leader renews every
 * {@link LeaseTiming#tick()}; a renewal that fails for any reason, or finds the lease gone, steps down at
 * once. A stopping leader ends its lease and tells the others, so the next one need not wait for expiry.
 * Runs on the deploying verticle's event loop; every callback happens there.
 */
final class LeaderElection {
  /** What the owner does when leadership changes hands. */
  interface Listener {
    /** Called on the event loop once the lease is ours; the returned future gates the next tick. */
    Future<Void> gained(Leadership leadership);

    /** Called on the event loop when the lease is no longer ours (or may not be). */
    void lost(Leadership leadership, String reason);
  }

  private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);
  static final String HINT_LOCK = "sagaz.maintenance.leader-hint";
  private static final long HINT_WAIT_MS = 50;

  private final Vertx vertx;
  private final LeaseStore store;
  private final LeaseTiming timing;
  private final String nodeId;
  private final Listener listener;
  // volatile: read from other threads (diagnostics, tests) as "has this node stopped leading yet"
  private volatile Leadership current;
  private Lock hint;
  private long timerId = -1;
  private boolean ticking;
  private boolean stopped;
  private MessageConsumer<JsonObject> releasedConsumer;

  LeaderElection(Vertx vertx, LeaseStore store, LeaseTiming timing, String nodeId, Listener listener) {
    this.vertx = vertx;
    this.store = store;
    this.timing = timing;
    this.nodeId = nodeId;
    this.listener = listener;
  }

  /** Starts competing; the future completes after the first attempt (leader or not). */
  Future<Void> start() {
    releasedConsumer = vertx.eventBus().consumer(Addresses.MAINTENANCE_LEASE_RELEASED, msg -> {
      if (!nodeId.equals(msg.body().getString("holder"))) {
        tickNow();
      }
    });
    timerId = vertx.setPeriodic(timing.tick().toMillis(), id -> tickNow());
    return releasedConsumer.completion().compose(v -> tickNow());
  }

  /** The lease as this node believes it holds it; PostgreSQL re-checks it in every fenced transaction. */
  Optional<Leadership> current() {
    return Optional.ofNullable(current);
  }

  /** Stops competing; a leader ends its lease at once and tells the other candidates. */
  Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(timerId);
    Future<Void> unregistered = releasedConsumer == null ? Future.succeededFuture() : releasedConsumer.unregister();
    return unregistered.compose(v -> current == null ? Future.succeededFuture() : stepDown("stopping", true))
        .recover(err -> {
          // the lease then simply expires; stopping must not fail because the database went first
          log.warn("maintenance lease not released on stop by {}: {}", nodeId, err.toString());
          return Future.succeededFuture();
        });
  }

  private Future<Void> tickNow() {
    if (ticking || stopped) {
      return Future.succeededFuture();
    }
    ticking = true;
    Future<Void> round = current != null ? renew() : compete();
    return round
        .recover(err -> {
          log.warn("maintenance lease round failed on {}: {}", nodeId, err.toString());
          return Future.succeededFuture();
        })
        .eventually(() -> {
          ticking = false;
          return Future.succeededFuture();
        });
  }

  private Future<Void> compete() {
    return takeHint().compose(hinted -> {
      Duration grace = hinted ? Duration.ZERO : timing.hintlessGrace();
      return store.acquire(nodeId, timing.lease(), grace).compose(taken -> {
        if (taken.isEmpty()) {
          dropHint();
          return tryAgainWhenFree(grace);
        }
        return becomeLeader(taken.get());
      });
    });
  }

  /**
   * Someone holds the lease: if it runs out before our next tick, try again right then, so a crashed
   * leader is replaced within about one lease plus the grace instead of up to a tick later.
   */
  private Future<Void> tryAgainWhenFree(Duration grace) {
    return store.remaining().map(left -> {
      long at = left.plus(grace).toMillis() + 20;
      if (at < timing.tick().toMillis() && !stopped) {
        vertx.setTimer(at, id -> tickNow());
      }
      return null;
    });
  }

  private Future<Void> becomeLeader(Leadership leadership) {
    current = leadership;
    if (stopped) {
      return stepDown("stopped while acquiring", true);
    }
    log.info("maintenance leadership gained: node={} epoch={} since={}", nodeId, leadership.epoch(), leadership.since());
    return listener.gained(leadership);
  }

  private Future<Void> renew() {
    Leadership held = current;
    return store.renew(held, timing.lease())
        .timeout(timing.tick().toMillis(), TimeUnit.MILLISECONDS)
        .transform(ar -> {
          if (current != held) {
            return Future.succeededFuture();
          }
          if (ar.failed()) {
            return stepDown("renewal failed: " + ar.cause(), false);
          }
          if (!ar.result()) {
            return stepDown("lease expired or taken over", false);
          }
          return Future.succeededFuture();
        });
  }

  private Future<Void> stepDown(String reason, boolean release) {
    Leadership held = current;
    // The listener stops serving the leader-only addresses before this node stops believing it leads:
    // whoever sees current() empty may rely on a request getting NO_HANDLERS, not being discarded by a
    // consumer still in the middle of unregistering (a TIMEOUT for its sender).
    listener.lost(held, reason);
    current = null;
    log.info("maintenance leadership lost: node={} epoch={} reason={}", nodeId, held.epoch(), reason);
    Future<Void> released = release
        ? store.release(held).onSuccess(v -> vertx.eventBus().publish(Addresses.MAINTENANCE_LEASE_RELEASED,
            new JsonObject().put("version", 1).put("holder", nodeId).put("epoch", held.epoch())))
        : Future.succeededFuture();
    return released.eventually(() -> {
      dropHint();
      return Future.succeededFuture();
    });
  }

  /** True when this node holds (or just took) the cluster-lock hint. */
  private Future<Boolean> takeHint() {
    if (hint != null) {
      return Future.succeededFuture(true);
    }
    return vertx.sharedData().getLockWithTimeout(HINT_LOCK, HINT_WAIT_MS)
        .map(lock -> {
          hint = lock;
          return true;
        })
        .otherwise(false);
  }

  private void dropHint() {
    if (hint != null) {
      Lock held = hint;
      hint = null;
      try {
        held.release();
      } catch (RuntimeException e) {
        // a member expelled from the cluster cannot reach the lock map; the hint dies with the member
        log.debug("cluster-lock hint not released by {}: {}", nodeId, e.toString());
      }
    }
  }
}
