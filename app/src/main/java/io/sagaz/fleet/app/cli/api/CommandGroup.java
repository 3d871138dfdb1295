package io.sagaz.fleet.app.cli.api;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * A command that only groups subcommands ({@code sagaz partition}, {@code outbox}, {@code saga}):
 * given none, it is a usage error (exit 2) that names the ones there are.
 */
public abstract class CommandGroup implements Runnable {
  @CommandLine.Spec
  protected CommandLine.Model.CommandSpec spec;

  @Override
  public final void run() {
    List<String> names = new ArrayList<>(spec.subcommands().keySet());
    String last = names.remove(names.size() - 1);
    throw new CommandLine.ParameterException(spec.commandLine(),
        "name a subcommand: " + (names.isEmpty() ? last : String.join(", ", names) + " or " + last));
  }
}
