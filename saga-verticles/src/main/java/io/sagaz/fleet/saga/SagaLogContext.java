package io.sagaz.fleet.saga;

import java.util.UUID;
import org.slf4j.MDC;

/**
 * A saga's id and name in the logging context (MDC) around one log call, so JSON logs
 * ({@code SAGAZ_LOG_FORMAT=json}) carry them as fields a collector can label ({@code saga_id},
 * {@code saga_name}). Only around the call: the engine runs many sagas on one event-loop thread, so
 * a context left in place would name the wrong saga in the next line.
 */
final class SagaLogContext {
  private SagaLogContext() {}

  static void log(UUID sagaId, String sagaName, Runnable logCall) {
    try (var id = MDC.putCloseable("saga_id", String.valueOf(sagaId));
        var name = MDC.putCloseable("saga_name", sagaName)) {
      logCall.run();
    }
  }
}
