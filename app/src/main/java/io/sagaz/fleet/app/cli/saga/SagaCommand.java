package io.sagaz.fleet.app.cli.saga;

import io.sagaz.fleet.app.cli.api.CommandGroup;
import picocli.CommandLine.Command;

/**
 * {@code sagaz saga ...}: find sagas, read one's steps and history, and the two operator actions (cancel,
 * retry a FAILED saga's compensation) through any node's admin API. Exit codes: 0 done, 1 the API
 * refused or was unreachable, 2 bad arguments (nothing was sent).
 */
@Command(name = "saga", mixinStandardHelpOptions = true,
    description = "List sagas, show one, cancel one, or retry a FAILED saga's compensation.",
    subcommands = {
        SagaListCommand.class,
        SagaShowCommand.class,
        SagaCancelCommand.class,
        SagaRetryCompensationCommand.class,
    })
public final class SagaCommand extends CommandGroup {
}
