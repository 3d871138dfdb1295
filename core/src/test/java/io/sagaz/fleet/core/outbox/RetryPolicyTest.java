package io.sagaz.fleet.core.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private final RetryPolicy policy = new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(5), 4);

  @Test
  void delayDoublesPerAttemptWithJitterInTheUpperHalf() {
    assertThat(policy.delayAfter(1, () -> 0.0)).isEqualTo(Duration.ofMillis(50));
    assertThat(policy.delayAfter(1, () -> 0.999)).isBetween(Duration.ofMillis(99), Duration.ofMillis(100));
    assertThat(policy.delayAfter(3, () -> 0.0)).isEqualTo(Duration.ofMillis(200));
    assertThat(policy.delayAfter(3, () -> 0.999)).isBetween(Duration.ofMillis(399), Duration.ofMillis(400));
  }

  @Test
  void delayIsCappedAndNeverOverflows() {
    assertThat(policy.delayAfter(10, () -> 0.999)).isLessThanOrEqualTo(Duration.ofSeconds(5));
    assertThat(policy.delayAfter(1000, () -> 0.5)).isBetween(Duration.ofMillis(2500), Duration.ofSeconds(5));
  }

  @Test
  void exhaustedOnceMaxAttemptsAreUsed() {
    assertThat(policy.exhausted(3)).isFalse();
    assertThat(policy.exhausted(4)).isTrue();
  }
}
