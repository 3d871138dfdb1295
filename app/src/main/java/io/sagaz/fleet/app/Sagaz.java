package io.sagaz.fleet.app;

import io.sagaz.fleet.app.cli.MigrateCommand;
import io.sagaz.fleet.app.cli.NodeCommand;
import io.sagaz.fleet.app.cli.StatusCommand;
import io.sagaz.fleet.app.cli.init.InitCommand;
import io.sagaz.fleet.app.cli.outbox.OutboxCommand;
import io.sagaz.fleet.app.cli.partition.PartitionCommand;
import io.sagaz.fleet.app.cli.saga.SagaCommand;
import io.sagaz.fleet.core.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code sagaz} command (design.md section 2), the fat jar's main class. Exit codes: 0 success,
 * 1 failure at run time, 2 bad configuration or usage (nothing was started).
 */
@Command(
    name = "sagaz",
    mixinStandardHelpOptions = true,
    version = "sagaz fleet 0.1.0",
    description = "Clustered worker fleet for sagas, transactional outbox and partition maintenance.",
    // Add a subcommand by listing its class here (e.g. the partition commands in cli.partition).
    subcommands = {
        NodeCommand.class,
        MigrateCommand.class,
        StatusCommand.class,
        PartitionCommand.class,
        OutboxCommand.class,
        SagaCommand.class,
        InitCommand.class,
        CommandLine.HelpCommand.class,
    })
public final class Sagaz implements Runnable {
  public static final int EXIT_FAILED = 1;
  public static final int EXIT_CONFIG = 2;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with Sagaz's error handling, for {@code main} and for tests. */
  public static CommandLine commandLine() {
    return new CommandLine(new Sagaz()).setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof ConfigException) {
        cmd.getErr().println("sagaz " + cmd.getCommandName() + ": configuration error: " + e.getMessage());
        cmd.getErr().println("nothing was started");
        return EXIT_CONFIG;
      }
      cmd.getErr().println("sagaz " + cmd.getCommandName() + ": " + describe(e));
      org.slf4j.LoggerFactory.getLogger(Sagaz.class).debug("failure", e);
      return EXIT_FAILED;
    });
  }

  /** The message and those of its causes that add something, on one line. */
  private static String describe(Throwable e) {
    StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      String m = c.getMessage();
      if (m != null && !m.contains("\n") && !b.toString().contains(m)) {
        b.append(": ").append(m);
      }
    }
    return b.toString();
  }
}
