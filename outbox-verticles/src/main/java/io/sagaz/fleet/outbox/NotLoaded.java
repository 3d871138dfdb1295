package io.sagaz.fleet.outbox;

import io.sagaz.fleet.core.outbox.OutboxRecord;
import io.sagaz.fleet.outbox.relay.MalformedEventException;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Events the claim did not load (their payload or headers over the load limit came back NULL; the
 * columns are NOT NULL, so NULL means exactly that). They fail here, one by one, as malformed events:
 * a relay never sees them, and the rest of the window is published as usual.
 */
final class NotLoaded {
  private NotLoaded() {}

  /** The relay's outcomes for {@code window}, in its order, with the events not loaded failed. */
  static List<Future<Void>> publish(List<OutboxRecord> window, int loadLimit, Function<List<OutboxRecord>, List<Future<Void>>> relay) {
    if (window.stream().noneMatch(NotLoaded::notLoaded)) {
      return relay.apply(window);
    }
    List<OutboxRecord> loaded = window.stream().filter(r -> !notLoaded(r)).toList();
    List<Future<Void>> sent = loaded.isEmpty() ? List.of() : relay.apply(loaded);
    List<Future<Void>> out = new ArrayList<>(window.size());
    int next = 0;
    for (OutboxRecord r : window) {
      out.add(notLoaded(r)
          ? Future.failedFuture(MalformedEventException.tooLarge(r.payloadJson() == null ? "payload" : "headers", loadLimit))
          : sent.get(next++));
    }
    return out;
  }

  private static boolean notLoaded(OutboxRecord r) {
    return r.payloadJson() == null || r.headersJson() == null;
  }
}
