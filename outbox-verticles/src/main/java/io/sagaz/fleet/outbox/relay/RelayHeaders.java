package io.sagaz.fleet.outbox.relay;

import io.sagaz.fleet.core.outbox.OutboxRecord;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The headers every relay sends (design.md section 4): the event's own extra headers, then
 * {@code event_id}, {@code event_type}, {@code aggregate_id} and {@code saga_id} where present, which
 * win over extra headers of the same name.
 */
public final class RelayHeaders {
  private RelayHeaders() {}

  /** @throws MalformedEventException when the row's headers are not a JSON object */
  public static Map<String, String> of(OutboxRecord r) {
    boolean none = r.headersJson() == null || r.headersJson().equals("{}");
    return of(r, none ? null : extra(r));
  }

  /** The row's own headers, parsed: for a relay that also sends them whole. */
  static JsonObject extra(OutboxRecord r) {
    return MalformedEventException.object("headers", r.headersJson());
  }

  /** {@link #of(OutboxRecord)} with the row's own headers already parsed ({@code null}: none). */
  static Map<String, String> of(OutboxRecord r, JsonObject extra) {
    Map<String, String> h = new LinkedHashMap<>();
    if (extra != null) {
      extra.forEach(e -> {
        if (e.getValue() != null) {
          h.put(e.getKey(), String.valueOf(e.getValue()));
        }
      });
    }
    h.put("event_id", r.eventId().toString());
    h.put("event_type", r.eventType());
    h.put("aggregate_id", r.aggregateId());
    h.put("aggregate_type", r.aggregateType());
    if (r.sagaId() != null) {
      h.put("saga_id", r.sagaId().toString());
    }
    return h;
  }
}
