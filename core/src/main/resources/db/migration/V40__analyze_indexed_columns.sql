-- Maintenance refreshes the statistics of the columns the fleet's queries filter, join and order on
-- (the columns of the partition's indexes, primary key included), not of every column.
--
-- Why: under a steady write load, ANALYZE of a busy current partition ends in one burst of CPU that
-- computes the statistics of every sampled column (sorting the sample per column). On a small machine
-- that burst takes a core the writers need, and their latency rises for far longer than the burst
-- (docs/decisions.md, "Maintenance is paced"). Most of that work is for jsonb and free-text columns
-- (payload, context, steps, detail, error) that no query of the fleet filters on. Statistics of all
-- columns stay autovacuum's job, which analyzes every column by its own thresholds. A partition
-- without indexes (none in this schema) is analyzed whole.
CREATE OR REPLACE FUNCTION sagaz_partition_analyze_recent(p_table text, p_today date)
RETURNS SETOF sagaz_partition_action
LANGUAGE plpgsql AS $$
DECLARE
  v_current  date := sagaz_partition_start(p_table, p_today);
  v_previous date := sagaz_partition_start(p_table, v_current - 1);
  v_timeout  text := current_setting('lock_timeout');
  v_rows     real;
  v_columns  text;
  r          record;
BEGIN
  FOR r IN SELECT p.part, p.part_name
             FROM sagaz_partitions(p_table) p
             JOIN pg_class c ON c.oid = p.part
            WHERE NOT p.part_is_default
              AND p.part_from < (sagaz_partition_next(p_table, v_current)::timestamp AT TIME ZONE 'UTC')
              AND p.part_to > (v_previous::timestamp AT TIME ZONE 'UTC')
              AND (c.reltuples < 0 OR pg_stat_get_mod_since_analyze(p.part) > 0)
            ORDER BY p.part_from
  LOOP
    SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO v_columns
      FROM pg_attribute a
     WHERE a.attrelid = r.part AND a.attnum > 0 AND NOT a.attisdropped
       AND EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = r.part AND a.attnum = ANY (i.indkey));
    BEGIN
      PERFORM set_config('lock_timeout', '100ms', true);
      EXECUTE format('ANALYZE %s%s', r.part, coalesce(' (' || v_columns || ')', ''));
      PERFORM set_config('lock_timeout', v_timeout, true);
      SELECT c.reltuples INTO v_rows FROM pg_class c WHERE c.oid = r.part;
      RETURN NEXT ROW('analyzed', p_table, r.part_name,
                      format('about %s rows; columns %s', greatest(v_rows, 0)::bigint, coalesce(v_columns, 'all')))::sagaz_partition_action;
    EXCEPTION WHEN lock_not_available THEN
      RETURN NEXT ROW('skipped', p_table, r.part_name,
                      'analyze: busy (autovacuum or another session holds it); left to autovacuum')::sagaz_partition_action;
    END;
  END LOOP;
END $$;
