package io.sagaz.fleet.app.it.saga;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The demo order saga with steps that may take 15 s: the demo participants answer after the input's
 * {@code delayMs} (at most 10 s), so a {@code slow-order} saga stays EXECUTING long enough for a test
 * to act on it as a person would. Give a node {@link #definitionsDir()} as {@code SAGAZ_SAGA_DEFINITIONS_DIR}
 * together with {@code SAGAZ_NODE_DEMO=true}.
 */
public final class SlowOrderSaga {
  public static final String NAME = "slow-order";

  private static final String YAML = """
      name: slow-order
      version: 1
      deadline: 120s
      failureStrategy: fail-fast
      steps:
        - name: reserve-inventory
          action: demo.inventory.reserve
          compensation: demo.inventory.release
          timeout: 15s
        - name: charge-payment
          action: demo.payment.charge
          compensation: demo.payment.refund
          dependsOn: [reserve-inventory]
          timeout: 15s
      """;

  private SlowOrderSaga() {}

  /** A new folder holding only this definition (the node reads every YAML file in it). */
  public static Path definitionsDir() {
    try {
      Path dir = Files.createTempDirectory("slow-order-saga");
      dir.toFile().deleteOnExit();
      Path file = Files.writeString(dir.resolve(NAME + ".yaml"), YAML);
      file.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
