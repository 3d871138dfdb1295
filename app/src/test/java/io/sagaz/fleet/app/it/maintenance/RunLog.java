package io.sagaz.fleet.app.it.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagaz.fleet.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/** Reads {@code partition_maintenance_runs} and {@code sagaz_leases} for the multi-node tests. */
final class RunLog {
  private RunLog() {}

  record Run(long id, String holder, long epoch, String trigger, String status, Timestamp startedAt, Timestamp finishedAt, int actions) {}

  record Lease(String holder, long epoch, boolean live) {}

  static Lease lease(TestDatabase db) {
    try (Connection c = db.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT holder, epoch, expires_at > now() FROM sagaz_leases WHERE name = 'maintenance-leader'")) {
      return rs.next() ? new Lease(rs.getString(1), rs.getLong(2), rs.getBoolean(3)) : new Lease(null, 0, false);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<Run> runs(TestDatabase db) {
    List<Run> out = new ArrayList<>();
    try (Connection c = db.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT id, holder, epoch, trigger, status, started_at, finished_at,"
             + " jsonb_array_length(actions) FROM partition_maintenance_runs ORDER BY started_at, id")) {
      while (rs.next()) {
        out.add(new Run(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5),
            rs.getTimestamp(6), rs.getTimestamp(7), rs.getInt(8)));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  /**
   * The fencing invariant over the whole log: runs that did work (succeeded, or stopped after committing
   * steps) never overlap in time, and their epochs never go down.
   */
  static void assertMonotonicAndNeverOverlapping(TestDatabase db) {
    List<Run> worked = runs(db).stream()
        .filter(r -> r.status().equals("succeeded") || r.actions() > 0)
        .toList();
    assertThat(worked).as("runs that did work").isNotEmpty();
    for (int i = 1; i < worked.size(); i++) {
      Run prev = worked.get(i - 1);
      Run next = worked.get(i);
      assertThat(next.epoch()).as("epoch of %s after %s", next, prev).isGreaterThanOrEqualTo(prev.epoch());
      if (prev.finishedAt() != null) {
        assertThat(prev.finishedAt()).as("%s ends before %s starts", prev, next).isBeforeOrEqualTo(next.startedAt());
      }
    }
  }
}
