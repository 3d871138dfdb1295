-- Statistics of the partitions in use are autovacuum's job. Maintenance analyzes a recent partition
-- (the current or the previous period) only where autovacuum will not:
--
-- * a partition never analyzed (no statistics at all: the planner guesses); or
-- * a partition whose statistics are stale by autovacuum's own rule (more rows changed since its last
--   whole ANALYZE than autovacuum_analyze_threshold + autovacuum_analyze_scale_factor * reltuples, the
--   partition's own settings first) while autovacuum is off for it: server setting autovacuum or
--   track_counts off, or the partition's autovacuum_enabled = false.
--
-- It then analyzes the whole partition, as autovacuum would, which also starts autovacuum's count of
-- changed rows over.
--
-- Why: V40 analyzed the indexed columns of the current and previous partitions whenever one row had
-- changed since their last ANALYZE, which under a steady write load is every run. An ANALYZE of some
-- columns does not reset that count (PostgreSQL resets it for a whole-table ANALYZE only), so
-- autovacuum analyzed the same partitions again on its own schedule: the run's ANALYZE was repeated
-- work, every hour. On cached pages it is CPU alone (vacuum_cost_delay barely slows it): 70-100 ms of
-- a core per busy partition even for one column, six per run, at the moment the writers need that
-- core. It was the step of the run that held the writers back most, and it made a run under load
-- 30-40% longer (docs/benchmarks.md, "Maintenance leaves statistics to autovacuum").

-- Whether p_part changed past autovacuum's analyze threshold since its last whole ANALYZE.
CREATE FUNCTION sagaz_statistics_stale(p_part regclass) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT pg_stat_get_mod_since_analyze(c.oid) >
           coalesce((SELECT o.option_value FROM pg_options_to_table(c.reloptions) o
                      WHERE o.option_name = 'autovacuum_analyze_threshold'),
                    current_setting('autovacuum_analyze_threshold'))::real
         + coalesce((SELECT o.option_value FROM pg_options_to_table(c.reloptions) o
                      WHERE o.option_name = 'autovacuum_analyze_scale_factor'),
                    current_setting('autovacuum_analyze_scale_factor'))::real
           * greatest(c.reltuples, 0)
    FROM pg_class c
   WHERE c.oid = p_part
$$;

-- Whether autovacuum analyzes p_part by itself when its statistics go stale.
CREATE FUNCTION sagaz_autovacuum_analyzes(p_part regclass) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT current_setting('autovacuum')::boolean
     AND current_setting('track_counts')::boolean
     AND coalesce((SELECT o.option_value FROM pg_options_to_table(c.reloptions) o
                    WHERE o.option_name = 'autovacuum_enabled'), 'on')::boolean
    FROM pg_class c
   WHERE c.oid = p_part
$$;

-- The current and previous partitions of p_table that autovacuum leaves without statistics, analyzed
-- whole. As in V2, a partition whose lock autovacuum holds is reported 'skipped' after at most 100 ms.
CREATE OR REPLACE FUNCTION sagaz_partition_analyze_recent(p_table text, p_today date)
RETURNS SETOF sagaz_partition_action
LANGUAGE plpgsql AS $$
DECLARE
  v_current  date := sagaz_partition_start(p_table, p_today);
  v_previous date := sagaz_partition_start(p_table, v_current - 1);
  v_timeout  text := current_setting('lock_timeout');
  v_rows     real;
  r          record;
BEGIN
  FOR r IN SELECT p.part, p.part_name
             FROM sagaz_partitions(p_table) p
             JOIN pg_class c ON c.oid = p.part
            WHERE NOT p.part_is_default
              AND p.part_from < (sagaz_partition_next(p_table, v_current)::timestamp AT TIME ZONE 'UTC')
              AND p.part_to > (v_previous::timestamp AT TIME ZONE 'UTC')
              AND (c.reltuples < 0 OR (sagaz_statistics_stale(p.part) AND NOT sagaz_autovacuum_analyzes(p.part)))
            ORDER BY p.part_from
  LOOP
    BEGIN
      PERFORM set_config('lock_timeout', '100ms', true);
      EXECUTE format('ANALYZE %s', r.part);
      PERFORM set_config('lock_timeout', v_timeout, true);
      SELECT c.reltuples INTO v_rows FROM pg_class c WHERE c.oid = r.part;
      RETURN NEXT ROW('analyzed', p_table, r.part_name,
                      format('about %s rows', greatest(v_rows, 0)::bigint))::sagaz_partition_action;
    EXCEPTION WHEN lock_not_available THEN
      RETURN NEXT ROW('skipped', p_table, r.part_name,
                      'analyze: busy (autovacuum or another session holds it); left to autovacuum')::sagaz_partition_action;
    END;
  END LOOP;
END $$;
