package io.sagaz.fleet.saga;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagaz.fleet.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Polling and SQL look-ups shared by the saga integration tests (bounded waits, never sleeps as assertions). */
final class SagaIntegrationSupport {
  private SagaIntegrationSupport() {}

  static String status(TestDatabase db, UUID sagaId) {
    List<String> s = strings(db, "SELECT status FROM saga_executions WHERE saga_id = ?", sagaId);
    return s.isEmpty() ? null : s.get(0);
  }

  /** Waits until the saga reaches one of {@code statuses}; fails naming the last status seen. */
  static String awaitStatus(TestDatabase db, UUID sagaId, Duration within, String... statuses) {
    long end = System.nanoTime() + within.toNanos();
    String last = null;
    while (System.nanoTime() < end) {
      last = status(db, sagaId);
      if (last != null && Set.of(statuses).contains(last)) {
        return last;
      }
      pause(50);
    }
    throw new AssertionError("saga " + sagaId + " did not reach " + List.of(statuses) + " within " + within + "; last status " + last);
  }

  /** Effects written by participants for one saga, as {@code step/phase}, in commit order. */
  static List<String> effects(TestDatabase db, UUID sagaId) {
    return strings(db, "SELECT step || '/' || phase FROM saga_demo_effects WHERE saga_id = ? ORDER BY id", sagaId);
  }

  static List<String> auditEvents(TestDatabase db, UUID sagaId) {
    return strings(db, "SELECT coalesce(step, '-') || ':' || event FROM saga_audit_log WHERE saga_id = ? ORDER BY id", sagaId);
  }

  static long count(TestDatabase db, String sql) {
    return Long.parseLong(strings(db, sql, null).get(0));
  }

  static List<String> strings(TestDatabase db, String sql, UUID param) {
    try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
      if (param != null) {
        ps.setObject(1, param);
      }
      List<String> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The failure code a request failed with. */
  static ReplyException failure(Future<?> f) {
    try {
      f.await();
    } catch (ReplyException e) {
      return e;
    } catch (RuntimeException e) {
      if (e.getCause() instanceof ReplyException re) {
        return re;
      }
      throw e;
    }
    throw new AssertionError("expected the request to fail");
  }

  static void assertCode(Future<?> f, int code, String messagePart) {
    ReplyException e = failure(f);
    assertThat(e.failureCode()).as(e.getMessage()).isEqualTo(code);
    assertThat(e.getMessage()).contains(messagePart);
  }

  static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
