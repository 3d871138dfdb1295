-- Sagaz Fleet schema, part 3: the initial partitions (issue "Foundation", item 2).
--
-- Computed from now() (UTC) when the migration runs: for the monthly tables the 3 months before the
-- current one, the current month and the 3 after it; for the outbox the 7 days before today, today
-- and the 7 after. From then on the maintenance leader keeps the window moving.
DO $$
DECLARE
  v_month date := date_trunc('month', sagaz_today()::timestamp)::date;
  v_today date := sagaz_today();
BEGIN
  -- A migration may wait for its locks (the functions would otherwise give up after 100ms).
  PERFORM set_config('lock_timeout', '30s', true);
  PERFORM create_partitions('saga_executions', (v_month - interval '3 months')::date, (v_month + interval '3 months')::date);
  PERFORM create_partitions('saga_audit_log', (v_month - interval '3 months')::date, (v_month + interval '3 months')::date);
  PERFORM create_partitions('saga_outbox', v_today - 7, v_today + 7);
END $$;
