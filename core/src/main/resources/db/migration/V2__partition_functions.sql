-- Sagaz Fleet schema, part 2: the partition functions with the seed names (design.md section 3).
--
-- Public functions (the seed runbook and the maintenance leader call these; signatures are contract):
--   create_saga_executions_partition(date), create_saga_audit_log_partition(date),
--   create_saga_outbox_partition(date), create_partitions(table, from, to),
--   drop_partitions_older_than(table, before), maintain_all_partitions(...), maintain_partitions(),
--   get_partition_statistics(), cleanup_consumer_inbox(days).
-- Helpers are prefixed sagaz_partition_ / sagaz_ and are not part of the contract.
--
-- Rules every function here follows:
-- * Periods are UTC: a monthly partition covers [YYYY-MM-01 00:00 UTC, next month), a daily one
--   [day 00:00 UTC, next day). Bounds are written with an explicit +00 offset, so the session's
--   TimeZone never changes which partition a row lands in.
-- * Table names are checked against the three partitioned tables before anything else; every other
--   identifier comes from the catalog (regclass) or from a date, and is quoted with format('%I').
-- * DDL never queues behind a long transaction: while a DDL statement waits for its lock, every
--   writer that arrives after it waits too. When the caller has not set lock_timeout, the functions
--   set it to 100ms for the rest of the transaction (SET LOCAL), so a write load is never held up
--   longer than that by a lock wait; a step that times out fails (or, in maintain_all_partitions, is
--   reported 'skipped') and the caller retries. Callers that may wait longer set lock_timeout first.
-- * New partitions are made in two steps, not with CREATE TABLE ... PARTITION OF (which locks the
--   parent ACCESS EXCLUSIVE): a standalone CREATE TABLE (LIKE parent INCLUDING INDEXES ...), which
--   locks nothing anyone waits for, then ATTACH PARTITION, which takes only SHARE UPDATE EXCLUSIVE on
--   the parent and adopts the indexes instead of building them, so writers keep inserting. Rows of
--   the new range that sit in the DEFAULT partition are moved into the new table before it is
--   attached (on PostgreSQL 15 and 17 a DEFAULT partition holding such rows makes the attach fail).
-- * DETACH ... CONCURRENTLY cannot run inside a function, so drops take ACCESS EXCLUSIVE on the
--   parent until the transaction ends; maintain_all_partitions does them in its last phase.

-- One row of what a partition function did; used to buffer rows inside exception blocks (a row
-- returned with RETURN NEXT survives the rollback of the block that produced it, so steps that may
-- fail collect their rows first and return them only once the step committed).
CREATE TYPE sagaz_partition_action AS (
    action         text,
    table_name     text,
    partition_name text,
    detail         text
);

-- 'month' or 'day' for the three partitioned tables; anything else is refused (22023). This is the
-- gate that keeps caller-supplied text out of dynamic SQL.
CREATE FUNCTION sagaz_partition_period(p_table text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  IF p_table IN ('saga_executions', 'saga_audit_log') THEN
    RETURN 'month';
  ELSIF p_table = 'saga_outbox' THEN
    RETURN 'day';
  END IF;
  RAISE EXCEPTION 'unknown partitioned table %: expected saga_executions, saga_audit_log or saga_outbox',
      coalesce(quote_literal(p_table), 'NULL')
    USING ERRCODE = '22023';
END $$;

-- Today in UTC, the day all period arithmetic starts from.
CREATE FUNCTION sagaz_today() RETURNS date
LANGUAGE sql STABLE AS $$
  SELECT (now() AT TIME ZONE 'UTC')::date
$$;

-- First day of the period of p_table that contains p_date.
CREATE FUNCTION sagaz_partition_start(p_table text, p_date date) RETURNS date
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE sagaz_partition_period(p_table)
           WHEN 'month' THEN date_trunc('month', p_date::timestamp)::date
           ELSE p_date
         END
$$;

-- First day of the period after the one starting at p_start.
CREATE FUNCTION sagaz_partition_next(p_table text, p_start date) RETURNS date
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE sagaz_partition_period(p_table)
           WHEN 'month' THEN (p_start + interval '1 month')::date
           ELSE p_start + 1
         END
$$;

-- The seed's partition name: saga_executions_y2025m01, saga_outbox_y2025m01d15.
CREATE FUNCTION sagaz_partition_name(p_table text, p_date date) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT p_table || to_char(sagaz_partition_start(p_table, p_date),
                            CASE sagaz_partition_period(p_table)
                              WHEN 'month' THEN '"_y"YYYY"m"MM'
                              ELSE '"_y"YYYY"m"MM"d"DD'
                            END)
$$;

-- A partition bound literal for midnight UTC of p_date.
CREATE FUNCTION sagaz_partition_bound(p_date date) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT to_char(p_date, 'YYYY-MM-DD') || ' 00:00:00+00'
$$;

-- The partitioned table itself; 42P01 when it is missing (e.g. migrations not applied).
CREATE FUNCTION sagaz_partition_parent(p_table text) RETURNS regclass
LANGUAGE plpgsql STABLE AS $$
DECLARE
  v_parent regclass;
BEGIN
  PERFORM sagaz_partition_period(p_table);
  SELECT c.oid::regclass INTO v_parent
    FROM pg_class c
   WHERE c.oid = to_regclass(quote_ident(p_table)) AND c.relkind = 'p';
  IF v_parent IS NULL THEN
    RAISE EXCEPTION 'partitioned table % does not exist in the search path', p_table USING ERRCODE = '42P01';
  END IF;
  RETURN v_parent;
END $$;

-- Every partition of p_table with its range, read from the catalog (so partitions made by hand
-- under other names are seen too). Bounds are rendered and parsed back in the same session, so the
-- session's DateStyle and TimeZone cancel out. MINVALUE/MAXVALUE bounds come back as NULL.
CREATE FUNCTION sagaz_partitions(p_table text)
RETURNS TABLE(part regclass, part_schema text, part_name text, part_from timestamptz,
              part_to timestamptz, part_is_default boolean)
LANGUAGE sql STABLE AS $$
  SELECT c.oid::regclass, n.nspname::text, c.relname::text,
         substring(b.expr FROM 'FROM \(''([^'']*)''\)')::timestamptz,
         substring(b.expr FROM 'TO \(''([^'']*)''\)')::timestamptz,
         b.expr = 'DEFAULT'
    FROM pg_inherits i
    JOIN pg_class c ON c.oid = i.inhrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    CROSS JOIN LATERAL (SELECT pg_get_expr(c.relpartbound, c.oid) AS expr) b
   WHERE i.inhparent = sagaz_partition_parent(p_table)
$$;

-- The DEFAULT partition of p_table, or NULL.
CREATE FUNCTION sagaz_partition_default(p_table text) RETURNS regclass
LANGUAGE sql STABLE AS $$
  SELECT NULLIF(pt.partdefid, 0)::regclass
    FROM pg_partitioned_table pt
   WHERE pt.partrelid = sagaz_partition_parent(p_table)
$$;

-- Rows sitting in the DEFAULT partition of p_table, grouped by the period they belong to.
CREATE FUNCTION sagaz_partition_default_periods(p_table text)
RETURNS TABLE(period_start date, row_count bigint)
LANGUAGE plpgsql STABLE AS $$
DECLARE
  v_default regclass := sagaz_partition_default(p_table);
BEGIN
  IF v_default IS NULL THEN
    RETURN;
  END IF;
  RETURN QUERY EXECUTE format(
      'SELECT date_trunc(%L, created_at AT TIME ZONE ''UTC'')::date, count(*) FROM %s GROUP BY 1',
      sagaz_partition_period(p_table), v_default);
END $$;

-- Applies a 100ms lock_timeout to the current transaction unless the caller chose one.
CREATE FUNCTION sagaz_apply_lock_timeout() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('lock_timeout') = '0' THEN
    PERFORM set_config('lock_timeout', '100ms', true);
  END IF;
END $$;

-- Outbox rows of one partition that are not delivered yet.
CREATE FUNCTION sagaz_outbox_unsent(p_part regclass) RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
DECLARE
  v_count bigint;
BEGIN
  EXECUTE format('SELECT count(*) FROM %s WHERE status IN (''pending'', ''claimed'', ''failed'')', p_part)
     INTO v_count;
  RETURN v_count;
END $$;

-- Step 1 of creating a partition: the new table, standalone, with the parent's columns, defaults,
-- CHECK constraints and indexes. Building the (empty) indexes is the slow part of making a partition
-- (it syncs each index file); done here it holds no lock anyone else waits for (LIKE reads the
-- parent under ACCESS SHARE), and the ATTACH of step 2 adopts the indexes instead of building them.
CREATE FUNCTION sagaz_partition_prepare(p_table text, p_start date) RETURNS regclass
LANGUAGE plpgsql AS $$
DECLARE
  v_parent regclass := sagaz_partition_parent(p_table);
  v_schema text;
  v_name   text := sagaz_partition_name(p_table, p_start);
BEGIN
  SELECT n.nspname INTO v_schema
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE c.oid = v_parent;
  EXECUTE format('CREATE TABLE %I.%I (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING INDEXES)',
                 v_schema, v_name, v_parent);
  RETURN format('%I.%I', v_schema, v_name)::regclass;
END $$;

-- Step 2: lock the DEFAULT partition (ATTACH would lock it anyway; locking first means no row of the
-- range can slip into it between the move and the attach), move its rows of the range into the new
-- table, and attach the table. Takes SHARE UPDATE EXCLUSIVE on the parent, which writers do not
-- conflict with, and ACCESS EXCLUSIVE on the DEFAULT partition until the end of the transaction.
CREATE FUNCTION sagaz_partition_attach(p_table text, p_start date, p_part regclass) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  v_parent  regclass := sagaz_partition_parent(p_table);
  v_default regclass := sagaz_partition_default(p_table);
  v_from    text := sagaz_partition_bound(p_start);
  v_to      text := sagaz_partition_bound(sagaz_partition_next(p_table, p_start));
  v_cols    text;
  v_moved   bigint := 0;
BEGIN
  PERFORM sagaz_apply_lock_timeout();
  IF v_default IS NOT NULL THEN
    EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', v_default);
    SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO v_cols
      FROM pg_attribute a
     WHERE a.attrelid = v_parent AND a.attnum > 0 AND NOT a.attisdropped;
    EXECUTE format('WITH moved AS (DELETE FROM %s WHERE created_at >= %L AND created_at < %L RETURNING %s) '
                   'INSERT INTO %s (%s) SELECT %s FROM moved',
                   v_default, v_from, v_to, v_cols, p_part, v_cols, v_cols);
    GET DIAGNOSTICS v_moved = ROW_COUNT;
  END IF;
  EXECUTE format('ALTER TABLE %s ATTACH PARTITION %s FOR VALUES FROM (%L) TO (%L)', v_parent, p_part, v_from, v_to);
  RETURN v_moved;
END $$;

-- Makes sure the period of p_table containing p_date has a partition. Idempotent: when a partition
-- already covers (any of) the period, nothing happens and its name is returned.
CREATE FUNCTION sagaz_partition_ensure(p_table text, p_date date,
                                       OUT partition_name text, OUT created boolean, OUT moved_rows bigint,
                                       OUT part_oid regclass)
LANGUAGE plpgsql AS $$
DECLARE
  v_start date;
BEGIN
  IF p_date IS NULL THEN
    RAISE EXCEPTION 'partition date for % must not be NULL', p_table USING ERRCODE = '22023';
  END IF;
  v_start := sagaz_partition_start(p_table, p_date);
  created := false;
  moved_rows := 0;
  SELECT c.part_name, c.part INTO partition_name, part_oid
    FROM sagaz_partition_covering(p_table, v_start, sagaz_partition_next(p_table, v_start)) c;
  IF partition_name IS NOT NULL THEN
    RETURN;
  END IF;
  PERFORM sagaz_apply_lock_timeout();
  part_oid := sagaz_partition_prepare(p_table, v_start);
  moved_rows := sagaz_partition_attach(p_table, v_start, part_oid);
  partition_name := sagaz_partition_name(p_table, v_start);
  created := true;
END $$;

-- The partition of p_table overlapping [p_start, p_end), if there is one.
CREATE FUNCTION sagaz_partition_covering(p_table text, p_start date, p_end date)
RETURNS TABLE(part regclass, part_name text)
LANGUAGE sql STABLE AS $$
  SELECT p.part, p.part_name
    FROM sagaz_partitions(p_table) p
   WHERE NOT p.part_is_default
     AND coalesce(p.part_from < (p_end::timestamp AT TIME ZONE 'UTC'), true)
     AND coalesce(p.part_to > (p_start::timestamp AT TIME ZONE 'UTC'), true)
   ORDER BY p.part_from
   LIMIT 1
$$;

-- "[2025-01-01, 2025-02-01)" for reports.
CREATE FUNCTION sagaz_partition_range_text(p_from timestamptz, p_to timestamptz) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT format('[%s, %s)',
                coalesce(to_char(p_from AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 'MINVALUE'),
                coalesce(to_char(p_to AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 'MAXVALUE'))
$$;

-- Seed runbook: SELECT create_saga_executions_partition('2025-12-01'::DATE);
-- Any date of the month will do; returns the partition's name, whether it was created now or not.
CREATE FUNCTION create_saga_executions_partition(p_month date) RETURNS text
LANGUAGE sql AS $$
  SELECT e.partition_name FROM sagaz_partition_ensure('saga_executions', p_month) e
$$;

CREATE FUNCTION create_saga_audit_log_partition(p_month date) RETURNS text
LANGUAGE sql AS $$
  SELECT e.partition_name FROM sagaz_partition_ensure('saga_audit_log', p_month) e
$$;

-- Seed runbook: SELECT create_saga_outbox_partition('2025-12-15'::DATE);
CREATE FUNCTION create_saga_outbox_partition(p_day date) RETURNS text
LANGUAGE sql AS $$
  SELECT e.partition_name FROM sagaz_partition_ensure('saga_outbox', p_day) e
$$;

-- Every partition of p_table covering [p_from, p_to] (both ends inclusive, whole periods). One row
-- per period ('created' or 'exists') plus a 'moved' row where rows came out of DEFAULT. Bad input
-- raises 22023 before anything is created; any failure rolls the whole call back.
CREATE FUNCTION create_partitions(p_table text, p_from date, p_to date)
RETURNS TABLE(action text, table_name text, partition_name text, detail text)
LANGUAGE plpgsql AS $$
DECLARE
  v_start date;
  v_last  date;
  v_count int;
  e       record;
BEGIN
  PERFORM sagaz_partition_parent(p_table);
  IF p_from IS NULL OR p_to IS NULL THEN
    RAISE EXCEPTION 'create_partitions(%): range from % to % must have both ends', p_table,
        coalesce(p_from::text, 'NULL'), coalesce(p_to::text, 'NULL')
      USING ERRCODE = '22023';
  END IF;
  IF p_from > p_to THEN
    RAISE EXCEPTION 'create_partitions(%): from % is after to %', p_table, p_from, p_to USING ERRCODE = '22023';
  END IF;
  v_start := sagaz_partition_start(p_table, p_from);
  v_last := sagaz_partition_start(p_table, p_to);
  v_count := CASE sagaz_partition_period(p_table)
               WHEN 'month' THEN ((extract(year FROM v_last) - extract(year FROM v_start)) * 12
                                  + extract(month FROM v_last) - extract(month FROM v_start))::int + 1
               ELSE v_last - v_start + 1
             END;
  IF v_count > 1000 THEN
    RAISE EXCEPTION 'create_partitions(%): range % to % spans % partitions, more than 1000 at once',
        p_table, p_from, p_to, v_count
      USING ERRCODE = '22023';
  END IF;

  WHILE v_start <= v_last LOOP
    SELECT * INTO e FROM sagaz_partition_ensure(p_table, v_start);
    action := CASE WHEN e.created THEN 'created' ELSE 'exists' END;
    table_name := p_table;
    partition_name := e.partition_name;
    detail := sagaz_partition_range_text(v_start::timestamp AT TIME ZONE 'UTC',
                                         sagaz_partition_next(p_table, v_start)::timestamp AT TIME ZONE 'UTC');
    RETURN NEXT;
    IF e.moved_rows > 0 THEN
      action := 'moved';
      detail := format('%s rows moved out of %s', e.moved_rows, sagaz_partition_default(p_table));
      RETURN NEXT;
    END IF;
    v_start := sagaz_partition_next(p_table, v_start);
  END LOOP;
END $$;

-- Drops the partitions of p_table whose whole range ends on or before p_before (midnight UTC).
-- Never drops the DEFAULT partition, and never drops a saga_outbox partition that still holds
-- pending, claimed or failed rows: those are reported as 'kept' with the count. The outbox check is
-- made once without a lock (so kept partitions cost no lock) and again under the parent's ACCESS
-- EXCLUSIVE lock, which the drop needs anyway and which stops a replay from turning a row back to
-- pending between the check and the drop. The parent is locked before the partitions are dropped,
-- the order PostgreSQL's own DROP uses.
CREATE FUNCTION drop_partitions_older_than(p_table text, p_before date)
RETURNS TABLE(action text, table_name text, partition_name text, detail text)
LANGUAGE plpgsql AS $$
DECLARE
  v_parent regclass := sagaz_partition_parent(p_table);
  v_locked boolean := false;
  v_unsent bigint;
  v_range  text;
  r        record;
BEGIN
  IF p_before IS NULL THEN
    RAISE EXCEPTION 'drop_partitions_older_than(%): the cut-off date must not be NULL', p_table USING ERRCODE = '22023';
  END IF;
  IF p_before > sagaz_today() THEN
    RAISE EXCEPTION 'drop_partitions_older_than(%): cut-off % is in the future (today is % UTC); refusing to drop current partitions',
        p_table, p_before, sagaz_today()
      USING ERRCODE = '22023';
  END IF;
  PERFORM sagaz_apply_lock_timeout();

  FOR r IN SELECT p.part, p.part_name, p.part_from, p.part_to
             FROM sagaz_partitions(p_table) p
            WHERE NOT p.part_is_default
              AND p.part_to <= (p_before::timestamp AT TIME ZONE 'UTC')
            ORDER BY p.part_from NULLS FIRST
  LOOP
    table_name := p_table;
    partition_name := r.part_name;
    v_range := sagaz_partition_range_text(r.part_from, r.part_to);
    IF p_table = 'saga_outbox' THEN
      v_unsent := sagaz_outbox_unsent(r.part);
      IF v_unsent = 0 AND NOT v_locked THEN
        EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', v_parent);
        v_locked := true;
        v_unsent := sagaz_outbox_unsent(r.part);
      END IF;
      IF v_unsent > 0 THEN
        action := 'kept';
        detail := format('%s unsent rows (pending, claimed or failed) in %s; not dropped', v_unsent, v_range);
        RETURN NEXT;
        CONTINUE;
      END IF;
    ELSIF NOT v_locked THEN
      EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', v_parent);
      v_locked := true;
    END IF;
    EXECUTE format('DROP TABLE %s', r.part);
    action := 'dropped';
    detail := v_range;
    RETURN NEXT;
  END LOOP;
END $$;

-- ANALYZE the partitions of p_table covering the current and the previous period that changed since
-- their last analyze (or were never analyzed): the ones whose statistics are going stale. ANALYZE
-- takes SHARE UPDATE EXCLUSIVE on the partition only, which writers do not conflict with; when
-- autovacuum already holds that lock (it is vacuuming or analyzing the partition) the partition is
-- reported 'skipped' after at most 100 ms instead of waiting for autovacuum to finish.
CREATE FUNCTION sagaz_partition_analyze_recent(p_table text, p_today date)
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
              AND (c.reltuples < 0 OR pg_stat_get_mod_since_analyze(p.part) > 0)
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

-- First day of the last period maintenance keeps ahead: the current month plus p_months_ahead for
-- monthly tables, today plus p_days_ahead for the outbox.
CREATE FUNCTION sagaz_partition_window_end(p_table text, p_today date, p_months_ahead int, p_days_ahead int)
RETURNS date
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE sagaz_partition_period(p_table)
           WHEN 'month' THEN (date_trunc('month', p_today::timestamp) + make_interval(months => p_months_ahead))::date
           ELSE p_today + p_days_ahead
         END
$$;

-- The date on or before which a partition's range must end for retention to drop it: the current
-- month minus the retention for monthly tables, today minus the retention for the outbox.
CREATE FUNCTION sagaz_partition_cutoff(p_table text, p_today date, p_retention_months int, p_retention_days int)
RETURNS date
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE sagaz_partition_period(p_table)
           WHEN 'month' THEN (date_trunc('month', p_today::timestamp) - make_interval(months => p_retention_months))::date
           ELSE p_today - p_retention_days
         END
$$;

-- A partition maintain_all_partitions has prepared and will attach.
CREATE TYPE sagaz_partition_plan AS (
    table_name   text,
    period_start date,
    part         regclass
);

-- Seed runbook: SELECT * FROM maintain_all_partitions();
-- One run of partition maintenance; one row per action:
--   created  a partition made ahead, or for rows found in DEFAULT within retention
--   moved    rows moved out of DEFAULT into the partition just created
--   analyzed a recently written partition (or one that just received moved rows) was analyzed
--   dropped  a partition past retention was dropped
--   kept     an outbox partition past retention still holds unsent rows, or DEFAULT holds rows
--            outside the maintained window; nothing was dropped or moved
--   skipped  a step could not get its lock within lock_timeout (or hit a deadlock); it is rolled
--            back on its own and the rest of the run goes on; the next run retries it
-- Monthly tables keep the current month, p_months_ahead months after it, and the
-- p_executions_retention_months months before it; the outbox keeps today, p_days_ahead days after
-- it and p_outbox_retention_days days before it (all UTC). saga_audit_log uses the executions
-- retention.
--
-- The run is one transaction, so every lock it takes is held until it ends. The phases are ordered
-- so that what blocks writers comes last and is short:
--   1. ANALYZE recent partitions (SHARE UPDATE EXCLUSIVE on those partitions: blocks no writer).
--   2. Prepare every partition to create, indexes included (locks nothing anyone waits for), and
--      report rows in DEFAULT that are outside the window.
--   3. Per table, tables with nothing to drop first: the drops (ACCESS EXCLUSIVE on the parent,
--      which writers wait for from here to the end of the run), then the attaches (catalog work
--      only, the indexes already exist). The parent is locked before the DEFAULT partition, the
--      order readers of the parent use, so a reader queued on DEFAULT cannot deadlock the drop.
CREATE FUNCTION maintain_all_partitions(p_months_ahead int DEFAULT 3,
                                        p_days_ahead int DEFAULT 7,
                                        p_executions_retention_months int DEFAULT 12,
                                        p_outbox_retention_days int DEFAULT 30)
RETURNS TABLE(action text, table_name text, partition_name text, detail text)
LANGUAGE plpgsql AS $$
DECLARE
  v_all     text[] := ARRAY['saga_executions', 'saga_audit_log', 'saga_outbox'];
  v_today   date := sagaz_today();
  v_table   text;
  v_tables  text[];
  v_rows    sagaz_partition_action[];
  v_plans   sagaz_partition_plan[] := '{}';
  v_plan    sagaz_partition_plan;
  v_start   date;
  v_ahead   date;
  v_cutoff  date;
  v_moved   bigint;
  v_outside bigint;
BEGIN
  IF p_months_ahead IS NULL OR p_months_ahead NOT BETWEEN 0 AND 120 THEN
    RAISE EXCEPTION 'maintain_all_partitions: p_months_ahead must be between 0 and 120, was %',
        coalesce(p_months_ahead::text, 'NULL') USING ERRCODE = '22023';
  END IF;
  IF p_days_ahead IS NULL OR p_days_ahead NOT BETWEEN 0 AND 1000 THEN
    RAISE EXCEPTION 'maintain_all_partitions: p_days_ahead must be between 0 and 1000, was %',
        coalesce(p_days_ahead::text, 'NULL') USING ERRCODE = '22023';
  END IF;
  IF p_executions_retention_months IS NULL OR p_executions_retention_months < 1 THEN
    RAISE EXCEPTION 'maintain_all_partitions: p_executions_retention_months must be at least 1, was %',
        coalesce(p_executions_retention_months::text, 'NULL') USING ERRCODE = '22023';
  END IF;
  IF p_outbox_retention_days IS NULL OR p_outbox_retention_days < 1 THEN
    RAISE EXCEPTION 'maintain_all_partitions: p_outbox_retention_days must be at least 1, was %',
        coalesce(p_outbox_retention_days::text, 'NULL') USING ERRCODE = '22023';
  END IF;
  PERFORM sagaz_apply_lock_timeout();

  -- 1. Statistics of the partitions that took writes recently.
  FOREACH v_table IN ARRAY v_all LOOP
    BEGIN
      v_rows := ARRAY(SELECT a FROM sagaz_partition_analyze_recent(v_table, v_today) a);
    EXCEPTION WHEN lock_not_available OR deadlock_detected THEN
      v_rows := ARRAY[ROW('skipped', v_table, NULL, 'analyze: ' || SQLERRM)::sagaz_partition_action];
    END;
    RETURN QUERY SELECT * FROM unnest(v_rows);
  END LOOP;

  -- 2. Prepare the periods ahead and every period within retention that has rows in DEFAULT.
  FOREACH v_table IN ARRAY v_all LOOP
    v_ahead := sagaz_partition_window_end(v_table, v_today, p_months_ahead, p_days_ahead);
    v_cutoff := sagaz_partition_cutoff(v_table, v_today, p_executions_retention_months, p_outbox_retention_days);
    FOR v_start IN
        SELECT s.d::date
          FROM generate_series(sagaz_partition_start(v_table, v_today)::timestamp, v_ahead::timestamp,
                               CASE sagaz_partition_period(v_table) WHEN 'month' THEN interval '1 month'
                                                                    ELSE interval '1 day' END) s(d)
        UNION
        SELECT dp.period_start
          FROM sagaz_partition_default_periods(v_table) dp
         WHERE dp.period_start >= v_cutoff AND dp.period_start <= v_ahead
        ORDER BY 1
    LOOP
      CONTINUE WHEN EXISTS (SELECT 1 FROM sagaz_partition_covering(v_table, v_start, sagaz_partition_next(v_table, v_start)));
      BEGIN
        v_plans := v_plans || ROW(v_table, v_start, sagaz_partition_prepare(v_table, v_start))::sagaz_partition_plan;
      EXCEPTION WHEN lock_not_available OR deadlock_detected THEN
        action := 'skipped'; table_name := v_table; partition_name := sagaz_partition_name(v_table, v_start);
        detail := 'create: ' || SQLERRM;
        RETURN NEXT;
      END;
    END LOOP;

    -- Rows in DEFAULT outside the window are reported, never moved or deleted. Counted here, before
    -- phase 3 takes locks writers wait for.
    SELECT sum(dp.row_count) INTO v_outside
      FROM sagaz_partition_default_periods(v_table) dp
     WHERE dp.period_start < v_cutoff OR dp.period_start > v_ahead;
    IF v_outside > 0 THEN
      action := 'kept';
      table_name := v_table;
      partition_name := (sagaz_partition_default(v_table))::text;
      detail := format('%s rows outside the maintained window %s stay in DEFAULT', v_outside,
                       sagaz_partition_range_text(v_cutoff::timestamp AT TIME ZONE 'UTC',
                                                  sagaz_partition_next(v_table, v_ahead)::timestamp AT TIME ZONE 'UTC'));
      RETURN NEXT;
    END IF;
  END LOOP;

  -- 3. Drops, then attaches, table by table; tables with nothing to drop first.
  v_tables := ARRAY(
      SELECT t.name
        FROM unnest(v_all) WITH ORDINALITY t(name, ord)
       ORDER BY EXISTS (SELECT 1 FROM sagaz_partitions(t.name) p
                         WHERE NOT p.part_is_default
                           AND p.part_to <= (sagaz_partition_cutoff(t.name, v_today, p_executions_retention_months,
                                                                    p_outbox_retention_days)::timestamp AT TIME ZONE 'UTC')),
                t.ord);
  FOREACH v_table IN ARRAY v_tables LOOP
    v_cutoff := sagaz_partition_cutoff(v_table, v_today, p_executions_retention_months, p_outbox_retention_days);
    BEGIN
      v_rows := ARRAY(SELECT ROW(d.action, d.table_name, d.partition_name, d.detail)::sagaz_partition_action
                        FROM drop_partitions_older_than(v_table, v_cutoff) d);
    EXCEPTION WHEN lock_not_available OR deadlock_detected THEN
      v_rows := ARRAY[ROW('skipped', v_table, NULL, 'drop: ' || SQLERRM)::sagaz_partition_action];
    END;
    RETURN QUERY SELECT * FROM unnest(v_rows);

    FOREACH v_plan IN ARRAY v_plans LOOP
      CONTINUE WHEN v_plan.table_name <> v_table;
      v_rows := '{}';
      BEGIN
        v_moved := sagaz_partition_attach(v_table, v_plan.period_start, v_plan.part);
        v_rows := v_rows || ROW('created', v_table, sagaz_partition_name(v_table, v_plan.period_start),
            sagaz_partition_range_text(v_plan.period_start::timestamp AT TIME ZONE 'UTC',
                                       sagaz_partition_next(v_table, v_plan.period_start)::timestamp AT TIME ZONE 'UTC'))::sagaz_partition_action;
        IF v_moved > 0 THEN
          v_rows := v_rows || ROW('moved', v_table, sagaz_partition_name(v_table, v_plan.period_start),
              format('%s rows moved out of %s', v_moved, sagaz_partition_default(v_table)))::sagaz_partition_action;
          EXECUTE format('ANALYZE %s', v_plan.part);
          v_rows := v_rows || ROW('analyzed', v_table, sagaz_partition_name(v_table, v_plan.period_start),
              format('about %s rows', v_moved))::sagaz_partition_action;
        END IF;
      EXCEPTION WHEN lock_not_available OR deadlock_detected THEN
        -- The prepared table must not outlive the run unattached.
        EXECUTE format('DROP TABLE %s', v_plan.part);
        v_rows := ARRAY[ROW('skipped', v_table, sagaz_partition_name(v_table, v_plan.period_start),
                            'create: ' || SQLERRM)::sagaz_partition_action];
      END;
      RETURN QUERY SELECT * FROM unnest(v_rows);
    END LOOP;

  END LOOP;
END $$;

-- The seed's CronJob statement: SELECT maintain_partitions();
CREATE FUNCTION maintain_partitions() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM maintain_all_partitions();
END $$;

-- Seed runbook: SELECT * FROM get_partition_statistics();
-- One row per partition of the three tables. estimated_rows comes from the planner's statistics
-- (0 when never analyzed); row_count is an exact count for DEFAULT partitions only, where rows
-- should not be, and NULL for the others (counting them would scan the whole history).
CREATE FUNCTION get_partition_statistics()
RETURNS TABLE(table_name text, partition_name text, range_from timestamptz, range_to timestamptz,
              is_default boolean, estimated_rows bigint, row_count bigint, total_bytes bigint)
LANGUAGE plpgsql STABLE AS $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT t.name, p.part, p.part_name, p.part_from, p.part_to, p.part_is_default, c.reltuples
             FROM unnest(ARRAY['saga_executions', 'saga_audit_log', 'saga_outbox']) WITH ORDINALITY t(name, ord)
             CROSS JOIN LATERAL sagaz_partitions(t.name) p
             JOIN pg_class c ON c.oid = p.part
            ORDER BY t.ord, p.part_is_default, p.part_from
  LOOP
    table_name := r.name;
    partition_name := r.part_name;
    range_from := r.part_from;
    range_to := r.part_to;
    is_default := r.part_is_default;
    estimated_rows := greatest(r.reltuples, 0)::bigint;
    row_count := NULL;
    IF r.part_is_default THEN
      EXECUTE format('SELECT count(*) FROM %s', r.part) INTO row_count;
    END IF;
    total_bytes := pg_total_relation_size(r.part);
    RETURN NEXT;
  END LOOP;
END $$;

-- Seed runbook: SELECT cleanup_consumer_inbox(90);
-- Deletes inbox entries processed more than `days` days ago; returns how many.
CREATE FUNCTION cleanup_consumer_inbox(days int) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  v_deleted bigint;
BEGIN
  IF cleanup_consumer_inbox.days IS NULL OR cleanup_consumer_inbox.days <= 0 THEN
    RAISE EXCEPTION 'cleanup_consumer_inbox: days must be a positive number of days, was %',
        coalesce(cleanup_consumer_inbox.days::text, 'NULL')
      USING ERRCODE = '22023';
  END IF;
  DELETE FROM consumer_inbox
   WHERE processed_at < now() - cleanup_consumer_inbox.days * interval '1 day';
  GET DIAGNOSTICS v_deleted = ROW_COUNT;
  RETURN v_deleted;
END $$;
