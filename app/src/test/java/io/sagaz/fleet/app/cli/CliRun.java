package io.sagaz.fleet.app.cli;

import io.sagaz.fleet.app.Sagaz;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One in-process run of the {@code sagaz} command line with its exit code and what it printed.
 *
 * @param exit the exit code {@code main} would return
 * @param out  standard output
 * @param err  standard error
 */
public record CliRun(int exit, String out, String err) {

  /** {@code sagaz <args> --url <url> --token <token>}: a command that talks to a node's admin API. */
  public static CliRun at(String url, String token, String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.addAll(List.of("--url", url, "--token", token));
    return sagaz(all.toArray(String[]::new));
  }

  public static CliRun sagaz(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cmd = Sagaz.commandLine();
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    int exit = cmd.execute(args);
    return new CliRun(exit, out.toString(), err.toString());
  }
}
