package io.sagaz.fleet.bench.maintenance;

import io.sagaz.fleet.core.partition.PartitionPeriod;
import io.sagaz.fleet.core.partition.PartitionedTable;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The seed's partition sets, as they stand on the day maintenance is due: 15 monthly partitions for
 * each monthly table (13 months back to 1 ahead) and 37 daily outbox partitions (31 days back to 5
 * ahead), every past and current one holding rows (outbox rows already sent), and some rows written
 * since the last run. A default run then has real work: it analyzes the current partitions, drops
 * the oldest partition of each table and creates 2 ahead for each. {@link #reset} puts the set back after a run.
 */
final class SeedPartitionSet {
  static final int MONTHS_BACK = 13;
  static final int MONTHS_AHEAD = 1;
  static final int DAYS_BACK = 31;
  static final int DAYS_AHEAD = 5;

  private static final int RECENT_ROWS = 200;
  private final int rowsPerPartition;

  SeedPartitionSet(int rowsPerPartition) {
    this.rowsPerPartition = rowsPerPartition;
  }

  /** Drops partitions ahead of the set, creates the missing ones and fills empty past ones. */
  void reset(Connection c, LocalDate today) throws SQLException {
    for (PartitionedTable t : PartitionedTable.values()) {
      boolean monthly = t.period() == PartitionPeriod.MONTH;
      LocalDate first = t.period().plus(today, monthly ? -MONTHS_BACK : -DAYS_BACK);
      LocalDate last = t.period().plus(today, monthly ? MONTHS_AHEAD : DAYS_AHEAD);
      try (Statement st = c.createStatement()) {
        for (String extra : partitionsStartingAfter(st, t, last)) {
          st.execute("DROP TABLE " + extra);
        }
        st.execute("SELECT * FROM create_partitions('" + t.tableName() + "', '" + first + "', '" + last + "')");
        for (LocalDate d = first; !d.isAfter(today); d = t.period().next(d)) {
          fillIfEmpty(st, t, d, t.period().next(d));
        }
        // Some traffic since the last run, so the run has statistics to refresh as it would hourly.
        st.execute(insert(t, "now() - interval '1 minute'", " FROM generate_series(1, " + RECENT_ROWS + ") g"));
      }
    }
  }

  /** Number of partitions of each table the set holds. */
  static int size(PartitionedTable t) {
    return t.period() == PartitionPeriod.MONTH ? MONTHS_BACK + 1 + MONTHS_AHEAD : DAYS_BACK + 1 + DAYS_AHEAD;
  }

  private static List<String> partitionsStartingAfter(Statement st, PartitionedTable t, LocalDate last) throws SQLException {
    List<String> names = new ArrayList<>();
    try (ResultSet rs = st.executeQuery("SELECT partition_name FROM get_partition_statistics() "
        + "WHERE table_name = '" + t.tableName() + "' AND NOT is_default AND range_from > '" + last + " 00:00+00'")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }

  private void fillIfEmpty(Statement st, PartitionedTable t, LocalDate from, LocalDate to) throws SQLException {
    String name = t.partitionName(from);
    try (ResultSet rs = st.executeQuery("SELECT EXISTS (SELECT 1 FROM " + name + ")")) {
      rs.next();
      if (rs.getBoolean(1)) {
        return;
      }
    }
    // Rows spread evenly over the period, so each lands in this partition.
    String createdAt = "'" + from + " 00:00+00'::timestamptz + (g - 0.5) * (('" + to + "'::date - '" + from
        + "'::date) * interval '1 day') / " + rowsPerPartition;
    st.execute(insert(t, createdAt, " FROM generate_series(1, " + rowsPerPartition + ") g"));
  }

  private static String insert(PartitionedTable t, String createdAt, String series) {
    return switch (t) {
      case SAGA_EXECUTIONS -> "INSERT INTO saga_executions (saga_name, status, context, created_at) "
          + "SELECT 'bench', 'COMPLETED', jsonb_build_object('n', g), " + createdAt + series;
      case SAGA_AUDIT_LOG -> "INSERT INTO saga_audit_log (saga_id, saga_name, event, detail, created_at) "
          + "SELECT gen_random_uuid(), 'bench', 'COMPLETED', jsonb_build_object('n', g), " + createdAt + series;
      case SAGA_OUTBOX -> "INSERT INTO saga_outbox (aggregate_type, aggregate_id, event_type, topic, payload, status, sent_at, created_at) "
          + "SELECT 'order', 'o-' || g, 'OrderPlaced', 'orders', jsonb_build_object('n', g), 'sent', now(), " + createdAt + series;
    };
  }
}
