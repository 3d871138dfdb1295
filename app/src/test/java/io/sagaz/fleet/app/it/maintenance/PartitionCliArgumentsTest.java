package io.sagaz.fleet.app.it.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.sagaz.fleet.app.cli.partition.PartitionCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * Bad arguments to {@code sagaz partition ...} get a clear error and exit code 2 before any request:
 * the commands point at a listening HTTP server that counts what reaches it, and nothing does.
 */
class PartitionCliArgumentsTest {
  private HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();

  @BeforeEach
  void listen() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      requests.incrementAndGet();
      exchange.sendResponseHeaders(500, -1);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private record Run(int exit, String out, String err) {}

  private Run run(String line) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new PartitionCommand());
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    String url = "http://127.0.0.1:" + server.getAddress().getPort();
    String[] args = (line + (line.contains("--url") ? "" : " --url " + url) + " --token t0k3n-t0k3n-t0k3n").trim().split("\\s+");
    return new Run(cmd.execute(args), out.toString(), err.toString());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "create --table sagas --range 2025-01-01:2025-12-31            | unknown partitioned table 'sagas'",
      "create --table saga_executions --range 2025-12-31:2025-01-01  | from is after to",
      "create --table saga_executions --range 2025-13-01:2025-12-31  | is not a date",
      "create --table saga_executions --range 2025-01-01             | expected FROM:TO",
      "create --table saga_outbox --range 2020-01-01:2025-12-31      | more than 1000",
      "create --range 2025-01-01:2025-12-31                          | --table",
      "create --table saga_executions                                | --range",
      "cleanup --older-than 12x                                      | invalid age '12x'",
      "cleanup --older-than 0d                                       | between 1 and",
      "cleanup --older-than month                                    | invalid age 'month'",
      "cleanup --older-than 12m --table saga_inbox                   | unknown partitioned table 'saga_inbox'",
      "cleanup                                                       | --older-than",
      "list --table nope                                             | unknown partitioned table 'nope'",
      "maintain --url ftp://127.0.0.1/                               | must be an http:// or https:// URL",
      "frobnicate                                                    | frobnicate",
  })
  void badArgumentsExitWithUsageErrorNamingTheProblemAndSendNothing(String line, String expected) {
    Run r = run(line);

    assertThat(r.exit()).as("exit code of '%s'; err=%s", line, r.err()).isEqualTo(2);
    assertThat(r.err()).contains(expected);
    assertThat(requests.get()).as("requests sent for '%s'", line).isZero();
  }
}
