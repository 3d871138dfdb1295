package io.sagaz.fleet.outbox;

import io.sagaz.fleet.client.outbox.OutboxEvent;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Test events. */
final class Events {
  private Events() {}

  static List<OutboxEvent> many(String topic, int n) {
    List<OutboxEvent> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(OutboxEvent.of(topic, "OrderCreated", "order", "order-" + (i % 17), new JsonObject().put("seq", i)));
    }
    return out;
  }
}
