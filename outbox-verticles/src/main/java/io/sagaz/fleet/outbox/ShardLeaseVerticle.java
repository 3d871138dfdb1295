package io.sagaz.fleet.outbox;

import io.sagaz.fleet.client.node.ClusterView;
import io.sagaz.fleet.client.node.NodeInfo;
import io.sagaz.fleet.core.config.Role;
import io.sagaz.fleet.core.outbox.OutboxShardLeaseSql;
import io.sagaz.fleet.core.outbox.ShardAssignment;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ordered mode: keeps this node's shard leases ({@code outbox-shard-<n>} in {@code sagaz_leases}).
 * Each tick it reads the members that poll the outbox, computes its shards by rendezvous hashing,
 * releases the ones it no longer owns (a node joined) and takes or renews the ones it owns (a
 * lease still held by a node that left is taken once it expires). The pollers claim only in shards
 * PostgreSQL says this holder leases right now, so this verticle and the pollers share nothing but
 * the holder id.
 */
final class ShardLeaseVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(ShardLeaseVerticle.class);

  private final Pool pool;
  private final ClusterView cluster;
  private final String holder;
  private final int shards;
  private final Duration ttl;
  private final Set<String> held = new TreeSet<>();
  private final TreeMap<String, Long> epochs = new TreeMap<>();
  private long timer = -1;
  private boolean ticking;

  ShardLeaseVerticle(Pool pool, ClusterView cluster, String holder, int shards, Duration ttl) {
    this.pool = pool;
    this.cluster = cluster;
    this.holder = holder;
    this.shards = shards;
    this.ttl = ttl;
  }

  @Override
  public Future<?> start() {
    return tick().onComplete(ar -> timer = vertx.setPeriodic(Math.max(100, ttl.toMillis() / 3), id -> tick()));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    if (held.isEmpty()) {
      return Future.succeededFuture();
    }
    return pool.preparedQuery(OutboxShardLeaseSql.RELEASE).execute(Tuple.of(held.toArray(String[]::new), holder))
        .onSuccess(r -> log.info("released {} outbox shard leases", held.size()));
  }

  private Future<Void> tick() {
    if (ticking) {
      return Future.succeededFuture();
    }
    ticking = true;
    return cluster.members()
        .map(this::outboxMembers)
        .recover(e -> {
          // without a member list, keep what we have rather than drop everything
          log.warn("cluster members unavailable, renewing current shards: {}", e.toString());
          return Future.succeededFuture((List<String>) null);
        })
        .compose(members -> {
          Set<String> wanted = new TreeSet<>();
          if (members == null) {
            wanted.addAll(held);
          } else {
            ShardAssignment.shardsOf(cluster.self().nodeId(), members, shards)
                .forEach(s -> wanted.add(ShardAssignment.leaseName(s)));
          }
          List<String> drop = held.stream().filter(n -> !wanted.contains(n)).toList();
          Future<?> released = drop.isEmpty() ? Future.succeededFuture()
              : pool.preparedQuery(OutboxShardLeaseSql.RELEASE).execute(Tuple.of(drop.toArray(String[]::new), holder))
                  .onSuccess(r -> {
                    drop.forEach(held::remove);
                    log.info("released outbox shards {} (rebalanced)", drop);
                  });
          return released.compose(v -> acquire(wanted));
        })
        .onFailure(e -> log.warn("shard lease tick failed: {}", e.toString()))
        .eventually(() -> {
          ticking = false;
          return Future.succeededFuture();
        })
        .mapEmpty();
  }

  private Future<Void> acquire(Set<String> wanted) {
    if (wanted.isEmpty()) {
      return Future.succeededFuture();
    }
    return pool.preparedQuery(OutboxShardLeaseSql.ACQUIRE)
        .execute(Tuple.of(wanted.toArray(String[]::new), holder, ttl.toMillis()))
        .map(rows -> {
          Set<String> now = new TreeSet<>();
          List<String> gained = new ArrayList<>();
          rows.forEach(r -> {
            now.add(r.getString("name"));
            Long before = epochs.put(r.getString("name"), r.getLong("epoch"));
            if (before == null || before.longValue() != r.getLong("epoch")) {
              gained.add(r.getString("name") + "@" + r.getLong("epoch"));
            }
          });
          if (!gained.isEmpty()) {
            log.info("{} now holds {} (shard@epoch)", holder, gained);
          }
          held.clear();
          held.addAll(now);
          return null;
        });
  }

  private List<String> outboxMembers(List<NodeInfo> members) {
    Set<String> ids = new TreeSet<>();
    for (NodeInfo n : members) {
      if (n.roles().contains(Role.OUTBOX.id())) {
        ids.add(n.nodeId());
      }
    }
    ids.add(cluster.self().nodeId());
    return new ArrayList<>(ids);
  }
}
