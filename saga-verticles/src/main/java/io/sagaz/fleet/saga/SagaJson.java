package io.sagaz.fleet.saga;

import io.sagaz.fleet.core.saga.AuditEntry;
import io.sagaz.fleet.core.saga.LifecycleEvent;
import io.sagaz.fleet.core.saga.SagaState;
import io.sagaz.fleet.core.saga.SagaStatus;
import io.sagaz.fleet.core.saga.StepState;
import io.sagaz.fleet.core.saga.StepStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** JSON forms of the core saga model: the {@code steps} column, audit and outbox rows, lifecycle events. */
final class SagaJson {
  private SagaJson() {}

  static JsonObject steps(Map<String, StepState> steps) {
    JsonObject out = new JsonObject();
    steps.forEach((name, s) -> {
      JsonObject j = new JsonObject().put("status", s.status().name()).put("attempt", s.attempt());
      if (s.compensationAttempt() > 0) {
        j.put("compensationAttempt", s.compensationAttempt());
      }
      putIf(j, "commandId", s.commandId());
      putIf(j, "result", s.result());
      putIf(j, "error", s.error());
      putIf(j, "errorCode", s.errorCode());
      if (s.uncertain()) {
        j.put("uncertain", true);
      }
      putIf(j, "retryAt", s.retryAt());
      putIf(j, "sentAt", s.sentAt());
      putIf(j, "finishedAt", s.finishedAt());
      out.put(name, j);
    });
    return out;
  }

  static Map<String, StepState> steps(JsonObject json) {
    Map<String, StepState> out = new LinkedHashMap<>();
    if (json == null) {
      return out;
    }
    for (String name : json.fieldNames()) {
      JsonObject j = json.getJsonObject(name);
      out.put(name, new StepState(
          StepStatus.valueOf(j.getString("status")),
          j.getInteger("attempt", 0),
          j.getInteger("compensationAttempt", 0),
          j.getString("commandId") == null ? null : UUID.fromString(j.getString("commandId")),
          j.getValue("result"),
          j.getString("error"),
          j.getInteger("errorCode"),
          j.getBoolean("uncertain", false),
          instant(j.getString("retryAt")),
          instant(j.getString("sentAt")),
          instant(j.getString("finishedAt"))));
    }
    return out;
  }

  static JsonObject context(SagaState s) {
    return new JsonObject(new LinkedHashMap<>(s.context()));
  }

  static JsonArray auditRows(List<AuditEntry> audit) {
    JsonArray rows = new JsonArray();
    for (AuditEntry a : audit) {
      rows.add(new JsonObject().put("step", a.step()).put("event", a.event()).put("from_status", a.from())
          .put("to_status", a.to()).put("detail", new JsonObject(new LinkedHashMap<>(a.detail()))));
    }
    return rows;
  }

  /** The lifecycle event as published on {@code sagaz.saga.events} and stored as outbox payload. */
  static JsonObject lifecycle(LifecycleEvent e, UUID sagaId, String saga) {
    JsonObject j = new JsonObject().put("version", 1).put("type", e.type()).put("sagaId", sagaId.toString())
        .put("saga", saga).put("status", e.status().name()).put("at", e.at().toString());
    if (e.step() != null) {
      j.put("step", e.step());
    }
    return j;
  }

  static JsonArray outboxRows(List<LifecycleEvent> events, UUID sagaId, String saga) {
    JsonArray rows = new JsonArray();
    for (LifecycleEvent e : events) {
      rows.add(new JsonObject().put("event_type", e.type()).put("payload", lifecycle(e, sagaId, saga)));
    }
    return rows;
  }

  static SagaState state(io.vertx.sqlclient.Row row) {
    return new SagaState(
        row.getUUID("saga_id"),
        row.getString("saga_name"),
        row.getInteger("saga_version"),
        SagaStatus.valueOf(row.getString("status")),
        steps(row.getJsonObject("steps")),
        row.getString("error"),
        instant(row.getOffsetDateTime("deadline_at")),
        instant(row.getOffsetDateTime("created_at")),
        instant(row.getOffsetDateTime("completed_at")));
  }

  static OffsetDateTime odt(Instant i) {
    return i == null ? null : i.atOffset(ZoneOffset.UTC);
  }

  static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }

  static String iso(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }

  private static Instant instant(String s) {
    return s == null ? null : Instant.parse(s);
  }

  private static void putIf(JsonObject j, String key, Object v) {
    if (v != null) {
      j.put(key, v instanceof UUID || v instanceof Instant ? v.toString() : v);
    }
  }
}
