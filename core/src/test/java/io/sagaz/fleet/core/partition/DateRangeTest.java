package io.sagaz.fleet.core.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class DateRangeTest {

  @Test
  void parsesTheSeedCliRange() {
    DateRange r = DateRange.parse("2025-01-01:2025-12-31");
    assertThat(r.from()).isEqualTo(LocalDate.of(2025, 1, 1));
    assertThat(r.to()).isEqualTo(LocalDate.of(2025, 12, 31));
    assertThat(r).hasToString("2025-01-01:2025-12-31");
  }

  @Test
  void aSingleDayRangeIsValid() {
    assertThat(DateRange.parse("2025-12-15:2025-12-15").from()).isEqualTo(LocalDate.of(2025, 12, 15));
  }

  @Test
  void fromAfterToIsRefusedNamingTheRange() {
    assertThatThrownBy(() -> DateRange.parse("2025-12-31:2025-01-01"))
        .isInstanceOf(InvalidPartitionInputException.class)
        .hasMessage("invalid range 2025-12-31:2025-01-01: from is after to");
  }

  @Test
  void aMissingSeparatorIsRefused() {
    assertThatThrownBy(() -> DateRange.parse("2025-01-01"))
        .isInstanceOf(InvalidPartitionInputException.class)
        .hasMessageContaining("'2025-01-01'")
        .hasMessageContaining("expected FROM:TO");
    assertThatThrownBy(() -> DateRange.parse("2025-01-01:2025-02-01:2025-03-01"))
        .hasMessageContaining("expected FROM:TO");
  }

  @Test
  void aBadDateIsRefusedNamingWhichEnd() {
    assertThatThrownBy(() -> DateRange.parse("2025-01-01:2025-13-01"))
        .isInstanceOf(InvalidPartitionInputException.class)
        .hasMessageContaining("to date '2025-13-01'");
    assertThatThrownBy(() -> DateRange.parse("yesterday:2025-02-01"))
        .hasMessageContaining("from date 'yesterday'");
  }

  @Test
  void emptyInputIsRefused() {
    assertThatThrownBy(() -> DateRange.parse("")).hasMessageContaining("date range is missing");
  }
}
