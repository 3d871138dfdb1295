package io.sagaz.fleet.admin.sql;

/** Reads Flyway's {@code flyway_schema_history} for the readiness check. */
public final class SchemaHistorySql {
  private SchemaHistorySql() {}

  /** Whether Flyway ever ran here (the table exists on the search path). */
  public static final String PRESENT = "SELECT to_regclass('flyway_schema_history') IS NOT NULL AS present";

  /** Applied and failed migrations, and the latest applied version. */
  public static final String SUMMARY = """
      SELECT count(*) FILTER (WHERE success)::int AS applied,
             count(*) FILTER (WHERE NOT success)::int AS failed,
             (SELECT version FROM flyway_schema_history
               WHERE success AND version IS NOT NULL
               ORDER BY installed_rank DESC LIMIT 1) AS version
      FROM flyway_schema_history""";
}
