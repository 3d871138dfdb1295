package io.sagaz.fleet.core.saga;

import java.util.Locale;

/** Which command of a step is meant: doing it or undoing it. */
public enum StepPhase {
  ACTION,
  COMPENSATION;

  /** {@code action} or {@code compensation}, as in step commands. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static StepPhase of(String id) {
    return valueOf(id.toUpperCase(Locale.ROOT));
  }
}
