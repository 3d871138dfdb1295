package io.sagaz.fleet.core.outbox;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Which node owns which ordered-mode shard: rendezvous (highest random weight) hashing over the
 * node ids of the members that poll the outbox. Every node computes the same answer from the same
 * member list, and when a node joins or leaves only the shards it gains or loses move.
 * (Shard of an event = {@code (hashtext(aggregate_id) & 2147483647) % shards}, computed in SQL.)
 */
public final class ShardAssignment {
  /** Lease names are {@code outbox-shard-<n>} (design.md section 3). */
  public static final String LEASE_PREFIX = "outbox-shard-";

  private ShardAssignment() {}

  public static String leaseName(int shard) {
    return LEASE_PREFIX + shard;
  }

  /** The shards in {@code [0, shards)} that {@code nodeId} owns among {@code members}. */
  public static List<Integer> shardsOf(String nodeId, Collection<String> members, int shards) {
    List<Integer> mine = new ArrayList<>();
    for (int s = 0; s < shards; s++) {
      if (nodeId.equals(owner(s, members))) {
        mine.add(s);
      }
    }
    return mine;
  }

  /** The member that owns {@code shard}, or null when there are no members. */
  public static String owner(int shard, Collection<String> members) {
    String best = null;
    long bestWeight = -1;
    for (String m : members) {
      long w = weight(m, shard);
      if (w > bestWeight || (w == bestWeight && m.compareTo(best) < 0)) {
        best = m;
        bestWeight = w;
      }
    }
    return best;
  }

  private static long weight(String member, int shard) {
    // FNV-1a over the member id, then the splitmix64 finalizer over (hash, shard): similar ids and
    // neighbouring shard numbers still give independent-looking weights.
    long h = 0xcbf29ce484222325L;
    for (byte b : member.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    long z = h + (shard + 1) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return (z ^ (z >>> 31)) & Long.MAX_VALUE;
  }
}
