package io.sagaz.fleet.maintenance;

import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;

/**
 * A lease this node took: who, under which epoch, since when. Every fenced transaction carries one and
 * checks it against the lease row, so work started under an old epoch cannot commit.
 *
 * @param holder the node id stored in the lease row
 * @param epoch  the epoch the lease was taken with (rises on every change of hands)
 * @param since  when this holder took the lease (server time)
 */
public record Leadership(String holder, long epoch, OffsetDateTime since) {

  /** The {@code {leader, epoch, since}} body {@code MAINTENANCE_LEADER} answers with. */
  public JsonObject toJson() {
    return new JsonObject().put("version", 1).put("leader", holder).put("epoch", epoch).put("since", since.toInstant().toString());
  }
}
