package io.sagaz.fleet.app.cli.saga;

import picocli.CommandLine.Command;

/** {@code sagaz saga retry-compensation ID}: a FAILED saga compensates again from where it stopped. */
@Command(name = "retry-compensation", mixinStandardHelpOptions = true,
    description = "Retry a FAILED saga's compensation once its participant is fixed.")
final class SagaRetryCompensationCommand extends SagaActionCommand {
  @Override
  String action() {
    return "retry-compensation";
  }
}
