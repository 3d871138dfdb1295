package io.sagaz.fleet.app.cli.partition;

import io.sagaz.fleet.app.cli.api.CommandGroup;
import picocli.CommandLine.Command;

/**
 * {@code sagaz partition ...}: the seed's partition commands, talking to any node's admin API; the node
 * forwards changes to the maintenance leader. Exit codes: 0 done, 1 the API refused or was unreachable,
 * 2 bad arguments (nothing was sent).
 */
@Command(name = "partition", mixinStandardHelpOptions = true,
    description = "Create, list and clean up partitions, or run partition maintenance now.",
    subcommands = {
        PartitionCreateCommand.class,
        PartitionListCommand.class,
        PartitionCleanupCommand.class,
        PartitionMaintainCommand.class,
    })
public final class PartitionCommand extends CommandGroup {
}
