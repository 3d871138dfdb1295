package io.sagaz.fleet.app.cli.partition;

import picocli.CommandLine;
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
public final class PartitionCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: create, list, cleanup or maintain");
  }
}
