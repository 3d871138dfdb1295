-- Dropping a partition past retention no longer waits for other sessions' locks on partitions:
--
-- * The table is locked with LOCK TABLE ONLY. V2's LOCK TABLE saga_outbox IN ACCESS EXCLUSIVE MODE
--   also locked every partition of the table (LOCK TABLE recurses into partitions), so the drop
--   waited for every session that held any lock on any partition, not only on the one it drops,
--   while the writers queued behind it. A DROP of a partition needs the parent's lock and its own,
--   no other.
-- * Before the table, the partition is locked SHARE ROW EXCLUSIVE with NOWAIT; a partition that
--   something is working on or writing to is reported 'skipped' at once (the next run drops it).
--   Autovacuum and ANALYZE hold SHARE UPDATE EXCLUSIVE, which conflicts: an anti-wraparound VACUUM
--   of old data, which autovacuum does not give up for anyone, would otherwise make the DROP wait
--   with the whole table locked until lock_timeout (100 ms) ended the step, and again at every
--   retry. Readers (and claims, FOR UPDATE) do not conflict with it; and since it is taken without
--   waiting, it cannot join a deadlock. Held from here on, it also keeps rows of this partition
--   from being written between the outbox's unsent check and the drop.
--
-- Otherwise as in V2: never the DEFAULT partition; an outbox partition with unsent rows is 'kept',
-- checked again under the table's lock.
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
        detail := format('%s unsent rows (pending, claimed or failed) in %s; not dropped', v_unsent, v_range);
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
