package io.sagaz.fleet.saga.demo;

/** DML on {@code saga_demo_effects}: what the demo participants did, one row per effect. */
final class DemoEffectSql {
  private DemoEffectSql() {}

  /** $1 participant, $2 command id, $3 saga id, $4 step, $5 phase. */
  static final String INSERT = """
      INSERT INTO saga_demo_effects (participant, command_id, saga_id, step, phase)
      VALUES ($1, $2, $3, $4, $5)
      RETURNING id
      """;
}
