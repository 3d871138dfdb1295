package io.sagaz.fleet.app.cli;

import io.sagaz.fleet.app.Sagaz;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One in-process run of the {@code sagaz} command line with its exit code and what it printed.
 *
 * @param exit the exit code {@code main} would return
 * @param out  standard output
 * @param err  standard error
 */
public record CliRun(int exit, String out, String err) {

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
