package io.sagaz.fleet.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad arguments to the commands that talk to the admin API ({@code sagaz partition | outbox | saga ...})
 * get a clear error and exit code 2 before any request: the commands point at a listening HTTP server
 * that counts what reaches it, and nothing does.
 */
class CliArgumentsTest {
  private final CountingServer server = new CountingServer();

  @AfterEach
  void stop() {
    server.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "partition create --table sagas --range 2025-01-01:2025-12-31           | unknown partitioned table 'sagas'",
      "partition create --table saga_executions --range 2025-12-31:2025-01-01 | from is after to",
      "partition create --table saga_executions --range 2025-13-01:2025-12-31 | is not a date",
      "partition create --table saga_executions --range 2025-01-01            | expected FROM:TO",
      "partition create --table saga_outbox --range 2020-01-01:2025-12-31     | more than 1000",
      "partition create --range 2025-01-01:2025-12-31                         | --table",
      "partition create --table saga_executions                               | --range",
      "partition cleanup --older-than 12x                                     | invalid age '12x'",
      "partition cleanup --older-than 0d                                      | between 1 and",
      "partition cleanup --older-than month                                   | invalid age 'month'",
      "partition cleanup --older-than 12m --table saga_inbox                  | unknown partitioned table 'saga_inbox'",
      "partition cleanup                                                      | --older-than",
      "partition list --table nope                                            | unknown partitioned table 'nope'",
      "partition maintain --url ftp://127.0.0.1/                              | must be an http:// or https:// URL",
      "partition frobnicate                                                   | frobnicate",
      "outbox replay                                                          | choose the dead letters one way",
      "outbox replay --all --topic orders                                     | choose the dead letters one way",
      "outbox replay --id 3f2c1a9e-5b7d-4c1e-9a0b-2d4e6f8a1c3e --all          | choose the dead letters one way",
      "outbox replay --id 3f2c1a9e-5b7d-4c1e-9a0b-2d4e6f8a1c3e --topic t      | choose the dead letters one way",
      "outbox replay --id not-a-uuid                                          | --id 'not-a-uuid' is not an event id",
      "outbox replay --id 1-2-3-4-5                                           | --id '1-2-3-4-5' is not an event id",
      "outbox replay --older-than yesterday                                   | --older-than 'yesterday' is neither an instant",
      "outbox replay --older-than 2026-02-30                                  | --older-than '2026-02-30' is neither",
      "outbox dead-letters --limit 0                                          | --limit 0 is out of range",
      "outbox dead-letters --limit 1001                                       | --limit 1001 is out of range",
      "outbox dead-letters --limit many                                       | 'many' is not an int",
      "outbox stats --url ftp://127.0.0.1/                                    | must be an http:// or https:// URL",
      "outbox purge                                                           | purge",
      "saga list --status DONE                                                | --status 'DONE' is not one of PENDING, EXECUTING",
      "saga list --limit 0                                                    | --limit 0 is out of range: give 1 to 1000",
      "saga list --name bad!name                                              | --name 'bad!name' is not a saga name",
      "saga show not-a-uuid                                                   | SAGA_ID 'not-a-uuid' is not a saga id",
      "saga show                                                              | Missing required parameter",
      "saga cancel 1-2-3-4-5                                                  | SAGA_ID '1-2-3-4-5' is not a saga id",
      "saga retry-compensation 01a2                                           | SAGA_ID '01a2' is not a saga id",
      "saga frobnicate                                                        | frobnicate",
  })
  void badArgumentsExitWithUsageErrorNamingTheProblemAndSendNothing(String line, String expected) {
    String url = line.contains("--url") ? "" : " --url " + server.url();
    CliRun r = CliRun.sagaz((line + url + " --token t0k3n-t0k3n-t0k3n").trim().split("\\s+"));

    assertThat(r.exit()).as("exit code of '%s'; err=%s", line, r.err()).isEqualTo(2);
    assertThat(r.err()).contains(expected);
    assertThat(server.requests()).as("requests sent for '%s'", line).isZero();
  }

  @Test
  void aGroupWithoutASubcommandNamesTheOnesThereAre() {
    assertThat(CliRun.sagaz("partition").err()).contains("name a subcommand: create, list, cleanup or maintain");
    assertThat(CliRun.sagaz("outbox").err()).contains("name a subcommand: stats, dead-letters or replay");
    CliRun saga = CliRun.sagaz("saga");
    assertThat(saga.exit()).isEqualTo(2);
    assertThat(saga.err()).contains("name a subcommand: list, show, cancel or retry-compensation");
  }

  @Test
  void aBlankTopicIsRefusedToo() {
    CliRun r = CliRun.sagaz("outbox", "replay", "--topic", " ", "--url", server.url());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--topic must not be blank");
    assertThat(server.requests()).isZero();
  }
}
