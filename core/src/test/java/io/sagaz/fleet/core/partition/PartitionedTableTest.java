package io.sagaz.fleet.core.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class PartitionedTableTest {

  @Test
  void monthlyNamesFollowTheSeedForAnyDayOfTheMonth() {
    assertThat(PartitionedTable.SAGA_EXECUTIONS.partitionName(LocalDate.of(2025, 1, 1))).isEqualTo("saga_executions_y2025m01");
    assertThat(PartitionedTable.SAGA_EXECUTIONS.partitionName(LocalDate.of(2025, 12, 31))).isEqualTo("saga_executions_y2025m12");
    assertThat(PartitionedTable.SAGA_AUDIT_LOG.partitionName(LocalDate.of(2025, 2, 15))).isEqualTo("saga_audit_log_y2025m02");
  }

  @Test
  void dailyOutboxNamesCarryTheDay() {
    assertThat(PartitionedTable.SAGA_OUTBOX.partitionName(LocalDate.of(2025, 1, 15))).isEqualTo("saga_outbox_y2025m01d15");
    assertThat(PartitionedTable.SAGA_OUTBOX.partitionName(LocalDate.of(2024, 2, 29))).isEqualTo("saga_outbox_y2024m02d29");
  }

  @Test
  void periodsAndRetentionAreTheSeedDefaults() {
    assertThat(PartitionedTable.SAGA_EXECUTIONS.period()).isEqualTo(PartitionPeriod.MONTH);
    assertThat(PartitionedTable.SAGA_AUDIT_LOG.period()).isEqualTo(PartitionPeriod.MONTH);
    assertThat(PartitionedTable.SAGA_OUTBOX.period()).isEqualTo(PartitionPeriod.DAY);
    assertThat(PartitionedTable.SAGA_EXECUTIONS.defaultRetention()).isEqualTo(PartitionAge.parse("12m"));
    assertThat(PartitionedTable.SAGA_AUDIT_LOG.defaultRetention()).isEqualTo(PartitionAge.parse("12m"));
    assertThat(PartitionedTable.SAGA_OUTBOX.defaultRetention()).isEqualTo(PartitionAge.parse("30d"));
    assertThat(PartitionedTable.SAGA_OUTBOX.defaultPartitionName()).isEqualTo("saga_outbox_default");
  }

  @Test
  void lookupBySqlNameRefusesUnknownTablesNamingThem() {
    assertThat(PartitionedTable.of("saga_outbox")).isEqualTo(PartitionedTable.SAGA_OUTBOX);
    assertThat(PartitionedTable.of(" saga_audit_log ")).isEqualTo(PartitionedTable.SAGA_AUDIT_LOG);
    assertThatThrownBy(() -> PartitionedTable.of("consumer_inbox"))
        .isInstanceOf(InvalidPartitionInputException.class)
        .hasMessageContaining("'consumer_inbox'")
        .hasMessageContaining("saga_executions, saga_audit_log, saga_outbox");
    assertThatThrownBy(() -> PartitionedTable.of(null)).isInstanceOf(InvalidPartitionInputException.class);
  }

  @Test
  void theSeedCliRangeCoversTwelveMonthlyPartitions() {
    var starts = PartitionedTable.SAGA_EXECUTIONS.partitionStarts(DateRange.parse("2025-01-01:2025-12-31"));
    assertThat(starts).hasSize(12).first().isEqualTo(LocalDate.of(2025, 1, 1));
    assertThat(starts).last().isEqualTo(LocalDate.of(2025, 12, 1));
  }

  @Test
  void aRangeStartingMidMonthIncludesThatWholeMonth() {
    var starts = PartitionedTable.SAGA_AUDIT_LOG.partitionStarts(DateRange.parse("2025-01-20:2025-02-01"));
    assertThat(starts).containsExactly(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 2, 1));
  }

  @Test
  void dailyRangesIncludeBothEnds() {
    var starts = PartitionedTable.SAGA_OUTBOX.partitionStarts(DateRange.parse("2025-02-27:2025-03-01"));
    assertThat(starts).containsExactly(LocalDate.of(2025, 2, 27), LocalDate.of(2025, 2, 28), LocalDate.of(2025, 3, 1));
  }

  @Test
  void tooManyPartitionsAtOnceAreRefused() {
    assertThatThrownBy(() -> PartitionedTable.SAGA_OUTBOX.partitionStarts(DateRange.parse("2020-01-01:2025-01-01")))
        .isInstanceOf(InvalidPartitionInputException.class)
        .hasMessageContaining("1828 saga_outbox partitions")
        .hasMessageContaining("1000");
  }
}
