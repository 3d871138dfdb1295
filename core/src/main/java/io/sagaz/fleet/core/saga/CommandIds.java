package io.sagaz.fleet.core.saga;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Step command ids derived from the saga, step and phase: the same command always has the same id,
 * across retries, re-sends and a takeover by another node, which is what lets participants dedupe
 * through the inbox. Name-based (version 3) UUIDs keep the state machine a pure function.
 */
public final class CommandIds {
  private CommandIds() {}

  public static UUID of(UUID sagaId, String step, StepPhase phase) {
    return UUID.nameUUIDFromBytes((sagaId + "/" + step + "/" + phase.id()).getBytes(StandardCharsets.UTF_8));
  }
}
