package io.sagaz.fleet.saga;

import io.sagaz.fleet.core.failure.FailureCode;
import io.sagaz.fleet.core.saga.SagaDefinition;
import io.sagaz.fleet.core.saga.SagaDefinitionParser;
import io.sagaz.fleet.core.saga.SagaMermaid;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.Optional;
import java.util.UUID;

/** Read-only answers: the saga view with history and picture, saga lists, definitions. */
final class SagaQueries {
  private final SagaStore store;
  private final SagaStore lists;
  private final SagaDefinitions defs;

  /** @param lists where saga lists are read: the analytics pool's store, or {@code store} itself */
  SagaQueries(SagaStore store, SagaStore lists, SagaDefinitions defs) {
    this.store = store;
    this.lists = lists;
    this.defs = defs;
  }

  /** {@code GET /api/v1/sagas/{id}}: status, steps, context, timestamps, audit history, Mermaid of the execution. */
  Future<JsonObject> view(UUID sagaId) {
    return store.load(sagaId).compose(row -> {
      if (row == null) {
        return Future.failedFuture(SagaEngine.failure(FailureCode.NOT_FOUND, "no saga " + sagaId));
      }
      return store.history(sagaId).map(history -> {
        JsonObject v = summary(row)
            .put("idempotencyKey", row.getString("idempotency_key"))
            .put("input", row.getJsonObject("input"))
            .put("context", row.getJsonObject("context"))
            .put("steps", row.getJsonObject("steps"))
            .put("leaseUntil", SagaJson.iso(row.getOffsetDateTime("lease_until")))
            .put("leaseEpoch", row.getLong("lease_epoch"))
            .put("deadlineAt", SagaJson.iso(row.getOffsetDateTime("deadline_at")));
        JsonArray h = new JsonArray();
        for (Row a : history) {
          h.add(new JsonObject().put("step", a.getString("step")).put("event", a.getString("event"))
              .put("from", a.getString("from_status")).put("to", a.getString("to_status"))
              .put("node", a.getString("node_id")).put("detail", a.getJsonObject("detail"))
              .put("at", SagaJson.iso(a.getOffsetDateTime("created_at"))));
        }
        v.put("history", h);
        mermaid(row).ifPresent(m -> v.put("mermaid", m));
        return v;
      });
    });
  }

  Future<JsonObject> list(SagaRequests.ListQuery q) {
    return lists.list(q.status(), q.name(), q.limit()).map(rows -> {
      JsonArray out = new JsonArray();
      rows.forEach(r -> out.add(summary(r)));
      return new JsonObject().put("version", 1).put("sagas", out);
    });
  }

  /** All definitions, or the one named, each with its Mermaid diagram. */
  Future<JsonObject> definitions(String name) {
    if (name != null) {
      return defs.latest(name).map(d -> Future.succeededFuture(definition(d).put("version", 1)))
          .orElseGet(() -> Future.failedFuture(SagaEngine.failure(FailureCode.NOT_FOUND, "name: no saga definition '" + name + "'")));
    }
    JsonArray all = new JsonArray();
    defs.latestOfEach().forEach(d -> all.add(definition(d)));
    return Future.succeededFuture(new JsonObject().put("version", 1).put("definitions", all));
  }

  private static JsonObject definition(SagaDefinition d) {
    return new JsonObject().put("name", d.name()).put("sagaVersion", d.version())
        .put("definition", new JsonObject(SagaDefinitionParser.toTree(d)))
        .put("levels", new JsonArray(d.levels().stream().map(JsonArray::new).toList()))
        .put("mermaid", SagaMermaid.definition(d));
  }

  private static JsonObject summary(Row r) {
    return new JsonObject().put("version", 1)
        .put("sagaId", r.getUUID("saga_id").toString())
        .put("saga", r.getString("saga_name"))
        .put("sagaVersion", r.getInteger("saga_version"))
        .put("status", r.getString("status"))
        .put("error", r.getString("error"))
        .put("ownerNode", r.getString("owner_node"))
        .put("createdAt", SagaJson.iso(r.getOffsetDateTime("created_at")))
        .put("updatedAt", SagaJson.iso(r.getOffsetDateTime("updated_at")))
        .put("completedAt", SagaJson.iso(r.getOffsetDateTime("completed_at")));
  }

  // Rows written by hand (the runbook's 'SUCCESS' rows) or by an unknown definition get no picture.
  private Optional<String> mermaid(Row row) {
    try {
      var state = SagaJson.state(row);
      return defs.get(state.sagaName(), state.sagaVersion()).map(d -> SagaMermaid.execution(d, state));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
