-- A claim no longer writes into the aggregate index. That index is keyed by aggregate id, so its
-- entries land on leaf pages scattered over the whole index: a claim of 1,000 rows inserted 1,000
-- entries on as many pages (each, the first time after a checkpoint, a full-page image in the WAL),
-- which measured 11-13 ms of a 28 ms claim on a 1,000,000-row backlog (docs/benchmarks.md, "Claimed
-- rows leave the aggregate index"). Claimed rows are few (the batches in flight) and have their own
-- index, idx_saga_outbox_claimed; what read them through the aggregate index now reads that one:
--
-- * the ordered claim holds back an aggregate with a claimed event through idx_saga_outbox_claimed;
-- * the backlog gauge adds the claimed rows to the pending and failed ones;
-- * the retention check counts the two sets separately, each through its own partial index.
--
-- Dropping and creating an index on the partitioned table locks saga_outbox while the migration
-- runs: run it in a quiet window on a large table (docs/outbox.md).
DROP INDEX IF EXISTS idx_saga_outbox_aggregate;
CREATE INDEX idx_saga_outbox_aggregate ON saga_outbox (aggregate_id, id) INCLUDE (created_at)
    WHERE status IN ('pending', 'failed');

-- Outbox rows of one partition that are not delivered yet: two counts whose conditions are exactly
-- the predicates of the two partial indexes, so neither reads the partition's heap.
CREATE OR REPLACE FUNCTION sagaz_outbox_unsent(p_part regclass) RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
DECLARE
  v_due bigint;
  v_claimed bigint;
BEGIN
  EXECUTE format('SELECT count(*) FROM %s WHERE status IN (''pending'', ''failed'')', p_part) INTO v_due;
  EXECUTE format('SELECT count(*) FROM %s WHERE status = ''claimed''', p_part) INTO v_claimed;
  RETURN v_due + v_claimed;
END $$;
