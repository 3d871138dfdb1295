package io.sagaz.fleet.bench.maintenance;

import io.sagaz.fleet.core.config.MaintenanceConfig;
import io.sagaz.fleet.core.partition.PartitionWindow;
import io.sagaz.fleet.core.partition.PartitionedTable;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A full maintenance run as the maintenance leader performs it (admin-verticles {@code MaintenanceJobs}),
 * each step its own short transaction: create each missing partition ahead, drop each expired
 * partition alone (a drop locks its whole table, so each holds it for milliseconds), then
 * {@code maintain_all_partitions} for what is left and the inbox retention, paced as the node paces
 * them with its default {@link MaintenanceConfig}: a pause between steps, ANALYZE throttled by
 * {@code vacuum_cost_delay} / {@code vacuum_cost_limit} ({@code -Dbench.costLimit=N} to compare another
 * limit) and sampled at {@code maintenance.analyzeStatisticsTarget} ({@code -Dbench.statisticsTarget=N}
 * to compare another; 0 = the server's). The fencing the node adds around each step (lease check, advisory lock)
 * is a few cheap statements and is left out.
 */
final class NodeMaintenanceRun {
  private final Connection connection;
  private final PartitionWindow window = PartitionWindow.defaults();
  private final long pauseMillis = MaintenanceConfig.DEFAULT_STEP_PAUSE.toMillis();
  private boolean first = true;
  /** (label, start ns, end ns) of each step of the last run. */
  final List<Object[]> steps = new ArrayList<>();

  NodeMaintenanceRun(Connection connection) {
    this.connection = connection;
  }

  /** Runs it in autocommit mode (one transaction per statement); the actions taken, counted by kind. */
  Map<String, Integer> run(LocalDate today) throws SQLException {
    connection.setAutoCommit(true);
    try (Statement st = connection.createStatement()) {
      st.execute("SET vacuum_cost_delay = '" + MaintenanceConfig.DEFAULT_ANALYZE_COST_DELAY.toMillis() + "ms'");
      st.execute("SET vacuum_cost_limit = " + Integer.getInteger("bench.costLimit", MaintenanceConfig.DEFAULT_ANALYZE_COST_LIMIT));
      int target = Integer.getInteger("bench.statisticsTarget", MaintenanceConfig.DEFAULT_ANALYZE_STATISTICS_TARGET);
      st.execute(target == 0 ? "RESET default_statistics_target" : "SET default_statistics_target = " + target);
    }
    first = true;
    steps.clear();
    Map<String, Integer> actions = new TreeMap<>();
    Set<String> existing = existing();
    for (PartitionedTable t : PartitionedTable.values()) {
      for (LocalDate start : window.missingAhead(t, today, existing)) {
        count(actions, "SELECT * FROM create_partitions(?, ?, ?)", t.tableName(), Date.valueOf(start), Date.valueOf(start));
      }
    }
    for (Object[] expired : expired(today)) {
      count(actions, "SELECT * FROM drop_partitions_older_than(?, ?)", expired);
    }
    count(actions, "SELECT * FROM maintain_all_partitions(?, ?, ?, ?)", window.monthsAhead(), window.daysAhead(),
        window.executionsRetentionMonths(), window.outboxRetentionDays());
    // the node runs the inbox retention in the same step as maintain_all_partitions: no pause here
    try (PreparedStatement ps = connection.prepareStatement("SELECT cleanup_consumer_inbox(90)")) {
      ps.execute();
    }
    return actions;
  }

  /** The names of the partitions there are, as the node reads them from get_partition_statistics(). */
  private Set<String> existing() throws SQLException {
    Set<String> out = new HashSet<>();
    try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT partition_name FROM get_partition_statistics()")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /** (table, range end) of every partition past retention, oldest first, as the node finds them. */
  private List<Object[]> expired(LocalDate today) throws SQLException {
    List<Object[]> out = new ArrayList<>();
    for (PartitionedTable t : PartitionedTable.values()) {
      try (PreparedStatement ps = connection.prepareStatement("SELECT (range_to AT TIME ZONE 'UTC')::date FROM get_partition_statistics()"
          + " WHERE table_name = ? AND NOT is_default AND (range_to AT TIME ZONE 'UTC')::date <= ? ORDER BY range_to")) {
        ps.setString(1, t.tableName());
        ps.setDate(2, Date.valueOf(window.retentionCutoff(t, today)));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new Object[] {t.tableName(), rs.getDate(1)});
          }
        }
      }
    }
    return out;
  }

  private void count(Map<String, Integer> actions, String sql, Object... args) throws SQLException {
    if (!first) {
      try {
        Thread.sleep(pauseMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLException("interrupted between maintenance steps", e);
      }
    }
    first = false;
    long t0 = System.nanoTime();
    Map<String, Integer> done = new TreeMap<>();
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          done.merge(rs.getString("action"), 1, Integer::sum);
        }
      }
    }
    done.forEach((action, n) -> actions.merge(action, n, Integer::sum));
    steps.add(new Object[] {sql.replaceAll("SELECT \\* FROM (\\w+)\\(.*", "$1") + " " + (args.length > 0 ? args[0] : "") + " " + done, t0, System.nanoTime()});
  }
}
