-- Sagaz Fleet schema, part 1: the tables (design.md section 3).
--
-- Partitioned tables use RANGE(created_at); their primary keys include created_at because PostgreSQL
-- requires every unique constraint of a partitioned table to contain the partition key. Each one has
-- a DEFAULT partition so no write is ever refused for lack of a partition; maintenance moves rows out
-- of it when it creates the matching partition. Named partitions are created by the functions of V2.
--
-- Columns have defaults wherever a value can be derived, so the seed runbook's hand-written rows
-- (e.g. INSERT INTO saga_executions (saga_name, status) VALUES ('test-saga','SUCCESS')) are valid.

-- One row per saga. saga_id is a UUIDv7 when the fleet writes it, so the creation time (and with it
-- the partition) can be derived from the id alone.
CREATE TABLE saga_executions (
    saga_id         uuid        NOT NULL DEFAULT gen_random_uuid(),
    saga_name       text        NOT NULL,
    saga_version    integer     NOT NULL DEFAULT 1,
    -- No CHECK on status: the seed runbook writes 'SUCCESS'; the engine writes PENDING, EXECUTING,
    -- COMPLETED, COMPENSATING, ROLLED_BACK, FAILED.
    status          text        NOT NULL DEFAULT 'PENDING',
    idempotency_key text,
    input           jsonb       NOT NULL DEFAULT '{}'::jsonb,
    context         jsonb       NOT NULL DEFAULT '{}'::jsonb,
    -- per-step state: {"<step>": {"status": ..., "attempt": n, "commandId": ..., "result": ..., "error": ...}}
    steps           jsonb       NOT NULL DEFAULT '{}'::jsonb,
    error           text,
    owner_node      text,
    lease_until     timestamptz,
    lease_epoch     bigint      NOT NULL DEFAULT 0,
    deadline_at     timestamptz,
    -- optimistic concurrency: every transition bumps it and checks the value it read
    row_version     bigint      NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    completed_at    timestamptz,
    PRIMARY KEY (saga_id, created_at)
) PARTITION BY RANGE (created_at);

CREATE TABLE saga_executions_default PARTITION OF saga_executions DEFAULT;

CREATE INDEX idx_saga_executions_status_created ON saga_executions (status, created_at);
CREATE INDEX idx_saga_executions_name_created ON saga_executions (saga_name, created_at);
-- Recovery scans only unfinished sagas whose lease ran out.
CREATE INDEX idx_saga_executions_active_lease ON saga_executions (lease_until)
    WHERE status IN ('PENDING', 'EXECUTING', 'COMPENSATING');

-- A unique index on a partitioned table must include created_at, which would let the same key start
-- two sagas in different months. Idempotency keys therefore live in their own small table.
CREATE TABLE saga_idempotency_keys (
    saga_name       text        NOT NULL,
    idempotency_key text        NOT NULL,
    saga_id         uuid        NOT NULL,
    saga_created_at timestamptz NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (saga_name, idempotency_key)
);

-- Every state transition of a saga and of its steps.
CREATE TABLE saga_audit_log (
    id          bigserial,
    saga_id     uuid        NOT NULL,
    saga_name   text,
    step        text,
    event       text        NOT NULL,
    from_status text,
    to_status   text,
    node_id     text,
    detail      jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);

CREATE TABLE saga_audit_log_default PARTITION OF saga_audit_log DEFAULT;

CREATE INDEX idx_saga_audit_log_saga ON saga_audit_log (saga_id, created_at);

-- The transactional outbox. A row written with only aggregate_type, aggregate_id, event_type, topic
-- and payload is a valid pending event.
CREATE TABLE saga_outbox (
    id              bigserial,
    event_id        uuid        NOT NULL DEFAULT gen_random_uuid(),
    saga_id         uuid,
    aggregate_type  text        NOT NULL,
    aggregate_id    text        NOT NULL,
    event_type      text        NOT NULL,
    topic           text        NOT NULL,
    payload         jsonb       NOT NULL,
    headers         jsonb       NOT NULL DEFAULT '{}'::jsonb,
    status          text        NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'claimed', 'sent', 'failed', 'dead_letter')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    claimed_at      timestamptz,
    claimed_by      text,
    sent_at         timestamptz,
    last_error      text,
    replay_count    integer     NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);

CREATE TABLE saga_outbox_default PARTITION OF saga_outbox DEFAULT;

-- The seed's polling index, plus partial indexes that stay small: pollers only ever look at rows
-- that are due (pending/failed) or claimed.
CREATE INDEX idx_saga_outbox_status_created ON saga_outbox (status, created_at);
CREATE INDEX idx_saga_outbox_due ON saga_outbox (next_attempt_at, id)
    WHERE status IN ('pending', 'failed');
CREATE INDEX idx_saga_outbox_claimed ON saga_outbox (claimed_at)
    WHERE status = 'claimed';
CREATE INDEX idx_saga_outbox_event_id ON saga_outbox (event_id);
CREATE INDEX idx_saga_outbox_aggregate ON saga_outbox (aggregate_id, id)
    WHERE status IN ('pending', 'claimed', 'failed');

-- Consume-once bookkeeping. Two consumers may each process the same event once.
CREATE TABLE consumer_inbox (
    consumer_name text        NOT NULL,
    event_id      uuid        NOT NULL,
    processed_at  timestamptz NOT NULL DEFAULT now(),
    result        jsonb,
    PRIMARY KEY (consumer_name, event_id)
);

CREATE INDEX idx_consumer_inbox_processed_at ON consumer_inbox (processed_at);

-- Leases with a rising epoch: the maintenance leader ('maintenance-leader') and the ordered-outbox
-- shards ('outbox-shard-<n>'). PostgreSQL is the authority; the Hazelcast lock is only a hint.
CREATE TABLE sagaz_leases (
    name        text        PRIMARY KEY,
    holder      text,
    epoch       bigint      NOT NULL DEFAULT 0,
    acquired_at timestamptz,
    renewed_at  timestamptz,
    expires_at  timestamptz
);

-- A log of maintenance runs: who ran them under which epoch, and what they did.
CREATE TABLE partition_maintenance_runs (
    id          bigserial   PRIMARY KEY,
    holder      text        NOT NULL,
    epoch       bigint      NOT NULL,
    trigger     text        NOT NULL DEFAULT 'schedule',
    started_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at timestamptz,
    status      text        NOT NULL DEFAULT 'running'
                CHECK (status IN ('running', 'succeeded', 'failed', 'fenced')),
    actions     jsonb       NOT NULL DEFAULT '[]'::jsonb,
    error       text
);

CREATE INDEX idx_partition_maintenance_runs_started ON partition_maintenance_runs (started_at);
