package io.sagaz.fleet.app.it.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagaz.fleet.app.cli.CliRun;
import io.sagaz.fleet.app.it.CountingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad arguments to {@code sagaz partition ...} get a clear error and exit code 2 before any request:
 * the commands point at a listening HTTP server that counts what reaches it, and nothing does.
 */
class PartitionCliArgumentsTest {
  private final CountingServer server = new CountingServer();

  @AfterEach
  void stop() {
    server.close();
  }

  private CliRun run(String line) {
    String url = line.contains("--url") ? "" : " --url " + server.url();
    return CliRun.sagaz(("partition " + line + url + " --token t0k3n-t0k3n-t0k3n").trim().split("\\s+"));
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
    CliRun r = run(line);

    assertThat(r.exit()).as("exit code of '%s'; err=%s", line, r.err()).isEqualTo(2);
    assertThat(r.err()).contains(expected);
    assertThat(server.requests()).as("requests sent for '%s'", line).isZero();
  }
}
