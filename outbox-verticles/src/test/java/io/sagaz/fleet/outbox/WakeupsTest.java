package io.sagaz.fleet.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Which poller a hint goes to (the dispatch rule alone; the pollers' own tests cover waking). */
class WakeupsTest {

  /** A poller as the dispatcher sees it: when its round began (0 = idle) and how often it was woken. */
  private static final class Poller implements Wakeups.Wakeable {
    long started;
    int woken;

    @Override
    public long roundStartedNanos() {
      return started;
    }

    @Override
    public void wake() {
      woken++;
    }
  }

  private final Wakeups wakeups = new Wakeups(Duration.ofMillis(500));
  private final Poller a = new Poller();
  private final Poller b = new Poller();
  private final Poller c = new Poller();

  WakeupsTest() {
    wakeups.join(a);
    wakeups.join(b);
    wakeups.join(c);
  }

  @Test
  void eachHintWakesOneIdlePollerTakingTurns() {
    for (int i = 0; i < 6; i++) {
      wakeups.dispatch();
    }
    assertThat(new int[] {a.woken, b.woken, c.woken}).containsExactly(2, 2, 2);
  }

  @Test
  void aPollerInARecentRoundTakesTheHintsSoTheOthersStayIdle() {
    b.started = System.nanoTime();
    for (int i = 0; i < 5; i++) {
      wakeups.dispatch();
    }
    assertThat(new int[] {a.woken, b.woken, c.woken}).containsExactly(0, 5, 0);
  }

  @Test
  void aRoundStuckPastTheLimitGetsNoHintsAndALeavingPollerNoneEither() {
    a.started = System.nanoTime() - Duration.ofSeconds(2).toNanos(); // waiting on a slow broker
    wakeups.leave(c);
    for (int i = 0; i < 4; i++) {
      wakeups.dispatch();
    }
    assertThat(new int[] {a.woken, b.woken, c.woken}).containsExactly(0, 4, 0);

    b.started = a.started; // all stuck: the hint still goes somewhere, in turn
    wakeups.dispatch();
    wakeups.dispatch();
    assertThat(a.woken + b.woken).isEqualTo(6);
  }
}
