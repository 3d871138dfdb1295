package io.sagaz.fleet.core.saga;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SagaMermaidTest {

  @Test
  void definitionDrawsStepsDependenciesAndCompensations() {
    String m = SagaMermaid.definition(SagaStateMachineTest.linear(2));
    assertThat(m).startsWith("flowchart TD\n")
        .contains("start --> s_s1", "s_s1 --> s_s2", "s_s2 --> finish", "s_s1 -. on failure .-> s_s1_undo")
        .contains("c.s1");
  }

  @Test
  void executionShowsTheFailedStepAndTheCompensationsThatRan() {
    SagaDriver d = new SagaDriver(SagaStateMachineTest.linear(3)).start();
    d.ok("s1");
    d.ok("s2");
    d.fail("s3", 400);
    d.ok("s2");
    d.ok("s1");
    String m = SagaMermaid.execution(d.def, d.state);
    assertThat(m).contains("linear: ROLLED_BACK", "class s_s3 failed", "class s_s1 compensated",
        "s_s2 == compensated ==> s_s2_undo", "s_s3 -. on failure .-> s_s3_undo");
  }

  @Test
  void stepNamesBecomeSafeIds() {
    assertThat(SagaMermaid.id("reserve-inventory")).isEqualTo("s_reserve_45_inventory");
  }

  @Test
  void uuidV7CarriesItsTime() {
    Instant t = Instant.parse("2026-03-04T05:06:07.089Z");
    UUID id = UuidV7.generate(t);
    assertThat(id.version()).isEqualTo(7);
    assertThat(id.variant()).isEqualTo(2);
    assertThat(UuidV7.timestamp(id)).contains(t);
    assertThat(UuidV7.timestamp(UUID.randomUUID())).isEmpty();
    assertThat(UuidV7.generate(t.plusMillis(1)).compareTo(id)).isPositive();
  }
}
