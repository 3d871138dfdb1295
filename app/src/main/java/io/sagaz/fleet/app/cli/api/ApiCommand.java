package io.sagaz.fleet.app.cli.api;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * A CLI command that talks to the admin API: it validates every argument first (a usage error, exit 2,
 * before any request), then calls the API and prints a table or the JSON. API and connection failures
 * print what went wrong and exit 1.
 */
public abstract class ApiCommand implements Callable<Integer> {
  public static final int EXIT_API_FAILED = 1;

  @Mixin
  protected AdminApiOptions api;

  @Spec
  protected CommandLine.Model.CommandSpec spec;

  /**
   * Checks and parses the arguments; throws an {@link IllegalArgumentException} naming what was wrong.
   * Commands with no arguments beyond the connection options keep this one.
   */
  protected void validate() {
    // nothing to check
  }

  /** Does the requests and prints; only called once {@link #validate()} passed. */
  protected abstract void execute(AdminApi client, PrintWriter out) throws AdminApi.Failure;

  @Override
  public final Integer call() {
    CommandLine cmd = spec.commandLine();
    try {
      validate();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cmd, e.getMessage(), e);
    }
    AdminApi client = new AdminApi(api.baseUri(cmd), api.token());
    try {
      execute(client, cmd.getOut());
      return 0;
    } catch (AdminApi.Failure e) {
      cmd.getErr().println(spec.qualifiedName() + ": " + e.getMessage());
      cmd.getErr().flush();
      return EXIT_API_FAILED;
    }
  }

  /** Prints the API's answer as it came, for {@code --json}; false when a table is wanted instead. */
  protected boolean printedAsJson(PrintWriter out, JsonObject reply) {
    if (!api.json()) {
      return false;
    }
    out.println(reply.encodePrettily());
    out.flush();
    return true;
  }
}
