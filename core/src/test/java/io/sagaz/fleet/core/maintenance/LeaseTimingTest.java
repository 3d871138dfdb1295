package io.sagaz.fleet.core.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LeaseTimingTest {

  @Test
  void renewsThreeTimesPerLeaseSoTwoFailedRenewalsStillLeaveItHeld() {
    LeaseTiming t = new LeaseTiming(Duration.ofSeconds(9));
    assertThat(t.tick()).isEqualTo(Duration.ofSeconds(3));
    assertThat(t.tick().multipliedBy(2)).isLessThan(t.lease());
  }

  @Test
  void tenSecondLeaseTakesOverWithinFifteenSecondsAfterACrash() {
    assertThat(new LeaseTiming(Duration.ofSeconds(10)).worstCaseTakeover()).isLessThanOrEqualTo(Duration.ofSeconds(15));
    assertThat(new LeaseTiming(Duration.ofSeconds(30)).worstCaseTakeover()).isGreaterThan(Duration.ofSeconds(15));
  }

  @Test
  void pausedLeadersTransactionIsAbortedBeforeItsLeaseCouldPass() {
    LeaseTiming t = new LeaseTiming(Duration.ofSeconds(10));
    assertThat(t.idleInTransaction()).isLessThan(t.lease());
    assertThat(LeaseTiming.pgDuration(t.idleInTransaction())).isEqualTo("5000ms");
  }

  @Test
  void idleBoundDoesNotCutOffSlowClientsOfShortLeases() {
    assertThat(new LeaseTiming(Duration.ofSeconds(1)).idleInTransaction()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void statementBoundIsAtLeastAMinute() {
    assertThat(new LeaseTiming(Duration.ofSeconds(1)).statement()).isEqualTo(Duration.ofMinutes(1));
    assertThat(new LeaseTiming(Duration.ofSeconds(30)).statement()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void refusesLeasesTooShortToRenew() {
    assertThatThrownBy(() -> new LeaseTiming(Duration.ofMillis(100))).hasMessageContaining("at least 300ms");
  }
}
