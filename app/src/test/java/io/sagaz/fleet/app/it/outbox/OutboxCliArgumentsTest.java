package io.sagaz.fleet.app.it.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagaz.fleet.app.cli.CliRun;
import io.sagaz.fleet.app.it.CountingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad arguments to {@code sagaz outbox ...} get a clear error and exit code 2 before any request: the
 * commands point at a listening HTTP server that counts what reaches it, and nothing does.
 */
class OutboxCliArgumentsTest {
  private final CountingServer server = new CountingServer();

  @AfterEach
  void stop() {
    server.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "replay                                                        | choose the dead letters one way",
      "replay --all --topic orders                                   | choose the dead letters one way",
      "replay --id 3f2c1a9e-5b7d-4c1e-9a0b-2d4e6f8a1c3e --all        | choose the dead letters one way",
      "replay --id 3f2c1a9e-5b7d-4c1e-9a0b-2d4e6f8a1c3e --topic t    | choose the dead letters one way",
      "replay --id not-a-uuid                                        | --id 'not-a-uuid' is not an event id",
      "replay --id 1-2-3-4-5                                         | --id '1-2-3-4-5' is not an event id",
      "replay --older-than yesterday                                 | --older-than 'yesterday' is neither an instant",
      "replay --older-than 2026-02-30                                | --older-than '2026-02-30' is neither",
      "dead-letters --limit 0                                        | --limit 0 is out of range",
      "dead-letters --limit 1001                                     | --limit 1001 is out of range",
      "dead-letters --limit many                                     | 'many' is not an int",
      "stats --url ftp://127.0.0.1/                                  | must be an http:// or https:// URL",
      "purge                                                         | purge",
  })
  void badArgumentsExitWithUsageErrorNamingTheProblemAndSendNothing(String line, String expected) {
    String url = line.contains("--url") ? "" : " --url " + server.url();
    CliRun r = CliRun.sagaz(("outbox " + line + url + " --token t0k3n-t0k3n-t0k3n").trim().split("\\s+"));

    assertThat(r.exit()).as("exit code of '%s'; err=%s", line, r.err()).isEqualTo(2);
    assertThat(r.err()).contains(expected);
    assertThat(server.requests()).as("requests sent for '%s'", line).isZero();
  }

  @org.junit.jupiter.api.Test
  void aBlankTopicIsRefusedToo() {
    CliRun r = CliRun.sagaz("outbox", "replay", "--topic", " ", "--url", server.url());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--topic must not be blank");
    assertThat(server.requests()).isZero();
  }
}
