package io.sagaz.fleet.core.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PartitionAgeTest {
  private static final LocalDate TODAY = LocalDate.of(2026, 3, 31);

  @Test
  void twelveMMeansTwelveMonthsAsTheSeedCliUsesIt() {
    PartitionAge age = PartitionAge.parse("12m");
    assertThat(age).isEqualTo(new PartitionAge(12, PartitionAge.Unit.MONTHS));
    assertThat(age.before(TODAY)).isEqualTo(LocalDate.of(2025, 3, 31));
  }

  @Test
  void daysWeeksAndYearsParse() {
    assertThat(PartitionAge.parse("30d").before(TODAY)).isEqualTo(LocalDate.of(2026, 3, 1));
    assertThat(PartitionAge.parse("2w").before(TODAY)).isEqualTo(LocalDate.of(2026, 3, 17));
    assertThat(PartitionAge.parse("1y").before(TODAY)).isEqualTo(LocalDate.of(2025, 3, 31));
  }

  @Test
  void monthArithmeticClampsToTheEndOfShorterMonths() {
    assertThat(PartitionAge.parse("1m").before(TODAY)).isEqualTo(LocalDate.of(2026, 2, 28));
  }

  @Test
  void upperCaseAndSpacesAreAccepted() {
    assertThat(PartitionAge.parse(" 12M ")).isEqualTo(PartitionAge.months(12));
    assertThat(PartitionAge.parse("30 d")).isEqualTo(PartitionAge.days(30));
  }

  @Test
  void toStringReadsBack() {
    for (String s : new String[] {"30d", "2w", "12m", "1y"}) {
      assertThat(PartitionAge.parse(s)).hasToString(s);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"12", "m", "12 months", "12h", "-3d", "1.5m", "12m3d", "abc"})
  void malformedAgesAreRefusedNamingTheText(String text) {
    assertThatThrownBy(() -> PartitionAge.parse(text))
        .isInstanceOf(InvalidPartitionInputException.class)
        .hasMessageContaining("'" + text + "'")
        .hasMessageContaining("e.g. 30d or 12m");
  }

  @Test
  void zeroAndHugeAgesAreRefused() {
    assertThatThrownBy(() -> PartitionAge.parse("0d")).hasMessageContaining("was 0");
    assertThatThrownBy(() -> PartitionAge.parse("99999m")).hasMessageContaining("between 1 and 10000");
  }

  @Test
  void missingAgeIsRefused() {
    assertThatThrownBy(() -> PartitionAge.parse(" ")).isInstanceOf(InvalidPartitionInputException.class)
        .hasMessageContaining("age is missing");
    assertThatThrownBy(() -> PartitionAge.parse(null)).isInstanceOf(InvalidPartitionInputException.class);
  }
}
