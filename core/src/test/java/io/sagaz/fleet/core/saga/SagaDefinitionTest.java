package io.sagaz.fleet.core.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SagaDefinitionTest {

  @Test
  void dslAndTreeGiveTheSameModel() {
    SagaDefinition dsl = SagaDefinition.builder("order").version(2).deadline(Duration.ofMinutes(1))
        .failureStrategy(FailureStrategy.WAIT_ALL)
        .step("reserve", s -> s.action("inv.reserve").compensation("inv.release").timeout(Duration.ofSeconds(2))
            .retry(new RetryPolicy(3, Duration.ofMillis(100), 2.0, Duration.ofSeconds(2))))
        .step("ship", s -> s.action("ship.go").dependsOn("reserve").pivot())
        .build();
    Map<String, Object> tree = Map.of(
        "name", "order", "version", 2, "deadline", "1m", "failureStrategy", "wait-all",
        "steps", List.of(
            Map.of("name", "reserve", "action", "inv.reserve", "compensation", "inv.release", "timeout", "2s",
                "retry", Map.of("attempts", 3, "backoff", "100ms", "multiplier", 2, "maxBackoff", "PT2S")),
            Map.of("name", "ship", "action", "ship.go", "dependsOn", List.of("reserve"), "pivot", true)));
    assertThat(SagaDefinitionParser.parse(tree)).isEqualTo(dsl);
    assertThat(SagaDefinitionParser.parse(SagaDefinitionParser.toTree(dsl))).isEqualTo(dsl);
  }

  @Test
  void levelsGroupParallelSteps() {
    SagaDefinition d = SagaDefinition.builder("x")
        .step("a", s -> s.action("a"))
        .step("b", s -> s.action("b").dependsOn("a"))
        .step("c", s -> s.action("c").dependsOn("a"))
        .step("d", s -> s.action("d").dependsOn("b", "c"))
        .build();
    assertThat(d.levels()).containsExactly(List.of("a"), List.of("b", "c"), List.of("d"));
  }

  @Test
  void cycleIsRefusedNamingSagaAndStep() {
    assertThatThrownBy(() -> SagaDefinition.builder("loop")
        .step("a", s -> s.action("a").dependsOn("c"))
        .step("b", s -> s.action("b").dependsOn("a"))
        .step("c", s -> s.action("c").dependsOn("b"))
        .build())
        .isInstanceOf(SagaDefinitionException.class)
        .hasMessageContaining("saga 'loop' step 'a'")
        .hasMessageContaining("dependency cycle a -> c -> b -> a");
  }

  @Test
  void unknownDependencyIsRefused() {
    assertThatThrownBy(() -> SagaDefinition.builder("o")
        .step("ship", s -> s.action("x").dependsOn("pack")).build())
        .hasMessage("saga 'o' step 'ship': depends on unknown step 'pack'");
  }

  @Test
  void duplicateStepNamesAreRefused() {
    assertThatThrownBy(() -> SagaDefinition.builder("o")
        .step("a", s -> s.action("x")).step("a", s -> s.action("y")).build())
        .hasMessage("saga 'o' step 'a': duplicate step name");
  }

  @Test
  void missingActionAddressIsRefused() {
    assertThatThrownBy(() -> SagaDefinition.builder("o").step("a", s -> s.compensation("y")).build())
        .hasMessage("saga 'o' step 'a': missing action address");
  }

  @Test
  void badDurationsAreRefused() {
    assertThatThrownBy(() -> SagaDefinition.builder("o").step("a", s -> s.action("x").timeout(Duration.ZERO)).build())
        .hasMessageContaining("saga 'o' step 'a': timeout must be a positive duration");
    Map<String, Object> tree = Map.of("name", "o", "steps", List.of(Map.of("name", "a", "action", "x", "timeout", "5 parsecs")));
    assertThatThrownBy(() -> SagaDefinitionParser.parse(tree))
        .hasMessageContaining("saga 'o' step 'a': timeout: bad duration '5 parsecs'");
    assertThatThrownBy(() -> SagaDefinitionParser.parse(Map.of("name", "o", "deadline", "-1s",
        "steps", List.of(Map.of("name", "a", "action", "x")))))
        .hasMessageContaining("saga 'o': deadline: bad duration");
  }

  @Test
  void pivotWithCompensationIsRefused() {
    assertThatThrownBy(() -> SagaDefinition.builder("o").step("a", s -> s.action("x").compensation("y").pivot()).build())
        .hasMessageContaining("saga 'o' step 'a': a pivot step cannot have a compensation");
  }

  @Test
  void treeWithUnknownKeyOrWrongTypeIsRefused() {
    assertThatThrownBy(() -> SagaDefinitionParser.parse(Map.of("name", "o",
        "steps", List.of(Map.of("name", "a", "action", "x", "depends_on", List.of("b"))))))
        .hasMessageContaining("saga 'o' step 'a': unknown key 'depends_on'");
    assertThatThrownBy(() -> SagaDefinitionParser.parse(Map.of("name", "o", "steps", "none")))
        .hasMessage("saga 'o': missing 'steps' (a list)");
    assertThatThrownBy(() -> SagaDefinitionParser.parse(Map.of("steps", List.of())))
        .hasMessageContaining("missing 'name'");
    assertThatThrownBy(() -> SagaDefinitionParser.parse(Map.of("name", "o", "failureStrategy", "yolo",
        "steps", List.of(Map.of("name", "a", "action", "x")))))
        .hasMessageContaining("failureStrategy must be 'fail-fast' or 'wait-all'");
  }

  @Test
  void emptySagaIsRefused() {
    assertThatThrownBy(() -> SagaDefinition.builder("o").build()).hasMessage("saga 'o': has no steps");
  }

  @Test
  void backoffGrowsAndIsCapped() {
    RetryPolicy p = new RetryPolicy(5, Duration.ofMillis(100), 2.0, Duration.ofMillis(300));
    assertThat(p.delayAfter(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(p.delayAfter(2)).isEqualTo(Duration.ofMillis(200));
    assertThat(p.delayAfter(3)).isEqualTo(Duration.ofMillis(300));
  }
}
