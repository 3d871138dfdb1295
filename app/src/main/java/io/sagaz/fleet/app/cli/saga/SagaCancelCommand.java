package io.sagaz.fleet.app.cli.saga;

import picocli.CommandLine.Command;

/** {@code sagaz saga cancel ID}: a running saga stops and compensates the steps it completed. */
@Command(name = "cancel", mixinStandardHelpOptions = true,
    description = "Cancel a saga: a running saga compensates the steps it completed.")
final class SagaCancelCommand extends SagaActionCommand {
  @Override
  String action() {
    return "cancel";
  }
}
