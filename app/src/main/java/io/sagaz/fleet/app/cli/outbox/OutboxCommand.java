package io.sagaz.fleet.app.cli.outbox;

import io.sagaz.fleet.app.cli.api.CommandGroup;
import picocli.CommandLine.Command;

/**
 * {@code sagaz outbox ...}: the outbox backlog and its dead letters through any node's admin API.
 * Replays go through the API because it is what counts them ({@code replay_count}) and moves each
 * event into today's partition; an {@code UPDATE} by hand does neither. Exit codes: 0 done, 1 the API
 * refused or was unreachable, 2 bad arguments (nothing was sent).
 */
@Command(name = "outbox", mixinStandardHelpOptions = true,
    description = "Show the outbox backlog, list dead letters and replay them.",
    subcommands = {
        OutboxStatsCommand.class,
        DeadLettersCommand.class,
        ReplayCommand.class,
    })
public final class OutboxCommand extends CommandGroup {
}
