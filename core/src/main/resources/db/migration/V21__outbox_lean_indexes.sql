-- Fewer index entries per event. Every event is written once and updated twice (claimed, then sent),
-- and none of those updates can be HOT (status is in every index's key or predicate), so each index
-- that covers all rows costs three entries per event: under a drain the database, not the broker,
-- is the limit (docs/benchmarks.md, "Outbox"). What each dropped index served, and what serves it now:
--
-- * idx_saga_outbox_status_created (status, created_at), three entries per event: the backlog gauge
--   (undelivered count and oldest created_at) now reads idx_saga_outbox_aggregate, whose predicate is
--   exactly "undelivered" and which now carries created_at; the seed runbook's
--   "status='pending'" and "status='claimed' AND claimed_at < ..." read the due and claimed indexes;
--   the retention check for unsent rows reads idx_saga_outbox_aggregate; dead letters get their own
--   partial index below.
-- * idx_saga_outbox_event_id (event_id), three entries per event: only dead-letter replay looked
--   events up by event id, and dead letters are few and have their own index now.
--
-- Dropping and creating indexes on the partitioned table locks saga_outbox while the migration runs:
-- run it in a quiet window on a large table (docs/outbox.md).
DROP INDEX IF EXISTS idx_saga_outbox_status_created;
DROP INDEX IF EXISTS idx_saga_outbox_event_id;

-- Undelivered rows (the ordered claim's heads, the gauge, the retention check): two entries per event
-- (written pending, claimed), none once sent.
DROP INDEX IF EXISTS idx_saga_outbox_aggregate;
CREATE INDEX idx_saga_outbox_aggregate ON saga_outbox (aggregate_id, id) INCLUDE (created_at)
    WHERE status IN ('pending', 'claimed', 'failed');

-- Dead letters: listed newest first, counted, replayed by id or filter.
CREATE INDEX idx_saga_outbox_dead_letter ON saga_outbox (created_at, id)
    WHERE status = 'dead_letter';
