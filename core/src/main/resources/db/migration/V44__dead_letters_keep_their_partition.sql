-- Dead letters keep their outbox partition, as every other undelivered event does (design.md section
-- 7: a partition that still holds unsent outbox rows is never dropped). They are events the pollers
-- gave up on, not events delivered, and an operator may still replay them; until now retention
-- dropped them with their partition after outbox retention (30 days). A replay moves an event into
-- today's partition (OutboxSql.REPLAY_BY_IDS), so a partition kept for its dead letters goes at the
-- next run after they are replayed, or deleted by hand (docs/operations/RUNBOOKS.md).
--
-- The unsent count adds the dead letters through their own partial index (idx_saga_outbox_dead_letter):
-- still no count reads the partition's heap.
CREATE OR REPLACE FUNCTION sagaz_outbox_unsent(p_part regclass) RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
DECLARE
  v_due bigint;
  v_claimed bigint;
  v_dead bigint;
BEGIN
  EXECUTE format('SELECT count(*) FROM %s WHERE status IN (''pending'', ''failed'')', p_part) INTO v_due;
  EXECUTE format('SELECT count(*) FROM %s WHERE status = ''claimed''', p_part) INTO v_claimed;
  EXECUTE format('SELECT count(*) FROM %s WHERE status = ''dead_letter''', p_part) INTO v_dead;
  RETURN v_due + v_claimed + v_dead;
END $$;

-- Why a partition was kept, in words an operator can act on: the undelivered rows by kind, and what
-- lets the partition go.
CREATE FUNCTION sagaz_outbox_kept_detail(p_part regclass, p_range text) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
  v_dead bigint;
  v_other bigint;
BEGIN
  EXECUTE format('SELECT count(*) FROM %s WHERE status = ''dead_letter''', p_part) INTO v_dead;
  v_other := sagaz_outbox_unsent(p_part) - v_dead;
  RETURN format('%s unsent rows in %s (%s pending, claimed or failed; %s dead letters: replay or delete them); not dropped',
                v_other + v_dead, p_range, v_other, v_dead);
END $$;

-- As in V43, but a kept partition's detail comes from sagaz_outbox_kept_detail.
CREATE OR REPLACE FUNCTION drop_partitions_older_than(p_table text, p_before date)
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
    -- Before the parent: a partition autovacuum is working on would make the DROP wait with the
    -- whole table locked.
    BEGIN
      EXECUTE format('LOCK TABLE %s IN SHARE ROW EXCLUSIVE MODE NOWAIT', r.part);
    EXCEPTION WHEN lock_not_available THEN
      action := 'skipped';
      detail := format('drop: %s is busy (autovacuum or another session holds it); the next run drops it', v_range);
      RETURN NEXT;
      CONTINUE;
    END;
    IF p_table = 'saga_outbox' THEN
      v_unsent := sagaz_outbox_unsent(r.part);
      IF v_unsent = 0 AND NOT v_locked THEN
        EXECUTE format('LOCK TABLE ONLY %s IN ACCESS EXCLUSIVE MODE', v_parent);
        v_locked := true;
        v_unsent := sagaz_outbox_unsent(r.part);
      END IF;
      IF v_unsent > 0 THEN
        action := 'kept';
        detail := sagaz_outbox_kept_detail(r.part, v_range);
        RETURN NEXT;
        CONTINUE;
      END IF;
    ELSIF NOT v_locked THEN
      EXECUTE format('LOCK TABLE ONLY %s IN ACCESS EXCLUSIVE MODE', v_parent);
      v_locked := true;
    END IF;
    EXECUTE format('DROP TABLE %s', r.part);
    action := 'dropped';
    detail := v_range;
    RETURN NEXT;
  END LOOP;
END $$;
