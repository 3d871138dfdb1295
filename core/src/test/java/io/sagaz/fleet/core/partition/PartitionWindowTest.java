package io.sagaz.fleet.core.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sagaz.fleet.core.config.MaintenanceConfig;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PartitionWindowTest {
  private static final LocalDate TODAY = LocalDate.of(2026, 11, 21);
  private final PartitionWindow defaults = PartitionWindow.defaults();

  @Test
  void monthlyTablesKeepTwelveMonthsBeforeTheCurrentOneAndCreateThreeAhead() {
    assertThat(defaults.retentionCutoff(PartitionedTable.SAGA_EXECUTIONS, TODAY)).isEqualTo(LocalDate.of(2025, 11, 1));
    assertThat(defaults.retentionCutoff(PartitionedTable.SAGA_AUDIT_LOG, TODAY)).isEqualTo(LocalDate.of(2025, 11, 1));
    assertThat(defaults.lastAhead(PartitionedTable.SAGA_EXECUTIONS, TODAY)).isEqualTo(LocalDate.of(2027, 2, 1));
  }

  @Test
  void theOutboxKeepsThirtyDaysAndCreatesSevenAhead() {
    assertThat(defaults.retentionCutoff(PartitionedTable.SAGA_OUTBOX, TODAY)).isEqualTo(LocalDate.of(2026, 10, 22));
    assertThat(defaults.lastAhead(PartitionedTable.SAGA_OUTBOX, TODAY)).isEqualTo(LocalDate.of(2026, 11, 28));
  }

  @Test
  void missingAheadListsThePeriodsFromTodaysWithoutAPartitionOfTheSeedName() {
    Set<String> existing = Set.of("saga_outbox_y2026m11d21", "saga_outbox_y2026m11d23", "saga_outbox_y2026m11d28",
        "saga_executions_y2026m12");
    assertThat(defaults.missingAhead(PartitionedTable.SAGA_OUTBOX, TODAY, existing)).containsExactly(
        LocalDate.of(2026, 11, 22), LocalDate.of(2026, 11, 24), LocalDate.of(2026, 11, 25), LocalDate.of(2026, 11, 26),
        LocalDate.of(2026, 11, 27));
    assertThat(defaults.missingAhead(PartitionedTable.SAGA_EXECUTIONS, TODAY, existing)).containsExactly(
        LocalDate.of(2026, 11, 1), LocalDate.of(2027, 1, 1), LocalDate.of(2027, 2, 1));
  }

  @Test
  void periodsAheadCountsWholePeriodsAfterTheCurrentOne() {
    assertThat(PartitionWindow.periodsAhead(PartitionedTable.SAGA_EXECUTIONS, TODAY, LocalDate.of(2027, 3, 1))).isEqualTo(3);
    assertThat(PartitionWindow.periodsAhead(PartitionedTable.SAGA_EXECUTIONS, TODAY, LocalDate.of(2026, 12, 1))).isZero();
    assertThat(PartitionWindow.periodsAhead(PartitionedTable.SAGA_OUTBOX, TODAY, LocalDate.of(2026, 11, 29))).isEqualTo(7);
    assertThat(PartitionWindow.periodsAhead(PartitionedTable.SAGA_OUTBOX, TODAY, LocalDate.of(2026, 11, 20))).isEqualTo(-2);
  }

  @Test
  void takesItsFiguresFromTheMaintenanceConfig() {
    var cfg = new MaintenanceConfig(Duration.ofHours(1), Duration.ofSeconds(15), Duration.ofSeconds(1), 2, 5, 6, 10, 90);
    assertThat(PartitionWindow.of(cfg)).isEqualTo(new PartitionWindow(2, 5, 6, 10));
  }

  @Test
  void outOfRangeSettingsAreRefusedNamingThem() {
    assertThatThrownBy(() -> new PartitionWindow(-1, 7, 12, 30)).hasMessageContaining("monthsAhead").hasMessageContaining("-1");
    assertThatThrownBy(() -> new PartitionWindow(3, 5000, 12, 30)).hasMessageContaining("daysAhead");
    assertThatThrownBy(() -> new PartitionWindow(3, 7, 0, 30)).hasMessageContaining("executionsRetentionMonths");
    assertThatThrownBy(() -> new PartitionWindow(3, 7, 12, 0)).hasMessageContaining("outboxRetentionDays");
  }
}
