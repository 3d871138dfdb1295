-- What the demo saga participants did (sagaz node --demo): one row per effect. Deliberately no
-- unique key on command_id: the exactly-once guarantee comes from consumer_inbox, and tests count
-- rows here to prove that a re-sent command did not repeat its effect.
CREATE TABLE saga_demo_effects (
    id          bigserial   PRIMARY KEY,
    participant text        NOT NULL,
    command_id  uuid        NOT NULL,
    saga_id     uuid        NOT NULL,
    step        text        NOT NULL,
    phase       text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX idx_saga_demo_effects_saga ON saga_demo_effects (saga_id);
