package io.sagaz.fleet.client.saga;

import io.sagaz.fleet.core.saga.StepPhase;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * The command the orchestrator sends to a participant (design.md section 4). {@code commandId} is
 * stable across retries and recovery: a participant dedupes on it.
 *
 * @param sagaId    the saga execution
 * @param saga      the saga name
 * @param step      the step name
 * @param phase     action or compensation
 * @param attempt   which try this is (1-based)
 * @param commandId dedup key
 * @param input     the saga's start input
 * @param context   replies of the steps that succeeded so far, by step name
 */
public record StepCommand(
    UUID sagaId, String saga, String step, StepPhase phase, int attempt, UUID commandId, JsonObject input, JsonObject context) {
  public static final int VERSION = 1;

  public JsonObject toJson() {
    return new JsonObject()
        .put("version", VERSION)
        .put("sagaId", sagaId.toString())
        .put("saga", saga)
        .put("step", step)
        .put("phase", phase.id())
        .put("attempt", attempt)
        .put("commandId", commandId.toString())
        .put("input", input)
        .put("context", context);
  }

  /** Decodes a command; unknown fields are ignored; {@link IllegalArgumentException} names a bad field. */
  public static StepCommand fromJson(JsonObject json) {
    if (json == null) {
      throw new IllegalArgumentException("body: must be a JSON object");
    }
    return new StepCommand(
        Json.uuid(json, "sagaId"),
        Json.requiredString(json, "saga"),
        Json.requiredString(json, "step"),
        phase(json),
        json.getInteger("attempt", 1),
        Json.uuid(json, "commandId"),
        Json.object(json, "input"),
        Json.object(json, "context"));
  }

  private static StepPhase phase(JsonObject json) {
    String p = Json.requiredString(json, "phase");
    try {
      return StepPhase.of(p);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("phase: must be 'action' or 'compensation', was '" + p + "'");
    }
  }
}
