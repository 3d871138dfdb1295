package io.sagaz.fleet.core.saga;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SagaStateMachineTest {

  static SagaDefinition linear(int n) {
    SagaDefinitionBuilder b = SagaDefinition.builder("linear");
    for (int i = 1; i <= n; i++) {
      int k = i;
      b.step("s" + k, s -> {
        s.action("a.s" + k).compensation("c.s" + k);
        if (k > 1) {
          s.dependsOn("s" + (k - 1));
        }
      });
    }
    return b.build();
  }

  static SagaDefinition diamond(FailureStrategy strategy) {
    return SagaDefinition.builder("diamond").failureStrategy(strategy)
        .step("root", s -> s.action("a.root").compensation("c.root"))
        .step("left", s -> s.action("a.left").compensation("c.left").dependsOn("root"))
        .step("right", s -> s.action("a.right").compensation("c.right").dependsOn("root")
            .retry(3, Duration.ofMillis(100)))
        .step("join", s -> s.action("a.join").compensation("c.join").dependsOn("left", "right"))
        .build();
  }

  @Test
  void happyPathSendsStepsInDependencyOrderAndCompletes() {
    SagaDriver d = new SagaDriver(linear(3)).start();
    assertThat(d.state.status()).isEqualTo(SagaStatus.EXECUTING);
    assertThat(d.lastSends()).containsExactly("s1/action");
    d.ok("s1");
    assertThat(d.lastSends()).containsExactly("s2/action");
    d.ok("s2");
    d.ok("s3");
    assertThat(d.state.status()).isEqualTo(SagaStatus.COMPLETED);
    assertThat(d.state.completedAt()).isNotNull();
    assertThat(d.state.context()).containsOnlyKeys("s1", "s2", "s3");
    assertThat(d.events).extracting(LifecycleEvent::type)
        .containsExactly("saga.started", "step.succeeded", "step.succeeded", "step.succeeded", "saga.completed");
  }

  @Test
  void failureAtStepKCompensatesEarlierStepsInReverseOneAtATime() {
    SagaDriver d = new SagaDriver(linear(5)).start();
    d.ok("s1");
    d.ok("s2");
    d.ok("s3");
    d.fail("s4", 400);
    assertThat(d.state.status()).isEqualTo(SagaStatus.COMPENSATING);
    assertThat(d.lastSends()).containsExactly("s3/compensation");
    d.ok("s3");
    assertThat(d.lastSends()).containsExactly("s2/compensation");
    d.ok("s2");
    assertThat(d.lastSends()).containsExactly("s1/compensation");
    d.ok("s1");
    assertThat(d.state.status()).isEqualTo(SagaStatus.ROLLED_BACK);
    assertThat(d.status("s4")).isEqualTo(StepStatus.FAILED);
    assertThat(d.status("s5")).isEqualTo(StepStatus.PENDING);
    assertThat(d.allSends()).doesNotContain("s4/compensation", "s5/action", "s5/compensation");
    assertThat(d.state.error()).contains("s4").contains("boom 400");
  }

  @Test
  void parallelBranchesStartTogetherAndCompensateTogether() {
    SagaDriver d = new SagaDriver(diamond(FailureStrategy.FAIL_FAST)).start();
    d.ok("root");
    assertThat(d.lastSends()).containsExactlyInAnyOrder("left/action", "right/action");
    d.ok("left");
    d.ok("right");
    assertThat(d.lastSends()).containsExactly("join/action");
    d.fail("join", 409);
    assertThat(d.lastSends()).containsExactlyInAnyOrder("left/compensation", "right/compensation");
    d.ok("left");
    assertThat(d.lastSends()).isEmpty();
    d.ok("right");
    assertThat(d.lastSends()).containsExactly("root/compensation");
    d.ok("root");
    assertThat(d.state.status()).isEqualTo(SagaStatus.ROLLED_BACK);
  }

  @Test
  void failFastCompensatesAtOnceAndUndoesTheBranchStillInFlightWhenItAnswers() {
    SagaDriver d = new SagaDriver(diamond(FailureStrategy.FAIL_FAST)).start();
    d.ok("root");
    d.fail("left", 400);
    assertThat(d.state.status()).isEqualTo(SagaStatus.COMPENSATING);
    assertThat(d.lastSends()).isEmpty(); // root waits: right is still in flight
    d.ok("right");
    assertThat(d.lastSends()).containsExactly("right/compensation");
    d.ok("right");
    assertThat(d.lastSends()).containsExactly("root/compensation");
    d.ok("root");
    assertThat(d.state.status()).isEqualTo(SagaStatus.ROLLED_BACK);
    assertThat(d.allSends()).doesNotContain("join/action");
  }

  @Test
  void waitAllLetsTheOtherBranchFinishItsRetriesBeforeCompensating() {
    SagaDriver d = new SagaDriver(diamond(FailureStrategy.WAIT_ALL)).start();
    d.ok("root");
    d.fail("left", 400);
    assertThat(d.state.status()).isEqualTo(SagaStatus.EXECUTING);
    assertThat(d.state.error()).contains("left");
    d.fail("right", 503);
    assertThat(d.status("right")).isEqualTo(StepStatus.WAITING_RETRY);
    d.tickAfter(Duration.ofMillis(100));
    assertThat(d.lastSends()).containsExactly("right/action");
    d.ok("right");
    assertThat(d.state.status()).isEqualTo(SagaStatus.COMPENSATING);
    assertThat(d.lastSends()).containsExactly("right/compensation");
    d.ok("right");
    d.ok("root");
    assertThat(d.state.status()).isEqualTo(SagaStatus.ROLLED_BACK);
    assertThat(d.allSends()).doesNotContain("join/action");
  }

  @Test
  void retryableFailureIsRetriedWithBackoffAndTheSameCommandId() {
    SagaDefinition def = SagaDefinition.builder("r")
        .step("a", s -> s.action("x").compensation("y").retry(new RetryPolicy(3, Duration.ofMillis(100), 2.0, Duration.ofSeconds(1))))
        .build();
    SagaDriver d = new SagaDriver(def).start();
    var firstId = d.commandId("a");
    d.fail("a", 500);
    assertThat(d.status("a")).isEqualTo(StepStatus.WAITING_RETRY);
    assertThat(d.last.actions()).containsExactly(new SagaAction.ScheduleTick(d.now.plusMillis(100)));
    d.tickAfter(Duration.ofMillis(50));
    assertThat(d.lastSends()).isEmpty();
    d.tickAfter(Duration.ofMillis(50));
    assertThat(d.lastSends()).containsExactly("a/action");
    assertThat(d.state.step("a").attempt()).isEqualTo(2);
    d.timeout("a");
    assertThat(d.state.step("a").retryAt()).isEqualTo(d.now.plusMillis(200));
    d.tickAfter(Duration.ofMillis(200));
    d.ok("a");
    assertThat(d.state.status()).isEqualTo(SagaStatus.COMPLETED);
    assertThat(d.sent).extracting(SagaAction.SendCommand::commandId).containsOnly(firstId);
  }

  @Test
  void timeoutsUseUpTheRetriesThenTheUncertainStepIsCompensatedToo() {
    SagaDefinition def = SagaDefinition.builder("t")
        .step("a", s -> s.action("x.a").compensation("y.a"))
        .step("b", s -> s.action("x.b").compensation("y.b").dependsOn("a").retry(2, Duration.ofMillis(10)))
        .build();
    SagaDriver d = new SagaDriver(def).start();
    d.ok("a");
    d.timeout("b");
    d.tickAfter(Duration.ofMillis(10));
    d.timeout("b");
    assertThat(d.state.status()).isEqualTo(SagaStatus.COMPENSATING);
    assertThat(d.state.step("b").uncertain()).isTrue();
    assertThat(d.lastSends()).containsExactly("b/compensation");
    d.ok("b");
    assertThat(d.lastSends()).containsExactly("a/compensation");
    d.ok("a");
    assertThat(d.state.status()).isEqualTo(SagaStatus.ROLLED_BACK);
  }

  @Test
  void businessFailureIsNotRetried() {
    SagaDefinition def = SagaDefinition.builder("b").step("a", s -> s.action("x").retry(5, Duration.ofMillis(10))).build();
    SagaDriver d = new SagaDriver(def).start();
    d.fail("a", 422);
    assertThat(d.state.step("a").attempt()).isEqualTo(1);
    assertThat(d.state.status()).isEqualTo(SagaStatus.ROLLED_BACK);
  }

  @Test
  void failingCompensationLeavesFailedAndOperatorRetryCompletesTheRollback() {
    SagaDriver d = new SagaDriver(linear(3)).start();
    d.ok("s1");
    d.ok("s2");
    d.fail("s3", 400);
    d.fail("s2", 500); // compensation of s2, no retries configured
    assertThat(d.state.status()).isEqualTo(SagaStatus.FAILED);
    assertThat(d.status("s2")).isEqualTo(StepStatus.COMPENSATION_FAILED);
    assertThat(d.status("s1")).isEqualTo(StepStatus.SUCCEEDED); // s1 waits for s2: reverse order holds
    assertThat(d.state.error()).contains("compensation of step 's2' failed");
    d.apply(new SagaEvent.OperatorRetry(d.now));
    assertThat(d.state.status()).isEqualTo(SagaStatus.COMPENSATING);
    assertThat(d.lastSends()).containsExactly("s2/compensation");
    d.ok("s2");
    d.ok("s1");
    assertThat(d.state.status()).isEqualTo(SagaStatus.ROLLED_BACK);
  }

  @Test
  void operatorRetryOfASagaThatIsNotFailedIsRejected() {
    SagaDriver d = new SagaDriver(linear(1)).start();
    Transition t = d.apply(new SagaEvent.OperatorRetry(d.now));
    assertThat(t.rejected()).isTrue();
    assertThat(t.rejection()).contains("EXECUTING");
  }

  @Test
  void cancelWhileRunningCompensatesWhatCompletedIncludingTheStepInFlight() {
    SagaDriver d = new SagaDriver(linear(3)).start();
    d.ok("s1");
    d.apply(new SagaEvent.Cancel("customer changed mind", d.now));
    assertThat(d.state.status()).isEqualTo(SagaStatus.COMPENSATING);
    assertThat(d.lastSends()).isEmpty(); // s2 still in flight
    d.ok("s2"); // the step in flight succeeds after all: it is undone too
    assertThat(d.lastSends()).containsExactly("s2/compensation");
    d.ok("s2");
    d.ok("s1");
    assertThat(d.state.status()).isEqualTo(SagaStatus.ROLLED_BACK);
    assertThat(d.state.error()).isEqualTo("cancelled: customer changed mind");
    assertThat(d.apply(new SagaEvent.Cancel(null, d.now)).rejection()).contains("ROLLED_BACK");
  }

  @Test
  void pivotMakesTheSagaForwardOnly() {
    SagaDefinition def = SagaDefinition.builder("p")
        .step("reserve", s -> s.action("r").compensation("u"))
        .step("charge", s -> s.action("c").dependsOn("reserve").pivot())
        .step("ship", s -> s.action("s").dependsOn("charge").retry(2, Duration.ofMillis(10)))
        .build();
    SagaDriver d = new SagaDriver(def).start();
    d.ok("reserve");
    d.ok("charge");
    assertThat(d.apply(new SagaEvent.Cancel(null, d.now)).rejection()).contains("pivot step 'charge'");
    for (int i = 0; i < 5; i++) { // past the pivot, retryable failures retry beyond the configured attempts
      d.fail("ship", 503);
      assertThat(d.status("ship")).isEqualTo(StepStatus.WAITING_RETRY);
      d.tickAfter(Duration.ofSeconds(1));
    }
    d.fail("ship", 400);
    assertThat(d.state.status()).isEqualTo(SagaStatus.FAILED);
    assertThat(d.allSends()).doesNotContain("reserve/compensation");
    d.apply(new SagaEvent.OperatorRetry(d.now));
    assertThat(d.lastSends()).containsExactly("ship/action");
    d.ok("ship");
    assertThat(d.state.status()).isEqualTo(SagaStatus.COMPLETED);
  }

  @Test
  void deadlineRollsTheSagaBack() {
    SagaDefinition def = SagaDefinition.builder("d").deadline(Duration.ofSeconds(5))
        .step("a", s -> s.action("x").compensation("y"))
        .step("b", s -> s.action("x").compensation("y").dependsOn("a"))
        .build();
    SagaDriver d = new SagaDriver(def).start();
    assertThat(d.last.actions()).contains(new SagaAction.ScheduleTick(d.now.plusSeconds(5)));
    d.ok("a");
    d.tickAfter(Duration.ofSeconds(5));
    assertThat(d.state.status()).isEqualTo(SagaStatus.COMPENSATING);
    assertThat(d.state.error()).contains("deadline");
    d.timeout("b"); // b never answered: uncertain, undone
    d.ok("b");
    d.ok("a");
    assertThat(d.state.status()).isEqualTo(SagaStatus.ROLLED_BACK);
  }

  @Test
  void resumeResendsTheCommandsInFlightWithTheSameIds() {
    SagaDriver d = new SagaDriver(diamond(FailureStrategy.FAIL_FAST)).start();
    d.ok("root");
    var leftId = d.commandId("left");
    d.ok("left");
    var rightId = d.commandId("right");
    Transition t = d.apply(new SagaEvent.Resume("node-b", d.now));
    assertThat(t.changed()).isTrue();
    assertThat(d.lastSends()).containsExactly("right/action");
    assertThat(d.sent.get(d.sent.size() - 1).commandId()).isEqualTo(rightId).isNotEqualTo(leftId);
    assertThat(t.audit()).extracting(AuditEntry::event).contains("saga.resumed", "step.resent");
  }

  @Test
  void staleAndDuplicateRepliesChangeNothing() {
    SagaDriver d = new SagaDriver(linear(2)).start();
    var id = d.commandId("s1");
    d.ok("s1");
    Transition dup = d.apply(new SagaEvent.StepSucceeded("s1", StepPhase.ACTION, id, Map.of(), d.now));
    assertThat(dup.changed()).isFalse();
    assertThat(dup.actions()).isEmpty();
    Transition wrongId = d.apply(new SagaEvent.StepFailed("s2", StepPhase.ACTION, id, 400, "x", false, d.now));
    assertThat(wrongId.changed()).isFalse();
    assertThat(d.status("s2")).isEqualTo(StepStatus.RUNNING);
  }

  @Test
  void everyTransitionIsAudited() {
    SagaDriver d = new SagaDriver(linear(2)).start();
    d.ok("s1");
    d.ok("s2");
    assertThat(d.audit).extracting(a -> a.step() + ":" + a.event() + ":" + a.from() + "->" + a.to()).containsExactly(
        "null:saga.started:PENDING->EXECUTING",
        "s1:step.sent:PENDING->RUNNING",
        "s1:step.succeeded:RUNNING->SUCCEEDED",
        "s2:step.sent:PENDING->RUNNING",
        "s2:step.succeeded:RUNNING->SUCCEEDED",
        "null:saga.completed:EXECUTING->COMPLETED");
  }

  @Test
  void theFunctionIsPure() {
    SagaDefinition def = linear(3);
    SagaState s = SagaState.initial(def, UuidV7.generate(java.time.Instant.EPOCH), java.time.Instant.EPOCH);
    SagaEvent e = new SagaEvent.Start(java.time.Instant.EPOCH);
    assertThat(SagaStateMachine.apply(def, s, e)).isEqualTo(SagaStateMachine.apply(def, s, e));
    assertThat(s.status()).isEqualTo(SagaStatus.PENDING);
    assertThat(List.copyOf(s.steps().values())).allMatch(st -> st.status() == StepStatus.PENDING);
  }
}
